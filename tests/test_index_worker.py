"""Index upkeep off the request path: requests enqueue and read, the worker indexes."""

from __future__ import annotations

import errno
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from whoosh.writing import SegmentWriter

from ancuu_docs.documents import services
from ancuu_docs.documents.commands import MetadataChange, Move, NewDocument
from ancuu_docs.extensions import db
from ancuu_docs.search import indexing
from ancuu_docs.search.engines.tantivy import TantivyEngine
from ancuu_docs.search.store import NeedsRebuild, forget_searchers
from tests import samples
from tests.conftest import BOTH_ENGINES, HeldWriter
from tests.processes import app_script, start_worker, wait_for

pytestmark = BOTH_ENGINES


def _search(api, q, role="secretariat"):
    response = api(role, "GET", "/search", query_string={"q": q})
    assert response.status_code == 200, response.json
    return [hit["id"] for hit in response.json["hits"]]


def test_with_a_worker_running_requests_only_enqueue(app, api, login):
    first = api.upload("secretariat", title="Kế hoạch tổ chức Tết Trung thu", doc_type="KH").json
    assert _search(api, "Trung thu") == [first["id"]]  # no worker: indexed right after the commit

    indexing.beat()  # a worker says it is alive
    second = api.upload("secretariat", title="Kế hoạch phòng chống lụt bão", doc_type="KH").json
    assert indexing.pending_jobs() == 1
    # Reading pages and searching leave the job to the worker.
    assert _search(api, "lụt bão") == []
    assert login("secretariat").get(f"/documents/{first['id']}").status_code == 200
    assert indexing.pending_jobs() == 1

    assert indexing.worker_step(verify=False) == 1
    assert indexing.pending_jobs() == 0
    assert _search(api, "lụt bão") == [second["id"]]


def test_worker_process_indexes_and_stops_on_sigterm(app, instance, api):
    api.upload("secretariat", title="Nghị quyết về chuyển đổi số", doc_type="NQ")
    process = start_worker(instance, stderr=subprocess.PIPE)
    try:
        assert wait_for(indexing.worker_running), "the worker never started"
        doc = api.upload("secretariat", title="Kế hoạch phòng cháy chữa cháy mùa khô", doc_type="KH").json
        assert wait_for(lambda: _search(api, "phòng cháy chữa cháy") == [doc["id"]])
        # The job leaves the outbox just after the index commit that made it searchable.
        assert wait_for(lambda: db.session.rollback() or indexing.pending_jobs() == 0)
    finally:
        process.send_signal(signal.SIGTERM)
        _stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert not indexing.worker_running()  # its heartbeat is gone with it


def test_rebuild_picks_up_changes_committed_while_it_runs(app, accounts, api):
    office = accounts["secretariat"].user
    ids = []
    for i in range(5):
        doc = services.create_document(
            office,
            NewDocument.of(title=f"Thông báo lịch trực số {i}", doc_type="TB"),
            services.Upload(samples.docx([f"Thông báo số {i} về lịch trực"]), f"tb-{i}.docx"),
        )
        ids.append(doc.id)
    changed = []

    def change_once(_n):
        # The first chunk (the first two documents) is already in the new generation.
        if not changed:
            services.update_metadata(
                office, ids[0], MetadataChange.of(title="Thông báo lịch tiếp công dân tháng Chạp")
            )
            changed.append(ids[0])

    indexing.rebuild(progress=change_once, chunk=2)
    assert changed == [ids[0]]
    assert _search(api, "tiếp công dân tháng Chạp") == [ids[0]]
    assert indexing.check().ok


def test_worker_heartbeat_is_fresh_only_while_it_beats(app):
    assert not indexing.worker_running()
    indexing.beat()
    assert indexing.worker_running()
    app.config["INDEX_WORKER_HEARTBEAT"] = 0.0
    assert not indexing.worker_running()


