"""A fresh app per test: its own instance folder, SQLite database (migrated) and uploads."""

from __future__ import annotations

import contextvars
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import has_app_context
from flask.testing import FlaskClient

from ancuu_docs import create_app
from ancuu_docs.auth import services as user_services
from ancuu_docs.auth.models import User
from ancuu_docs.extensions import db
from tests import samples

ROLES = ("member", "clerk", "secretariat", "admin")


def _make_app(instance: Path, **overrides):
    settings = {
        "TESTING": True,
        "SECRET_KEY": "test",
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "UPLOAD_FOLDER": str(instance / "uploads"),
        **overrides,
    }
    return create_app(settings, instance_path=instance)


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory) -> Path:
    """Run the real migrations once; each test starts from a copy of the result."""
    instance = tmp_path_factory.mktemp("template")
    app = _make_app(instance)
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.engine.dispose()
    return instance / "ancuu_docs.db"


@pytest.fixture
def instance(tmp_path, migrated_db) -> Path:
    folder = tmp_path / "instance"
    folder.mkdir()
    shutil.copy(migrated_db, folder / "ancuu_docs.db")
    return folder


@pytest.fixture
def app_settings() -> dict:
    """Override in a test module to change settings for its apps."""
    return {}


class IsolatedClient(FlaskClient):
    """A test client whose requests run as in production: each in its own app context.

    The test itself holds an app context (to call services); without this, requests
    would share its `g` (Flask-Login caches the user there) and its database session.
    """

    def open(self, *args, **kwargs):
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            db.session.rollback()  # end the test's snapshot, so it sees what the request wrote
        return response


@pytest.fixture
def app(instance, app_settings):
    app = _make_app(instance, WTF_CSRF_ENABLED=False, **app_settings)
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@dataclass
class Account:
    id: int
    username: str
    password: str
    token: str
    role: str

    @property
    def user(self) -> User:
        return db.session.get(User, self.id)

    @property
    def headers(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture
def accounts(app) -> dict[str, Account]:
    """One user per role, each with an API token."""
    return make_accounts()


def make_accounts() -> dict[str, Account]:
    result = {}
    for role in ROLES:
        password = f"{role}-password"
        user = user_services.create_user(
            None, username=role, role=role, password=password, display_name=f"Người dùng {role}"
        )
        token = user_services.issue_token(None, user.id)
        result[role] = Account(user.id, role, password, token, role)
    return result


class Api:
    """Calls the JSON API as one of the accounts."""

    def __init__(self, client, accounts):
        self.client, self.accounts = client, accounts

    def __call__(self, role: str | None, method: str, path: str, **kwargs):
        headers = kwargs.pop("headers", {})
        if role:
            headers.update(self.accounts[role].headers)
        return self.client.open(f"/api/v1{path}", method=method, headers=headers, **kwargs)

    def upload(
        self,
        role,
        *,
        title="Nghị quyết về xây dựng lối sống đô thị văn minh",
        doc_type="NQ",
        data=None,
        filename="nghi-quyet.docx",
        **fields,
    ):
        data = samples.docx(["Nghị quyết về xây dựng lối sống đô thị văn minh."]) if data is None else data
        extra = {"environ_base": fields.pop("environ_base")} if "environ_base" in fields else {}
        form = {"title": title, "doc_type": doc_type, "file": (samples.stream(data), filename), **fields}
        return self(role, "POST", "/documents", data=form, content_type="multipart/form-data", **extra)

    def add_version(self, role, doc_id, data, *, base_version, filename="v.docx", **fields):
        form = {"base_version": str(base_version), "file": (samples.stream(data), filename), **fields}
        return self(
            role, "POST", f"/documents/{doc_id}/versions", data=form, content_type="multipart/form-data"
        )

    def transition(self, role, doc_id, to):
        return self(role, "POST", f"/documents/{doc_id}/transitions", json={"to": to})


@pytest.fixture
def api(client, accounts) -> Api:
    return Api(client, accounts)


@pytest.fixture
def login(app, accounts):
    """A new browser (test client) signed in through the real login page."""

    def _login(role: str):
        account = accounts[role]
        client = app.test_client()
        response = client.post("/login", data={"username": account.username, "password": account.password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return _login


def uploads_files(app) -> list[Path]:
    root = Path(app.config["UPLOAD_FOLDER"])
    return [p for p in root.rglob("*") if p.is_file()]
