"""Load and convergence check: 20 clients for 60 s against gunicorn (4 workers) and the index
worker, then: is the index in step with the database, and is every total exact?

    .venv/bin/python bench/load.py [--clients 20] [--seconds 60] [--workers 4]

Each client, with its own API token, loops over: upload a draft carrying a unique word, send
it to review, approve it (the secretariat's clients), search for a common phrase and for its
own words. Afterwards, once the worker has emptied the outbox: `index check` must be clean,
every unique word must be found exactly once by the member who may read it, and the total of
common queries must equal the number of readable documents counted in the database.
Exit status 0 when all of it holds; a report on stdout. Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from run import _serve  # noqa: E402  (the benchmarks' gunicorn launcher)

from ancuu_docs import create_app  # noqa: E402


def _request(base: str, token: str, method: str, path: str, *, body=None, files=None) -> tuple[int, dict]:
    headers = {"Authorization": f"Bearer {token}"}
    data = None
    if files is not None:
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in (body or {}).items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n')
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
    request = urllib.request.Request(base + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"{}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    options = parser.parse_args()

    instance = Path(tempfile.mkdtemp(prefix="ancuu-load-"))
    app = create_app({"UPLOAD_FOLDER": str(instance / "uploads")}, instance_path=instance)
    with app.app_context():
        from flask_migrate import upgrade

        from ancuu_docs.auth import services as users
        from ancuu_docs.search import indexing

        upgrade()
        indexing.ensure_index()
        office = users.create_user(None, username="vanphong", role="secretariat", password="load-test-1")
        member = users.create_user(None, username="dangvien", role="member", password="load-test-2")
        tokens = {"office": users.issue_token(None, office.id), "member": users.issue_token(None, member.id)}

    server, port = _serve("wsgi", instance, workers=options.workers, threads=2)
    env = {**os.environ, "BENCH_INSTANCE": str(instance), "PYTHONPATH": f"{ROOT}:{HERE}"}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import wsgi\nfrom ancuu_docs.search import worker\n"
            "with wsgi.app.app_context():\n    worker.run()",
        ],
        cwd=str(HERE),
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}/api/v1"

    statuses: dict[int, int] = {}
    words: list[tuple[str, int]] = []
    lock = threading.Lock()
    stop = time.time() + options.seconds

    def client(index: int) -> None:
        rng = random.Random(index)
        while time.time() < stop:
            word = f"tuload{index:02d}x{rng.randrange(10**9):09d}"
            text = f"Kế hoạch thực hiện nghị quyết về {word}, công tác dân vận năm 2026.".encode()
            status, doc = _request(
                base,
                tokens["office"],
                "POST",
                "/documents",
                body={"title": f"Kế hoạch {word}", "doc_type": "KH"},
                files={"file": ("kh.txt", text)},
            )
            calls = [status]
            if status == 201:
                for target in ("in_review", "approved") if rng.random() < 0.7 else ("in_review",):
                    calls.append(
                        _request(
                            base,
                            tokens["office"],
                            "POST",
                            f"/documents/{doc['id']}/transitions",
                            body={"to": target},
                        )[0]
                    )
                with lock:
                    words.append((word, doc["id"]))
            query = urllib.parse.quote("nghị quyết dân vận")
            calls.append(_request(base, tokens["member"], "GET", f"/search?q={query}")[0])
            with lock:
                for code in calls:
                    statuses[code] = statuses.get(code, 0) + 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(options.clients)]
    started = time.time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.time() - started

    report: dict = {"clients": options.clients, "seconds": round(elapsed, 1), "statuses": statuses}
    with app.app_context():
        from sqlalchemy import func, select

        from ancuu_docs.documents.models import Document
        from ancuu_docs.extensions import db
        from ancuu_docs.search import indexing

        caught_up = time.time() + 120
        while indexing.pending_jobs() and time.time() < caught_up:
            db.session.rollback()
            time.sleep(0.5)
        report["pending_after_catch_up"] = indexing.pending_jobs()
        check = indexing.check()
        report["index_check"] = {
            "missing": len(check.missing),
            "stale": len(check.stale),
            "extra": len(check.extra),
        }
        readable = db.session.scalar(
            select(func.count()).select_from(Document).where(Document.status.in_(["in_review", "approved"]))
        )
    _status, found = _request(
        base, tokens["member"], "GET", f"/search?q={urllib.parse.quote('nghị quyết dân vận')}"
    )
    report["common_query"] = {"total": found.get("total"), "readable_in_database": readable}
    wrong = [
        w
        for w, _id in words
        if _request(base, tokens["office"], "GET", f"/search?q={w}")[1].get("total") != 1
    ]
    report["unique_words"] = {"checked": len(words), "not_found_exactly_once": len(wrong)}

    for process in (server, worker):
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    errors_5xx = sum(n for code, n in statuses.items() if code >= 500)
    ok = (
        errors_5xx == 0
        and report["pending_after_catch_up"] == 0
        and check.ok
        and found.get("total") == readable
        and not wrong
    )
    report["ok"] = ok
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
