"""One settings object: class defaults < instance/config.py < environment < explicit overrides."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger(__name__)


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
    # Characters of text one version may hold (counted while extracting, about 5 MB of text).
    MAX_TEXT_CHARS: int = 5_000_000
    # XML elements and attributes of one office file, all its parts together (a 300-page
    # Word report has about half a million; 150 MB of "<w:p/>" would be 25 million).
    MAX_XML_ITEMS: int = 2_000_000
    # Pixels of one page of a photo or scan (an A4 page at 600 dpi is 35 million).
    MAX_IMAGE_PIXELS: int = 100_000_000

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

    # Login throttling. This many failures of one name from one address within the window lock
    # that name from that address for the window (never the others behind the same address);
    # after LOGIN_DELAY_AFTER failures of a name from anywhere, each try waits 1, 2, 4 … seconds
    # after the latest failure, up to LOGIN_DELAY_MAX_SECONDS (a stranger slows a member down,
    # never locks them out).
    LOGIN_FAILURES_MAX: int = 10
    LOGIN_LOCK_MINUTES: int = 15
    LOGIN_DELAY_AFTER: int = 5
    LOGIN_DELAY_MAX_SECONDS: int = 60

    # Werkzeug's default; tests pick a cheaper method so a suite of many users stays fast.
    PASSWORD_HASH_METHOD: str = "scrypt"

    # The search index: instance/index/ unless set; how long a writer waits for the lock.
    INDEX_FOLDER: str = ""
    INDEX_LOCK_TIMEOUT: float = 10.0
    # An import of at least this many documents merges the index's segments when it ends.
    INDEX_MERGE_AFTER_IMPORT: int = 100
    # The index worker: how often it looks for work, how often it opens the index to check it,
    # and how fresh its heartbeat must be for the web processes to leave indexing to it.
    INDEX_WORKER_POLL: float = 0.5
    INDEX_VERIFY_EVERY: float = 30.0
    INDEX_RECONCILE_EVERY: float = 300.0
    INDEX_WORKER_HEARTBEAT: float = 60.0
    # A failing round of the worker (a full disk, the database down) is tried again after 1, 2,
    # 4 … seconds, at most this long.
    INDEX_RETRY_LONGEST: float = 60.0
    SEARCH_PER_PAGE: int = 10
    # The search engine: "whoosh" (embedded, pure Python: the default) or "tantivy" (Rust,
    # for large archives). Changing it rebuilds the index on the next start of the worker.
    SEARCH_BACKEND: str = "whoosh"
    # Answers kept per process for repeated searches (0: none); any index change retires them.
    SEARCH_RESULTS_CACHE: int = 256

    # Drafting: signature blocks offered to clerks, and the page margins (domain reference).
    # A ward committee signs in its own name ("T/M BAN CHẤP HÀNH" belongs with the Central
    # Committee or mass organisations); each template declares its default.
    SIGNATURE_AUTHORITIES: tuple = ("T/M ĐẢNG ỦY", "T/M BAN THƯỜNG VỤ")
    SIGNER_TITLES: tuple = ("BÍ THƯ", "PHÓ BÍ THƯ")
    # Bodies that send documents to the ward (offered when registering one; others can be typed).
    ISSUERS: tuple = (
        "Ban Chấp hành Trung ương",
        "Bộ Chính trị",
        "Ban Bí thư",
        "Thành ủy Huế",
        "Ban Thường vụ Thành ủy",
        "Ủy ban Kiểm tra Thành ủy",
        "Văn phòng Thành ủy",
        "Ban Tổ chức Thành ủy",
        "Ban Tuyên giáo và Dân vận Thành ủy",
    )
    # OCR of scans and photos (OCRmyPDF with Tesseract's Vietnamese model), in background jobs.
    OCR_COMMAND: str = "ocrmypdf"
    OCR_LANGUAGE: str = "vie"
    OCR_TIMEOUT_SECONDS: float = 120.0  # per page
    OCR_MAX_PAGES: int = 300  # a longer scan is refused with its reason
    OCR_IMAGE_DPI: int = 300  # for a photo that does not say its resolution
    # Cores one OCR job uses: one, so the web server keeps the other on a 2-core machine.
    OCR_JOBS: int = 1
    OCR_MAX_ATTEMPTS: int = 3
    # Where OCR copies a scan while it reads it (the system's temporary folder unless set).
    OCR_TEMPORARY_FOLDER: str = ""
    OCR_RETRY_SECONDS: float = 30.0
    # A running job whose heartbeat is older than this lost its worker: it is taken up again.
    OCR_STALE_SECONDS: float = 120.0
    # With no worker running, a thread of the web process runs the jobs.
    OCR_IN_PROCESS: bool = True
    # Below this mean word confidence (0-100) the page warns that OCR may have misread the scan.
    OCR_CONFIDENCE_WARNING: float = 75.0
    # Liberation Serif (Times New Roman's metrics, Vietnamese glyphs) for the registers as PDF.
    REGISTER_FONT_FOLDER: str = "/usr/share/fonts/truetype/liberation2"
    # Who signs an issued document when the approval names no one (the committee's secretary).
    SECRETARY_NAME: str = ""
    MARGIN_TOP_MM: int = 20
    MARGIN_BOTTOM_MM: int = 20
    MARGIN_LEFT_MM: int = 30
    MARGIN_RIGHT_MM: int = 15
    TEMPLATE_FOLDER: str = str(PROJECT_ROOT / "templates" / "docx")
    # Uploaded templates render in a child process within these bounds (drafting/bounded.py).
    TEMPLATE_RENDER_SECONDS: float = 10.0
    TEMPLATE_MEMORY_BYTES: int = 512 * 1024 * 1024
    TEMPLATE_OUTPUT_BYTES: int = 20 * 1024 * 1024

    # A stored file no row names is an orphan only once older than this: an upload writes its
    # file before its transaction commits, a header read keeps one for the next submit. The
    # index worker sweeps orphans into uploads/.trash/ every STORAGE_SWEEP_EVERY seconds.
    STORAGE_ORPHAN_GRACE_SECONDS: float = 24 * 3600
    STORAGE_SWEEP_EVERY: float = 3600.0

    DOCUMENTS_PER_PAGE: int = 25
    AUDIT_PER_PAGE: int = 50

    SESSION_COOKIE_HTTPONLY: bool = True
    SESSION_COOKIE_SAMESITE: str = "Lax"
    # True behind HTTPS (ANCUU_SESSION_COOKIE_SECURE=true): the cookie is then never sent in clear.
    SESSION_COOKIE_SECURE: bool = False
    # Behind a reverse proxy, how many proxies set X-Forwarded-For/-Proto (0: none). Login
    # throttling counts per client address, which is then the proxy's unless this is set.
    PROXY_FIX_HOPS: int = 0
    REMEMBER_COOKIE_HTTPONLY: bool = True
    WTF_CSRF_TIME_LIMIT: int | None = None
    JSON_AS_ASCII: bool = False


ENV_PREFIX = "ANCUU"


def configure(app: Flask, overrides: dict | None = None) -> None:
    """Class defaults, then instance/config.py, then ANCUU_* environment variables (values
    read as JSON where they parse: ANCUU_MAX_UPLOAD_BYTES=1048576, ANCUU_SIGNER_TITLES='["BÍ THƯ"]'),
    then what the caller passes (tests)."""
    config = app.config
    config.from_object(Config)
    config.from_pyfile("config.py", silent=True)
    config.from_prefixed_env(ENV_PREFIX)
    for key, default in vars(Config).items():
        # "2025" read as JSON is a number; a setting that is text stays text.
        if key.isupper() and isinstance(default, str) and not isinstance(config[key], str):
            config[key] = str(config[key])
        if key.isupper() and key in os.environ and f"{ENV_PREFIX}_{key}" not in os.environ:
            log.warning("%s is set but not read: settings come from %s_%s", key, ENV_PREFIX, key)
    config.update(overrides or {})

    instance_path = Path(app.instance_path)
    if not config["DATABASE_URL"]:
        config["DATABASE_URL"] = f"sqlite:///{instance_path / 'ancuu_docs.db'}"
    if not config["SECRET_KEY"]:
        config["SECRET_KEY"] = _instance_secret_key(instance_path)
    config["SQLALCHEMY_DATABASE_URI"] = config["DATABASE_URL"]
    if config["DATABASE_URL"].startswith("postgresql"):
        # A server restarted under a long-running worker leaves dead pooled connections.
        config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    # Requests carry the file plus a few form fields; the exact bound is checked on the bytes.
    config["MAX_CONTENT_LENGTH"] = config["MAX_UPLOAD_BYTES"] + 1024 * 1024


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