def test_damaged_index_files_are_reported_and_repaired_off_the_request_path(app, api, login):
    doc = api.upload("secretariat", title="Kế hoạch tổ chức Tết Nguyên đán", doc_type="KH").json
    generation = indexing.store().root / indexing.store().current_generation()
    for path in generation.iterdir():  # the files are gone (a disk fault, a careless cleanup)
        path.unlink()

    response = api("member", "GET", "/search", query_string={"q": "Tết Nguyên đán"})
    assert response.status_code == 503
    runner = app.test_cli_runner()
    result = runner.invoke(args=["index", "check"])
    assert result.exit_code == 1 and "Chỉ mục không dùng được" in result.output

    result = runner.invoke(args=["index", "check", "--repair"])
    assert result.exit_code == 0 and "Đã dựng lại chỉ mục." in result.output
    assert _search(api, "Tết Nguyên đán") == [doc["id"]]
    assert runner.invoke(args=["index", "check"]).exit_code == 0


# A mistake in our own code inside an engine call: an argument the engine does not take.
WRONG_CALLS = {
    "whoosh": lambda reader: list(reader.searcher.docs_for_query("không phải truy vấn")),
    "tantivy": lambda reader: reader.searcher.search("không phải truy vấn"),
}


def test_a_programming_error_inside_the_engine_is_a_500_not_index_damage(
    app, api, search_backend, monkeypatch, caplog
):
    """Only the engine's own file errors mean damage: a TypeError or AttributeError raised
    inside a Whoosh or tantivy call is a 500 with its trace in the log, and the index stays
    in use (before, any exception raised in Whoosh's code marked the index damaged and every
    search answered 503 until a rebuild)."""
    doc = api.upload("secretariat", title="Kế hoạch tổ chức Tết Nguyên đán", doc_type="KH").json
    reader_class = type(indexing.store().open())
    monkeypatch.setattr(reader_class, "search", lambda self, *a, **k: WRONG_CALLS[search_backend](self))
    app.config["PROPAGATE_EXCEPTIONS"] = False

    response = api("member", "GET", "/search", query_string={"q": "Tết Nguyên đán"})
    assert response.status_code == 500
    assert response.json["error"] == "Đã xảy ra lỗi hệ thống. Vui lòng thử lại sau."
    assert "Traceback" in caplog.text and "không phải truy vấn" in caplog.text
    assert indexing.store().damaged() is None and indexing.check().ok

    monkeypatch.undo()  # the mistake mended: searches answer at once, no rebuild needed
    assert _search(api, "Tết Nguyên đán") == [doc["id"]]


def test_one_rebuild_at_a_time_and_nobody_removes_a_generation_being_built(app, api):
    api.upload("secretariat", title="Kế hoạch tổ chức Tết Trung thu", doc_type="KH")
    index_store = indexing.store()
    (index_store.root / "CURRENT").unlink()  # no usable index: the next change would build one
    with index_store.rebuilding(wait=True):  # ... but another process is building it now
        being_built = index_store.new_generation()
        doc = api.upload("secretariat", title="Kế hoạch phòng chống lụt bão", doc_type="KH").json
        assert indexing.pending_jobs() == 1  # postponed, not a second rebuild
        assert being_built in index_store.generations()
        assert indexing.worker_step(verify=True) == 0  # the worker waits for it, no failure
    assert indexing.trouble("rebuild").count == 0  # so it looks again at once, not later
    indexing.retry_all_now()
    assert indexing.worker_step(verify=True) == 1
    assert _search(api, "lụt bão") == [doc["id"]]


