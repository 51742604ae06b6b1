"""The index worker: one process that keeps the index up to date, so requests never do.

`flask --app app index worker` runs it (`make run` starts it beside the server). Every
`INDEX_WORKER_POLL` seconds it flushes the due outbox jobs; every `INDEX_VERIFY_EVERY` seconds
it also opens the index, and builds it again if it is missing, damaged or of another schema
version; every `INDEX_RECONCILE_EVERY` seconds it compares the index's stamps with the
database and mends any drift on its own; every `STORAGE_SWEEP_EVERY` seconds it moves stored
files no row names (a crashed upload's) out of the way (storage_check). While it runs it keeps
a heartbeat file, so the web processes leave indexing to it.
"""

from __future__ import annotations

import logging
import signal
import threading
import time

from flask import current_app

from .. import storage_check
from ..documents import intake as intakes
from ..extensions import db
from ..ocr import intake_reading
from ..ocr import services as ocr
from . import indexing

log = logging.getLogger(__name__)
SIGNAL_CHECK = 0.05  # seconds between looks at whether a signal came
OCR_STOP_SECONDS = 30.0  # how long a stopping worker waits for its OCR thread to tidy up


def run(stop: threading.Event | None = None, *, on_round=None) -> None:
    signalled: list[int] = []
    if stop is None:
        stop = threading.Event()
        _stop_on_signals(signalled)
    config = current_app.config
    ocr.remove_leftovers()  # copies of scans a killed worker left behind
    # OCR takes minutes a file: it runs beside the index rounds, in a thread of this process.
    reader = threading.Thread(
        target=_ocr_loop, args=(current_app._get_current_object(), stop), daemon=True, name="ocr"
    )
    reader.start()
    last_verify = last_reconcile = last_sweep = float("-inf")
    trouble = indexing.Trouble("the index worker's round failed")
    try:
        while not stop.is_set():
            now = time.monotonic()
            verify = now - last_verify >= config["INDEX_VERIFY_EVERY"]
            if verify:
                last_verify = now
            reconcile = now - last_reconcile >= config["INDEX_RECONCILE_EVERY"]
            if reconcile:
                last_reconcile = now
            try:
                done = indexing.worker_step(verify=verify, reconcile=reconcile)
                if now - last_sweep >= config["STORAGE_SWEEP_EVERY"]:
                    last_sweep = now
                    intakes.remove_unused()  # files staged for a form a day ago and never used
                    _sweep_storage()
                if on_round is not None:
                    on_round(done)
                trouble.over()
            except Exception as exc:  # the database down, a full disk: said once, the worker lives on
                trouble.failed(exc)
            finally:
                db.session.remove()
            _pause(stop, signalled, max(config["INDEX_WORKER_POLL"], trouble.pause))
    finally:
        stop.set()  # the OCR thread puts its job back and removes its copy of the scan
        reader.join(timeout=OCR_STOP_SECONDS)
        indexing.worker_stopped()


def _sweep_storage() -> None:
    report = storage_check.sweep()
    if report is None:
        log.error(
            "storage sweep held back: most stored files have no row in this database "
            "(another instance's upload folder?); run `storage check` and repair by hand"
        )
        return
    if report.orphans or report.leftovers or report.restored:
        log.warning(
            "storage sweep: %d orphan files to the trash, %d half-written removed, %d put back",
            len(report.orphans),
            len(report.leftovers),
            len(report.restored),
        )
    if report.missing:
        log.error("storage sweep: %d rows whose file is missing", len(report.missing))


def _ocr_loop(app, stop: threading.Event) -> None:
    trouble = indexing.Trouble("the OCR round failed")
    with app.app_context():
        while not stop.is_set():
            try:
                # A staged scan first: someone waits for its header on a form.
                worked = intake_reading.run_one(cancelled=stop.is_set) or ocr.run_one(cancelled=stop.is_set)
                trouble.over()
            except Exception as exc:  # the database down: said once, keeps reading
                trouble.failed(exc)
                worked = False
            finally:
                db.session.remove()
            if not worked:
                stop.wait(max(app.config["INDEX_WORKER_POLL"], trouble.pause))


def _stop_on_signals(signalled: list[int]) -> None:
    """SIGTERM and SIGINT only note that they came. A handler runs in the main thread between
    two of its steps, and the main thread may be inside `stop`'s own lock at that moment:
    setting the event from the handler deadlocked a worker sent two signals at once."""
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda number, _frame: signalled.append(number))


def _pause(stop: threading.Event, signalled: list[int], seconds: float) -> None:
    """Wait `seconds`, or less once a signal came (then `stop` is set, here, outside the handler,
    and the OCR thread waiting on it wakes up too)."""
    deadline = time.monotonic() + seconds
    while not stop.is_set():
        if signalled:
            stop.set()
            return
        left = deadline - time.monotonic()
        if left <= 0:
            return
        time.sleep(min(left, SIGNAL_CHECK))
