"""The faults of the load run, each against the running installation:

1. kill -9 of a gunicorn worker, then of the index/OCR worker, in the middle of uploads; the
   worker started again. Afterwards: no orphan file and no row without its file (the restarted
   worker sweeps what the killed requests left), the index converges, every 201 downloadable.
2. The index folder deleted while serving: search answers 503 with its reason, and the worker
   rebuilds the index until search answers as before.
3. The upload folder on a full filesystem (a 2 MB tmpfs, filled): 507 with its reason, and
   nothing half-written: no document row, no temporary file.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

from loadkit import ROOT, Installation, free_port, request

SWEEP = {"STORAGE_ORPHAN_GRACE_SECONDS": 3, "STORAGE_SWEEP_EVERY": 2}


def run_all(site: Installation, consistency) -> dict:
    return {
        "kill_9_during_uploads": kill_during_uploads(site, consistency),
        "index_folder_deleted": index_deleted(site),
        "full_filesystem": full_disk(site),
    }


def _uploads(site: Installation, tally, seconds: float, clients: int = 8) -> list[threading.Thread]:
    """Clients uploading 300 KB drafts for `seconds`: long enough requests to be cut by a kill."""
    stop_at = time.time() + seconds

    def upload(index: int) -> None:
        rng = random.Random(1000 + index)
        while time.time() < stop_at:
            word = f"su{index:02d}x{rng.randrange(10**9):09d}"
            data = (
                f"Báo cáo sự cố {word}, thực hiện nghị quyết. "
                + "Nội dung báo cáo công tác quý IV năm 2026. " * 2300
            ).encode()
            started = time.perf_counter()
            status, doc = request(
                site.base,
                site.tokens["clerk"],
                "POST",
                "/documents",
                body={"title": f"Báo cáo {word}", "doc_type": "BC"},
                files={"file": ("bao-cao.txt", data)},
            )
            tally.note("fault_upload", status, time.perf_counter() - started, doc)
            if status == 201:
                tally.keep(doc["id"], 1, data)
                with tally.lock:
                    tally.words.append((word, doc["id"]))

    threads = [threading.Thread(target=upload, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    return threads


def kill_during_uploads(site: Installation, consistency) -> dict:
    from load import Tally

    from ancuu_docs import storage_check
    from ancuu_docs.extensions import db

    tally = Tally()
    threads = _uploads(site, tally, seconds=10)
    time.sleep(2)
    victim, serving = site.busiest_worker()
    for _ in range(50):  # the moment it is in the middle of requests
        if serving:
            break
        time.sleep(0.05)
        victim, serving = site.busiest_worker()
    os.kill(victim or site.server_workers()[0], signal.SIGKILL)
    time.sleep(2)
    site.kill_worker()
    time.sleep(1)
    site.start_worker(**SWEEP)
    for thread in threads:
        thread.join()
    respawned = site.wait_for_workers(site.workers)
    # Files a killed request wrote before its commit are orphans once older than the grace
    # period; the restarted worker's sweep moves them away.
    time.sleep(SWEEP["STORAGE_ORPHAN_GRACE_SECONDS"] + 3 * SWEEP["STORAGE_SWEEP_EVERY"])
    after = consistency(site, tally)
    with site.app.app_context():
        storage = storage_check.check(grace_seconds=SWEEP["STORAGE_ORPHAN_GRACE_SECONDS"])
        db.session.remove()
    statuses = dict(sorted(tally.statuses["fault_upload"].items()))
    swept = site.log_text("worker.log").count("storage sweep:")
    result = {
        "uploads": statuses,
        "killed_gunicorn_worker": victim,
        "its_requests_in_flight": serving,
        "gunicorn_respawned": respawned,
        "sweeps_that_moved_files": swept,
        "storage_after": {
            "orphans": len(storage.orphans),
            "rows_without_file": len(storage.missing),
            "half_written": len(storage.leftovers),
        },
        "after": {k: v for k, v in after.items() if k != "log_warnings"},
    }
    result["ok"] = (
        respawned
        and not any(code >= 500 for code in statuses)
        and storage.ok
        and after["ok"]
        and statuses.get(201, 0) > 0
        and serving > 0  # the kill did cut requests off
    )
    return result


def _search_total(site: Installation) -> tuple[int, dict]:
    query = urllib.parse.quote("nghị quyết")
    return request(site.base, site.tokens["member"], "GET", f"/search?q={query}")


def index_deleted(site: Installation) -> dict:
    status, before = _search_total(site)
    # Gone at once, as an operator's `rm -rf` ends: renamed away first, then removed, since the
    # worker may be writing a file into it this very moment (rmtree alone then fails).
    index = site.instance / "index"
    gone = index.with_name("index.deleted")
    os.rename(index, gone)
    shutil.rmtree(gone)
    started = time.time()
    first_status, first = _search_total(site)
    recovered = None
    while time.time() - started < 120:
        status, body = _search_total(site)
        if status == 200 and body.get("total") == before.get("total"):
            recovered = round(time.time() - started, 1)
            break
        time.sleep(0.5)
    # Every gunicorn worker has its own searchers: each must have moved to the new generation.
    after = [_search_total(site) for _ in range(4 * site.workers)]
    same = all(status == 200 and body.get("total") == before.get("total") for status, body in after)
    said = first.get("error") or first.get("message") or ""
    result = {
        "first_answer": first_status,
        "first_message": said,
        "total_before": before.get("total"),
        "recovered_after_seconds": recovered,
        "every_worker_answers_as_before": same,
    }
    answered_well = (first_status == 503 and "Chỉ mục" in str(first)) or (
        first_status == 200 and first.get("total") == before.get("total")
    )
    result["ok"] = answered_well and recovered is not None and same
    if not result["ok"]:
        from load import diagnosis

        result["diagnosis"] = diagnosis(site)
    return result


def full_disk(site: Installation) -> dict:
    mount = site.folder / "full"
    mount.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True
    )
    if mounted.returncode != 0:
        return {"ok": True, "skipped": "mount tmpfs is not permitted here (needs root)"}
    server = None
    try:
        filler = mount / "filler"
        free = shutil.disk_usage(mount).free
        filler.write_bytes(b"\0" * (free - 64 * 1024))
        port = free_port()
        env = site.env(UPLOAD_FOLDER=mount / "uploads")
        env.update(ANCUU_BIND=f"127.0.0.1:{port}", ANCUU_WORKERS="1", ANCUU_ACCESS_LOG="/dev/null")
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "deploy" / "gunicorn.conf.py")],
            cwd=str(ROOT),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}/api/v1"
        _wait_for_port(port)
        listed = request(base, site.tokens["secretariat"], "GET", "/documents")[1].get("total")
        data = ("Báo cáo quá dung lượng đĩa. " * 12000).encode()
        status, body = request(
            base,
            site.tokens["clerk"],
            "POST",
            "/documents",
            body={"title": "Báo cáo khi đĩa đầy", "doc_type": "BC"},
            files={"file": ("bao-cao.txt", data)},
        )
        after = request(base, site.tokens["secretariat"], "GET", "/documents")[1].get("total")
        left = [str(p.relative_to(mount)) for p in mount.rglob("*") if p.is_file() and p != filler]
        result = {
            "status": status,
            "message": body.get("error") or body.get("message"),
            "documents_before": listed,
            "documents_after": after,
            "files_left": left,
        }
        result["ok"] = status == 507 and "dung lượng" in str(body) and listed == after and not left
        return result
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        subprocess.run(["umount", str(mount)], capture_output=True)


def _wait_for_port(port: int) -> None:
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")