def test_a_flush_waiting_for_the_writer_writes_the_state_after_the_wait(app, accounts, api):
    """Two flushes of one document, the later change committed while the first waits for the
    writer: the index ends with the later state and no job left (before, it ended "in review"
    with the approval's job gone)."""
    import threading

    office = accounts["secretariat"].user
    doc = services.create_document(
        office,
        NewDocument.of(title="Nghị quyết về chuyển đổi số", doc_type="NQ"),
        services.Upload(samples.docx(["Nghị quyết về chuyển đổi số"]), "nq.docx"),
    )
    indexing.beat()  # a worker is alive: commits leave their jobs in the outbox
    services.transition(office, doc.id, Move.of(to="in_review"))
    other_writer = HeldWriter(indexing.store())  # another process is writing the index
    flushed = []

    def flush() -> None:
        with app.app_context():
            flushed.append(indexing.flush_outbox())

    waiting = threading.Thread(target=flush)
    waiting.start()
    time.sleep(0.5)  # the flush is now waiting for the writer
    number = services.transition(office, doc.id, Move.of(to="approved")).number
    other_writer.cancel()
    waiting.join(timeout=30)
    db.session.rollback()  # this test's own snapshot predates the flush
    assert flushed and indexing.pending_jobs() == 0
    response = api("member", "GET", "/search", query_string={"q": number}).json
    assert [(h["id"], h["status"]) for h in response["hits"]] == [(doc.id, "approved")]
    assert indexing.check().ok


def test_a_write_that_a_rebuild_overtakes_lands_in_the_new_generation(app, accounts):
    """A flush holds the live generation's writer while a rebuild makes another generation live:
    its changes are written again into the new one (before, they went with the retired one,
    and the jobs naming them were deleted, so the new generation kept the old state)."""
    office = accounts["secretariat"].user
    doc = services.create_document(
        office,
        NewDocument.of(title="Kế hoạch phòng chống bão lụt", doc_type="KH"),
        services.Upload(samples.docx(["Kế hoạch phòng chống bão lụt"]), "kh.docx"),
    )
    store = indexing.store()
    key = f"document:{doc.id}"
    swapped = []

    def build():
        if not swapped:  # the rebuild's swap, while this write holds the old generation
            generation = store.new_generation()
            store.activate(generation)
            swapped.append(generation)
        return [entry for batch in indexing.entries([key]) for entry in batch], []

    store.apply_built(build)
    assert swapped and store.current_generation() == swapped[0]
    assert key in store.stamps()


class _CommitFails:
    """tantivy's writer (a Rust object) with a commit that fails as a full disk would."""

    def __init__(self, writer):
        self._writer = writer

    def __getattr__(self, name):
        return getattr(self._writer, name)

    def commit(self):
        raise OSError(errno.ENOSPC, "No space left on device")


def _make_index_commits_fail(monkeypatch, backend: str) -> None:
    if backend == "whoosh":

        def commit(self, *args, **kwargs):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(SegmentWriter, "commit", commit)
    else:
        opened = TantivyEngine._open_writer
        monkeypatch.setattr(TantivyEngine, "_open_writer", lambda self, *a: _CommitFails(opened(self, *a)))


def test_a_job_stays_queued_when_the_index_commit_fails_after_it_was_picked(
    app, api, search_backend, monkeypatch
):
    """A job leaves the outbox only after the index commit that holds it: the commit failing
    after the jobs were picked and their entries built leaves them queued, the upload is
    filed all the same, and the index converges once the fault is gone."""
    first = api.upload("secretariat", title="Kế hoạch tổ chức Tết Trung thu", doc_type="KH").json
    _make_index_commits_fail(monkeypatch, search_backend)
    second = api.upload("secretariat", title="Kế hoạch phòng chống lụt bão", doc_type="KH")
    assert second.status_code == 201
    assert indexing.pending_jobs() == 1 and indexing.trouble("writes").count == 1
    assert _search(api, "lụt bão") == []

    monkeypatch.undo()  # room on the disk again
    indexing.retry_all_now()
    assert indexing.worker_step(verify=True) == 1
    assert indexing.pending_jobs() == 0
    assert _search(api, "lụt bão") == [second.json["id"]] and _search(api, "Trung thu") == [first["id"]]


