"""A fresh app per test: its own instance folder, database (migrated) and uploads.

The database is SQLite unless ANCUU_TEST_DATABASE=postgresql: then each test gets its own
PostgreSQL database, copied from one migrated template, on the server ANCUU_TEST_POSTGRES_URL
names or else on a throwaway cluster started for the run (tests/postgres.py).
"""

from __future__ import annotations

import contextvars
import itertools
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import has_app_context
from flask.testing import FlaskClient

from ancuu_docs import create_app
from ancuu_docs.auth import services as user_services
from ancuu_docs.auth.commands import NewUser
from ancuu_docs.auth.models import User
from ancuu_docs.extensions import db
from tests import samples
from tests.tools import missing_means

ROLES = ("member", "clerk", "secretariat", "admin")
TEST_DATABASE = os.environ.get("ANCUU_TEST_DATABASE", "sqlite")
if TEST_DATABASE not in ("sqlite", "postgresql"):
    raise RuntimeError(f"ANCUU_TEST_DATABASE={TEST_DATABASE!r}: sqlite or postgresql")
ON_POSTGRESQL = TEST_DATABASE == "postgresql"


def pytest_configure(config):
    config.addinivalue_line("markers", "needs(*tools): the programs the test runs for real (tests/tools.py)")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    for mark in item.iter_markers("needs"):
        missing_means(list(mark.args))


def _make_app(instance: Path, **overrides):
    settings = {
        "TESTING": True,
        "SECRET_KEY": "test",
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "UPLOAD_FOLDER": str(instance / "uploads"),
        **overrides,
    }
    return create_app(settings, instance_path=instance)


class FreshDatabases:
    """Fresh databases for tests: a copy of the migrated SQLite file, or a PostgreSQL database
    made from the migrated template."""

    def __init__(self, template_folder: Path, server=None) -> None:
        self.template_folder, self.server = template_folder, server
        self._names = itertools.count(1)
        # Named per run, so two runs against one server (ANCUU_TEST_POSTGRES_URL) never meet.
        self.template = f"ancuu_template_{os.getpid()}"

    def migrate_template(self) -> None:
        overrides = {}
        if self.server:
            overrides["DATABASE_URL"] = self.server.create(self.template)
        app = _make_app(self.template_folder, **overrides)
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
            db.engine.dispose()

    def fresh(self, folder: Path, *, empty: bool = False) -> str:
        """The URL of a new database for an instance in `folder` (migrated unless `empty`)."""
        if self.server:
            name = f"test_{os.getpid()}_{next(self._names)}"
            return self.server.create(name, template=None if empty else self.template)
        target = folder / "ancuu_docs.db"
        if not empty:
            shutil.copy(self.template_folder / "ancuu_docs.db", target)
        return f"sqlite:///{target}"

    def drop(self, url: str) -> None:
        if self.server:
            from sqlalchemy.engine import make_url

            self.server.drop(make_url(url).database)


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    """Run the real migrations once; each test starts from a copy of the result."""
    cluster = server = None
    if ON_POSTGRESQL:
        from tests.postgres import Cluster, Databases

        url = os.environ.get("ANCUU_TEST_POSTGRES_URL")
        if not url:
            cluster = Cluster().start()
            url = cluster.url()
        server = Databases(url)
    made = FreshDatabases(tmp_path_factory.mktemp("template"), server)
    try:
        made.migrate_template()
        yield made
    finally:
        if server:
            server.drop(made.template)
            server.close()
        if cluster:
            cluster.stop()


@pytest.fixture
def database_url(tmp_path, databases, monkeypatch) -> str:
    """This test's database. Set in the environment too, so an app or a child process started
    on the test's instance folder finds it."""
    folder = tmp_path / "instance"
    folder.mkdir(exist_ok=True)
    url = databases.fresh(folder)
    if ON_POSTGRESQL:
        monkeypatch.setenv("ANCUU_DATABASE_URL", url)
    yield url
    for thread in threading.enumerate():
        if thread.name == "ocr":  # an in-process OCR drain still at work on this database
            thread.join(timeout=60)
    databases.drop(url)


@pytest.fixture
def empty_database_url(tmp_path, databases) -> str:
    """A database with no tables yet, for tests of the migrations themselves."""
    folder = tmp_path / "empty"
    folder.mkdir()
    url = databases.fresh(folder, empty=True)
    yield url
    databases.drop(url)


@pytest.fixture
def instance(tmp_path, database_url) -> Path:
    return tmp_path / "instance"


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


# Search tests run on both engines: `pytestmark = BOTH_ENGINES` in their module.
SEARCH_BACKENDS = ("whoosh", "tantivy")
BOTH_ENGINES = pytest.mark.parametrize("search_backend", SEARCH_BACKENDS, indirect=True)


class HeldWriter:
    """The index's writer held open, as another process would hold it, until cancelled."""

    def __init__(self, store):
        self._context = store.writer()
        self._context.__enter__()

    def cancel(self):
        self._context.__exit__(RuntimeError, RuntimeError("cancelled"), None)


@pytest.fixture
def search_backend(request, monkeypatch) -> str:
    """The search engine of this test's app: Whoosh unless the test is run on both. Set in the
    environment too, for the processes a test starts on its instance."""
    backend = getattr(request, "param", "whoosh")
    monkeypatch.setenv("ANCUU_SEARCH_BACKEND", backend)
    return backend


@pytest.fixture
def app(instance, database_url, app_settings, search_backend):
    app = _make_app(instance, WTF_CSRF_ENABLED=False, DATABASE_URL=database_url, **app_settings)
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
            None, NewUser.of(username=role, role=role, password=password, display_name=f"Người dùng {role}")
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
