"""One settings object: class defaults < instance/config.py < environment < explicit overrides."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Config:
    # Where the database lives; SQLite in instance/ unless DATABASE_URL says otherwise.
    DATABASE_URL: str = ""
    SECRET_KEY: str = ""
    UPLOAD_FOLDER: str = str(PROJECT_ROOT / "uploads")

    # Upload bounds. Archives (DOCX, ODT) are refused when their members would expand past
    # MAX_UNCOMPRESSED_BYTES or when there are more than MAX_ARCHIVE_MEMBERS of them.
    MAX_UPLOAD_BYTES: int = 25 * 1024 * 1024
    MAX_UNCOMPRESSED_BYTES: int = 200 * 1024 * 1024
    MAX_ARCHIVE_MEMBERS: int = 5000

    # The issuing body and its term (domain reference: "configurable", never hard-coded).
    PARTY_TERM: str = "2025-2030"
    SUPERIOR_BODY: str = "ĐẢNG BỘ THÀNH PHỐ HUẾ"
    ISSUING_BODY: str = "ĐẢNG ỦY PHƯỜNG AN CỰU"
    NUMBER_SYMBOL: str = "ĐU"
    PLACE_NAME: str = "An Cựu"
    # How conferences are named: "Hội nghị lần thứ hai (mở rộng) Ban Chấp hành Đảng bộ phường
    # khóa I, nhiệm kỳ 2025 - 2030".
    EXECUTIVE_BODY_NAME: str = "Ban Chấp hành Đảng bộ phường"
    STANDING_BODY_NAME: str = "Ban Thường vụ Đảng ủy phường"
    COMMITTEE_TERM_LABEL: str = "khóa I, nhiệm kỳ 2025 - 2030"

    # Werkzeug's default; tests pick a cheaper method so a suite of many users stays fast.
    PASSWORD_HASH_METHOD: str = "scrypt"

    # The search index: instance/index/ unless set; how long a writer waits for the lock.
    INDEX_FOLDER: str = ""
    INDEX_LOCK_TIMEOUT: float = 10.0
    SEARCH_PER_PAGE: int = 10

    # Drafting: signature blocks offered to clerks, and the page margins (domain reference).
    SIGNATURE_AUTHORITIES: tuple = ("T/M ĐẢNG ỦY", "T/M BAN CHẤP HÀNH", "T/M BAN THƯỜNG VỤ")
    SIGNER_TITLES: tuple = ("BÍ THƯ", "PHÓ BÍ THƯ")
    MARGIN_TOP_MM: int = 20
    MARGIN_BOTTOM_MM: int = 20
    MARGIN_LEFT_MM: int = 30
    MARGIN_RIGHT_MM: int = 15
    TEMPLATE_FOLDER: str = str(PROJECT_ROOT / "templates" / "docx")

    DOCUMENTS_PER_PAGE: int = 25
    AUDIT_PER_PAGE: int = 50

    SESSION_COOKIE_HTTPONLY: bool = True
    SESSION_COOKIE_SAMESITE: str = "Lax"
    WTF_CSRF_TIME_LIMIT: int | None = None
    JSON_AS_ASCII: bool = False


def _coerce(value: str, default: object) -> object:
    if isinstance(default, tuple):  # a list setting from the environment: items split by ";"
        return tuple(item.strip() for item in value.split(";") if item.strip())
    if isinstance(default, bool):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(value)
    if isinstance(default, float):
        return float(value)
    return value


def load_settings(instance_path: Path, overrides: dict | None = None) -> dict:
    """Build the settings mapping for one app.

    Every upper-case attribute of Config may be set in instance/config.py or by an
    environment variable of the same name; test code passes explicit overrides last.
    """
    settings = {k: getattr(Config, k) for k in dir(Config) if k.isupper()}

    instance_file = instance_path / "config.py"
    if instance_file.exists():
        namespace: dict = {}
        exec(compile(instance_file.read_text(encoding="utf-8"), str(instance_file), "exec"), namespace)
        settings.update({k: v for k, v in namespace.items() if k.isupper()})

    for key, default in list(settings.items()):
        if key in os.environ:
            settings[key] = _coerce(os.environ[key], default)

    settings.update(overrides or {})

    if not settings["DATABASE_URL"]:
        settings["DATABASE_URL"] = f"sqlite:///{instance_path / 'ancuu_docs.db'}"
    if not settings["SECRET_KEY"]:
        settings["SECRET_KEY"] = _instance_secret_key(instance_path)

    settings["SQLALCHEMY_DATABASE_URI"] = settings["DATABASE_URL"]
    # Requests carry the file plus a few form fields; the exact bound is checked on the bytes.
    settings["MAX_CONTENT_LENGTH"] = settings["MAX_UPLOAD_BYTES"] + 1024 * 1024
    return settings


def _instance_secret_key(instance_path: Path) -> str:
    """A key generated once into instance/ (never committed) and reused after."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process wrote it first: use theirs
        return key_file.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key