def test_a_crash_between_the_database_and_the_index_leaves_the_job_to_retry(app, instance, api):
    """kill -9 after the upload's commit and before its index commit: the job stays and the
    worker indexes it, with no `--repair`."""
    api.upload("secretariat", title="Kế hoạch tổ chức Tết Trung thu", doc_type="KH")
    script = textwrap.dedent(
        f"""
        import os
        from ancuu_docs import create_app
        from ancuu_docs.auth.models import User
        from ancuu_docs.documents import services
        from ancuu_docs.documents.commands import Move, NewDocument
        from ancuu_docs.extensions import db
        from ancuu_docs.search.store import IndexStore
        app = create_app({{"SECRET_KEY": "t", "UPLOAD_FOLDER": {str(instance / "uploads")!r}}},
                         instance_path={str(instance)!r})
        IndexStore.apply_built = lambda *args, **kwargs: os._exit(9)  # killed right here
        with app.app_context():
            office = db.session.query(User).filter_by(username="secretariat").one()
            upload = services.Upload(b"Ke hoach phong chong lut bao", "kh.txt")
            draft = NewDocument.of(title="Kế hoạch chống lụt bão", doc_type="KH")
            services.create_document(office, draft, upload)
        """
    )
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert completed.returncode == 9, completed.stderr
    assert indexing.pending_jobs() == 1
    assert not indexing.check().ok  # the committed document is not in the index yet
    indexing.worker_step(verify=True)
    assert indexing.pending_jobs() == 0 and indexing.check().ok
    assert len(_search(api, "lụt bão")) == 1


def test_the_worker_mends_drift_on_its_own(app, api):
    doc = api.upload("secretariat", title="Kế hoạch tổ chức Tết Trung thu", doc_type="KH").json
    indexing.store().apply([], deletes=[f"document:{doc['id']}"])  # drift: the entry is lost
    assert _search(api, "Trung thu") == [] and indexing.pending_jobs() == 0
    indexing.worker_step(verify=False, reconcile=True)
    assert _search(api, "Trung thu") == [doc["id"]]


def test_a_truncated_segment_is_reported_not_a_crash_and_the_worker_rebuilds(
    app, instance, api, search_backend
):
    """Read without memory mapping: a segment truncated under an open searcher is an error that
    search reports (503), not a SIGBUS that kills the process; the worker then rebuilds."""
    if search_backend == "tantivy":
        pytest.skip(
            "tantivy maps its files into memory: a file truncated under it is a SIGBUS (BENCHMARKS.md)"
        )
    for i in range(3):
        api.upload("secretariat", title=f"Kế hoạch số {i} về phòng cháy chữa cháy", doc_type="KH")
    generation = indexing.store().root / indexing.store().current_generation()
    script = textwrap.dedent(
        f"""
        import pathlib
        from ancuu_docs import create_app
        from ancuu_docs.auth import services as users
        app = create_app({{"SECRET_KEY": "t", "UPLOAD_FOLDER": {str(instance / "uploads")!r}}},
                         instance_path={str(instance)!r})
        with app.app_context():
            token = users.issue_token(None, users.find_user("member").id)
        client = app.test_client()
        headers = {{"Authorization": "Bearer " + token}}
        for q in ("phòng cháy", "chữa cháy"):
            print(client.get("/api/v1/search", query_string={{"q": q}}, headers=headers).status_code)
            for path in pathlib.Path({str(generation)!r}).glob("*.seg"):  # under the open searcher
                with open(path, "r+b") as segment:
                    segment.truncate(64)
        """
    )
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert completed.stdout.split() == ["200", "503"], completed.stderr[-3000:]
    assert not indexing.check().ok  # reported as unusable
    indexing.worker_step(verify=True)
    assert len(_search(api, "phòng cháy chữa cháy")) == 3


