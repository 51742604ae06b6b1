"""`make serve`'s script: gunicorn with the repository's config and the index/OCR worker, started
together and stopped together."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

from ancuu_docs.search import indexing
from tests.processes import wait_for

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _serve(instance: Path, database_url: str, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "BIN": str(Path(sys.executable).parent),
        "ANCUU_INSTANCE_PATH": str(instance),
        "ANCUU_DATABASE_URL": database_url,
        "ANCUU_UPLOAD_FOLDER": str(instance / "uploads"),
        "ANCUU_SECRET_KEY": "serve-test",
        "ANCUU_BIND": f"127.0.0.1:{port}",
        "ANCUU_WORKERS": "2",
        "ANCUU_ACCESS_LOG": str(instance / "access.log"),
    }
    return subprocess.Popen(
        ["bash", str(ROOT / "deploy" / "serve.sh")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _health(port: int) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=5) as response:
            return response.status
    except OSError:
        return 0


def test_serve_runs_gunicorn_workers_and_the_worker_and_sigterm_stops_them_all(app, instance, database_url):
    port = _free_port()
    serve = _serve(instance, database_url, port)
    try:
        assert wait_for(lambda: _health(port) == 200), "gunicorn never answered"
        assert wait_for(indexing.worker_running), "the index worker never started"
        processes = _children(serve.pid)
        assert len(processes) == 2  # the worker and gunicorn's master
        master = max(processes, key=lambda pid: len(_children(pid)))
        assert wait_for(lambda: len(_children(master)) == 2)  # ANCUU_WORKERS
        everyone = processes + _children(master)
        # gunicorn writes the access line once the response is sent.
        assert wait_for(lambda: "GET /api/v1/health" in (instance / "access.log").read_text())
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=60)
    assert not any(_alive(pid) for pid in everyone)
    assert not indexing.worker_running()


def test_when_the_worker_dies_serve_stops_gunicorn_too(app, instance, database_url):
    port = _free_port()
    serve = _serve(instance, database_url, port)
    try:
        assert wait_for(lambda: _health(port) == 200)
        assert wait_for(indexing.worker_running)
        processes = _children(serve.pid)
        worker = min(processes, key=lambda pid: len(_children(pid)))  # the one without children
        os.kill(worker, signal.SIGKILL)
        serve.wait(timeout=60)
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGKILL)
    assert serve.returncode != 0
    assert not any(_alive(pid) for pid in processes)
    assert _health(port) == 0


def test_make_hands_the_search_engine_to_the_application():
    """`SEARCH_BACKEND=tantivy make run`: the application reads ANCUU_* settings only, so the
    Makefile passes the engine on to every command it runs."""
    probe = [
        "make",
        "-s",
        "-C",
        str(ROOT),
        "--eval",
        "engine-probe: ; @echo $$ANCUU_SEARCH_BACKEND",
        "engine-probe",
    ]
    env = {key: value for key, value in os.environ.items() if key != "ANCUU_SEARCH_BACKEND"}
    chosen = subprocess.run(probe, env={**env, "SEARCH_BACKEND": "tantivy"}, capture_output=True, text=True)
    assert chosen.stdout.strip() == "tantivy", chosen.stderr
    default = subprocess.run(probe, env=env, capture_output=True, text=True)
    assert default.stdout.strip() == ""
