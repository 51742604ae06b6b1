"""An installation for the load and fault runs: a fresh instance on SQLite or on a throwaway
PostgreSQL cluster, served by gunicorn with the repository's deploy/gunicorn.conf.py, with the
index/OCR worker beside it. Traffic goes to 127.0.0.1 only."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

from ancuu_docs import create_app  # noqa: E402
from ancuu_docs.auth.commands import NewUser  # noqa: E402
from ancuu_docs.documents.commands import Move, NewDocument  # noqa: E402

SEED_TOPICS = [
    "công tác dân vận",
    "chuyển đổi số",
    "an sinh xã hội",
    "kiểm tra, giám sát",
    "thu ngân sách",
    "đô thị văn minh",
    "quốc phòng, an ninh",
    "xây dựng Đảng",
]


def request(base: str, token: str, method: str, path: str, *, body=None, files=None, raw=False):
    """(status, JSON body or bytes when `raw`); status 0 when the connection failed."""
    headers = {"Authorization": f"Bearer {token}"}
    data = None
    if files is not None:
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            for name, value in (body or {}).items()
        ]
        name, (filename, content) = next(iter(files.items()))
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        )
        data = "".join(parts).encode() + head.encode() + content + f"\r\n--{boundary}--\r\n".encode()
        headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    elif body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    message = urllib.request.Request(base + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(message, timeout=120) as response:
            payload = response.read()
            return response.status, payload if raw else json.loads(payload or b"{}")
    except urllib.error.HTTPError as err:
        payload = err.read()
        try:
            return err.code, json.loads(payload or b"{}")
        except ValueError:
            return err.code, {"body": payload[:300].decode(errors="replace")}
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as err:
        return 0, {"connection": f"{type(err).__name__}: {err}"}


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Installation:
    def __init__(self, database: str, *, workers: int = 4, threads: int = 4) -> None:
        self.database, self.workers, self.threads = database, workers, threads
        self.folder = Path(tempfile.mkdtemp(prefix="ancuu-load-"))
        self.instance = self.folder / "instance"
        self.instance.mkdir()
        self.cluster = None
        if database == "postgresql":
            from tests.postgres import Cluster, Databases

            self.cluster = Cluster().start()
            server = Databases(self.cluster.url())
            self.url = server.create("ancuu_load")
            server.close()
        else:
            self.url = f"sqlite:///{self.instance / 'ancuu_docs.db'}"
        self.settings = {
            "DATABASE_URL": self.url,
            "UPLOAD_FOLDER": str(self.instance / "uploads"),
            "SECRET_KEY": "load-test",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            # The faults want the worker to notice a deleted index within seconds.
            "INDEX_VERIFY_EVERY": 2,
        }
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}/api/v1"
        self.server = self.worker = None
        self.tokens: dict[str, str] = {}
        self._app = None

    @property
    def app(self):
        if self._app is None:
            self._app = create_app(dict(self.settings), instance_path=self.instance)
        return self._app

    def env(self, **extra) -> dict:
        env = {**os.environ, "ANCUU_INSTANCE_PATH": str(self.instance), "PYTHONPATH": str(ROOT)}
        env.update({f"ANCUU_{key}": str(value) for key, value in {**self.settings, **extra}.items()})
        return env

    # ------------------------------------------------------------------ set-up

    def setup(self, seed: int = 40) -> None:
        """Migrate, make the users and their tokens, and issue `seed` documents to search."""
        with self.app.app_context():
            from flask_migrate import upgrade

            from ancuu_docs.auth import services as users
            from ancuu_docs.documents import services
            from ancuu_docs.extensions import db
            from ancuu_docs.search import indexing

            upgrade()
            accounts = {}
            for role in ("secretariat", "clerk", "member"):
                user = users.create_user(
                    None, NewUser.of(username=role, role=role, password=f"{role}-load-1")
                )
                accounts[role] = user
                self.tokens[role] = users.issue_token(None, user.id)
            office = accounts["secretariat"]
            for n in range(seed):
                topic = SEED_TOPICS[n % len(SEED_TOPICS)]
                text = f"Nghị quyết về {topic}. Kế hoạch thực hiện nghị quyết năm 2026, số thứ tự {n}."
                doc = services.create_document(
                    office,
                    NewDocument.of(title=f"Nghị quyết về {topic} ({n})", doc_type="NQ"),
                    services.Upload(text.encode(), "nghi-quyet.txt"),
                )
                services.transition(office, doc.id, Move.of(to="in_review"))
                services.transition(office, doc.id, Move.of(to="approved"))
            indexing.ensure_index()
            indexing.flush_outbox()
            db.session.remove()
            db.engine.dispose()

    # ------------------------------------------------------------------ processes

    def start_server(self, **extra_env) -> None:
        env = self.env(**extra_env)
        env.update(
            ANCUU_BIND=f"127.0.0.1:{self.port}",
            ANCUU_WORKERS=str(self.workers),
            ANCUU_THREADS=str(self.threads),
            ANCUU_ACCESS_LOG=str(self.folder / "access.log"),
        )
        log = open(self.folder / "server.log", "ab")  # noqa: SIM115 (the process keeps it)
        self.server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "deploy" / "gunicorn.conf.py")],
            cwd=str(ROOT),
            env=env,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start: {self.log_text('server.log')[-2000:]}")

    def start_worker(self, **extra_env) -> None:
        log = open(self.folder / "worker.log", "ab")  # noqa: SIM115 (the process keeps it)
        self.worker = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "app", "index", "worker"],
            cwd=str(ROOT),
            env=self.env(**extra_env),
            stdout=log,
            stderr=log,
            start_new_session=True,
        )

    def server_workers(self) -> list[int]:
        """The pids of gunicorn's worker processes (the master's children)."""
        children = Path(f"/proc/{self.server.pid}/task/{self.server.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def busiest_worker(self) -> tuple[int | None, int]:
        """(pid, open client connections) of the gunicorn worker serving the most requests now:
        the one whose kill cuts requests off for certain."""
        established = set()
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                local_port = int(fields[1].rsplit(":", 1)[1], 16)
                if local_port == self.port and fields[3] == "01":  # ESTABLISHED
                    established.add(fields[9])  # the socket's inode
        best: tuple[int | None, int] = (None, 0)
        for pid in self.server_workers():
            count = 0
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                try:
                    target = os.readlink(fd)
                except OSError:
                    continue
                if target.startswith("socket:[") and target[8:-1] in established:
                    count += 1
            if count > best[1]:
                best = (pid, count)
        return best

    def wait_for_workers(self, count: int, seconds: float = 60) -> bool:
        deadline = time.time() + seconds
        while time.time() < deadline:
            if len(self.server_workers()) >= count:
                return True
            time.sleep(0.2)
        return False

    def kill_worker(self) -> None:
        """kill -9 of the index/OCR worker."""
        os.killpg(self.worker.pid, signal.SIGKILL)
        self.worker.wait(timeout=30)

    def log_text(self, name: str) -> str:
        path = self.folder / name
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self, *, keep: bool = False) -> None:
        for process in (self.server, self.worker):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
        if self._app is not None:
            with self._app.app_context():
                from ancuu_docs.extensions import db

                db.engine.dispose()
        if self.cluster is not None:
            self.cluster.stop()
        if keep:
            print(f"Giữ lại cài đặt và nhật ký ở {self.folder}", flush=True)
        else:
            shutil.rmtree(self.folder, ignore_errors=True)