def test_several_processes_changing_at_once_leave_a_clean_index(app, instance, api):
    """Three processes upload and approve at the same time, each indexing after its own
    commits; afterwards nothing is pending and the index matches the database."""
    api.upload("secretariat", title="Kế hoạch ban đầu", doc_type="KH")
    script = textwrap.dedent(
        f"""
        import sys
        from ancuu_docs import create_app
        from ancuu_docs.auth.models import User
        from ancuu_docs.documents import services
        from ancuu_docs.documents.commands import Move, NewDocument
        from ancuu_docs.extensions import db
        app = create_app({{"SECRET_KEY": "t", "UPLOAD_FOLDER": {str(instance / "uploads")!r}}},
                         instance_path={str(instance)!r})
        with app.app_context():
            for i in range(8):
                office = db.session.query(User).filter_by(username="secretariat").one()
                text = f"Ke hoach so {{sys.argv[1]}}-{{i}} ve dan van".encode()
                upload = services.Upload(text, "kh.txt")
                draft = NewDocument.of(title=f"Kế hoạch {{i}}", doc_type="KH")
                doc = services.create_document(office, draft, upload)
                services.transition(office, doc.id, Move.of(to="in_review"))
                services.transition(office, doc.id, Move.of(to="approved"))
                db.session.remove()
        """
    )
    processes = [subprocess.Popen([sys.executable, "-c", script, str(n)]) for n in range(3)]
    assert [process.wait(timeout=120) for process in processes] == [0, 0, 0]
    indexing.worker_step(verify=True)  # whatever waited for its retry
    assert indexing.pending_jobs() == 0
    assert indexing.check().ok
    response = api("member", "GET", "/search", query_string={"q": "dan van"}).json
    assert response["total"] == 24 and {h["status"] for h in response["hits"]} == {"approved"}


def test_searchers_opened_while_another_process_commits_never_report_the_index_unusable(app, instance, api):
    """A commit replaces the index's table of contents and deletes the old one: a process opening
    the index at that moment must open the new one, not answer "index not ready" (a 503 under
    load, before)."""
    api.upload("secretariat", title="Nghị quyết về công tác dân vận", doc_type="NQ")
    script = app_script(
        instance,
        """
        import time
        from ancuu_docs.search import indexing
        store = indexing.store()
        entry = next(indexing.entries())[0]
        deadline = time.monotonic() + 6
        while time.monotonic() < deadline:
            store.apply([entry])  # one commit after another, each cleaning the old files
        """,
    )
    writer = subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE, text=True)
    # Busy processes beside them, as on a loaded server: the reader is preempted between
    # listing the files and opening them, the moment the race needs.
    busy = [
        subprocess.Popen(
            [sys.executable, "-c", "import time\nend = time.time() + 8\nwhile time.time() < end: pass"]
        )
        for _ in range(2)
    ]
    store = indexing.store()
    failures = opened = 0
    try:
        time.sleep(1)
        while writer.poll() is None:
            try:
                store.read(lambda searcher: searcher.doc_count())
                opened += 1
            except NeedsRebuild:
                failures += 1
            forget_searchers()  # the next read opens the index anew, as after each commit
    finally:
        _stdout, stderr = writer.communicate(timeout=30)
        for process in busy:
            process.kill()
            process.wait()
    assert writer.returncode == 0, stderr
    assert opened > 50 and failures == 0


def test_a_burst_of_signals_stops_the_worker_without_deadlock(app, instance, search_backend):
    """systemd, serve.sh and an impatient Ctrl+C may send several signals at once; a handler that
    takes a lock the interrupted main thread holds would hang the worker for ever."""
    process = start_worker(instance, stderr=subprocess.PIPE)
    try:
        assert wait_for(indexing.worker_running), "the worker never started"
        for _ in range(200):
            process.send_signal(signal.SIGTERM)
            if process.poll() is not None:
                break
        process.wait(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
            raise AssertionError("the worker hung on a burst of SIGTERM")
    assert process.returncode == 0
