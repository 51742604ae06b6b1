"""Proof under load and faults: `make loadtest` (and a 60-second run of it in `.ci/run`).

    .venv/bin/python bench/load.py --database sqlite|postgresql [--seconds 60] [--clients 20]
                                   [--workers 4] [--no-faults]

gunicorn with deploy/gunicorn.conf.py (4 workers) and the index/OCR worker serve a fresh
instance on SQLite or on a throwaway PostgreSQL cluster. 20 clients on 127.0.0.1 for 60 s:
80% searches, 15% new versions (a new draft now and then), 5% approvals and incoming
registrations. Then, once the worker has caught up, it checks: no 5xx, no "database is
locked" anywhere, every 201 downloadable with the SHA-256 that was sent, numbers and arrival
numbers unique and gapless, `index check` clean. Then the faults (bench/faults.py). Exit
status 0 when everything holds; the report goes to stdout and bench/results/load-DATABASE.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import faults  # noqa: E402
from loadkit import Installation, percentile, request  # noqa: E402

KINDS = ("search", "version", "approve", "register")
# Every document of the run carries this phrase (seeded ones, each version, each registration's
# title): once the worker has caught up, each reader's total for it must equal the documents
# the database says that reader may read.
COMMON = "thực hiện nghị quyết"
WEIGHTS = (0.80, 0.15, 0.025, 0.025)
QUERIES = [
    "nghị quyết",
    "nghi quyet",
    "dân vận",
    "dan van",
    "chuyển đổi số",
    '"kế hoạch thực hiện"',
    "an sinh xã hội",
    "kiem tra giam sat",
    "ngân sách",
    "đô thị văn minh",
]


class Tally:
    """What the clients saw: statuses and latencies per kind, and every file a 201 stored."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.statuses: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.stored: list[tuple[int, int, str]] = []  # (document, version, sha256 sent)
        self.words: list[tuple[str, int]] = []  # a word only this document's title carries
        self.locked_messages = 0

    def note(self, kind: str, status: int, seconds: float, body: dict) -> None:
        with self.lock:
            self.statuses[kind][status] += 1
            self.latencies[kind].append(seconds)
            if "locked" in json.dumps(body, ensure_ascii=False):
                self.locked_messages += 1

    def keep(self, doc_id: int, n: int, data: bytes) -> None:
        with self.lock:
            self.stored.append((doc_id, n, hashlib.sha256(data).hexdigest()))


def _client(site: Installation, tally: Tally, index: int, stop_at: float, cycle: bool = False) -> None:
    """One client's loop: kinds drawn by WEIGHTS, or taken in turn (`cycle`, the baseline)."""
    rng = random.Random(index)
    drafts: dict[int, int] = {}  # this client's drafts: id -> current version
    registered = 0

    def call(kind, token, method, path, **kwargs):
        started = time.perf_counter()
        status, body = request(site.base, token, method, path, **kwargs)
        tally.note(kind, status, time.perf_counter() - started, body)
        return status, body

    def new_draft(kind: str) -> None:
        word = f"tai{index:02d}x{rng.randrange(10**9):09d}"
        data = f"Kế hoạch thực hiện nghị quyết về công tác dân vận, mã {word}.".encode()
        status, doc = call(
            kind,
            site.tokens["clerk"],
            "POST",
            "/documents",
            body={"title": f"Kế hoạch {word}", "doc_type": "KH"},
            files={"file": ("ke-hoach.txt", data)},
        )
        if status == 201:
            tally.keep(doc["id"], 1, data)
            drafts[doc["id"]] = 1
            with tally.lock:
                tally.words.append((word, doc["id"]))

    step = 0
    while time.time() < stop_at:
        kind = KINDS[step % len(KINDS)] if cycle else rng.choices(KINDS, WEIGHTS)[0]
        step += 1
        if kind == "search":
            role = "member" if rng.random() < 0.7 else "secretariat"
            query = urllib.parse.quote(rng.choice(QUERIES))
            call(kind, site.tokens[role], "GET", f"/search?q={query}")
        elif kind == "version":
            if not drafts or rng.random() < 0.2:
                new_draft(kind)
                continue
            doc_id = rng.choice(list(drafts))
            data = f"Bản sửa {drafts[doc_id] + 1}: kế hoạch thực hiện nghị quyết, {rng.random()}.".encode()
            status, _ = call(
                kind,
                site.tokens["clerk"],
                "POST",
                f"/documents/{doc_id}/versions",
                body={"base_version": drafts[doc_id]},
                files={"file": ("ke-hoach.txt", data)},
            )
            if status == 201:
                drafts[doc_id] += 1
                tally.keep(doc_id, drafts[doc_id], data)
        elif kind == "approve":
            if not drafts:
                new_draft("version")
                continue
            doc_id = rng.choice(list(drafts))
            del drafts[doc_id]
            for target in ("in_review", "approved"):
                status, _ = call(
                    kind,
                    site.tokens["secretariat"],
                    "POST",
                    f"/documents/{doc_id}/transitions",
                    body={"to": target},
                )
                if status != 200:
                    break
        else:
            registered += 1
            number = index * 10_000 + registered
            call(
                kind,
                site.tokens["secretariat"],
                "POST",
                "/documents",
                body={
                    "origin": "incoming",
                    "doc_type": "CV",
                    "title": f"Công văn về thực hiện nghị quyết, số {number}",
                    "number": f"{number}-CV/VPTU",
                    "issuer": "Văn phòng Thành ủy",
                    "issue_date": "2026-11-20",
                    "received_date": "2026-11-25",
                },
            )


def run_load(
    site: Installation, clients: int, seconds: float, first: int = 0, cycle: bool = False
) -> tuple[Tally, float]:
    """`clients` clients for `seconds`; each numbered from `first` (its words, its numbers)."""
    tally = Tally()
    stop_at = time.time() + seconds
    threads = [
        threading.Thread(target=_client, args=(site, tally, first + i, stop_at, cycle))
        for i in range(clients)
    ]
    started = time.time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally, time.time() - started


def figures(tally: Tally, elapsed: float) -> dict:
    kinds = {}
    for kind in KINDS:
        latencies = tally.latencies.get(kind, [])
        kinds[kind] = {
            "requests": len(latencies),
            "per_second": round(len(latencies) / elapsed, 1),
            "p50_ms": round(percentile(latencies, 50) * 1000),
            "p95_ms": round(percentile(latencies, 95) * 1000),
            "statuses": dict(sorted(tally.statuses.get(kind, {}).items())),
        }
    total = sum(len(v) for v in tally.latencies.values())
    return {
        "seconds": round(elapsed, 1),
        "requests": total,
        "per_second": round(total / elapsed, 1),
        "kinds": kinds,
    }


def wait_until_indexed(site: Installation, seconds: float = 180) -> int:
    from ancuu_docs.extensions import db
    from ancuu_docs.search import indexing

    deadline = time.time() + seconds
    with site.app.app_context():
        while time.time() < deadline:
            pending = indexing.pending_jobs()
            db.session.rollback()
            if not pending:
                return 0
            time.sleep(0.5)
        return indexing.pending_jobs()


def consistency(site: Installation, tally: Tally) -> dict:
    """Everything that must hold once the worker has caught up."""
    from sqlalchemy import func, select

    from ancuu_docs.auth.models import User
    from ancuu_docs.documents.models import Document
    from ancuu_docs.documents.policy import readable_documents
    from ancuu_docs.extensions import db
    from ancuu_docs.search import indexing

    result: dict = {"pending_after_catch_up": wait_until_indexed(site)}
    with site.app.app_context():
        check = indexing.check()
        result["index_check"] = {
            "missing": len(check.missing),
            "stale": len(check.stale),
            "extra": len(check.extra),
        }
        numbers, arrivals = defaultdict(list), defaultdict(list)
        rows = db.session.execute(
            select(
                Document.origin,
                Document.term,
                Document.doc_type,
                Document.number_seq,
                Document.arrival_year,
                Document.arrival_number,
            )
        ).all()
        for origin, term, doc_type, seq, year, arrival in rows:
            if origin == "internal" and seq is not None:
                numbers[(term, doc_type)].append(seq)
            if arrival is not None:
                arrivals[year].append(arrival)
        readable = {}
        for role in ("member", "secretariat"):
            reader = db.session.scalars(select(User).where(User.username == role)).one()
            counted = select(func.count()).select_from(Document).where(readable_documents(reader))
            readable[role] = db.session.scalar(counted)
        db.session.remove()
    with site.app.app_context():
        from ancuu_docs.search import querying
        from ancuu_docs.search import services as search_services

        # The same count in this process, on a searcher opened now: when the served total differs
        # from the database and this one does not, the serving processes read a stale index.
        fresh = {}
        for role in ("member", "secretariat"):
            reader = db.session.scalars(select(User).where(User.username == role)).one()
            fresh[role] = querying.count(
                indexing.store(), f'"{COMMON}"', visibility=search_services.visibility(reader)
            )
            if fresh[role] != readable[role]:
                seen = search_services.visibility(reader)
                found = querying.search(
                    indexing.store(),
                    f'"{COMMON}"',
                    visibility=seen,
                    filters=querying.Filters(),
                    sort="relevance",
                    page=1,
                    per_page=5000,
                )
                allowed = set(db.session.scalars(select(Document.id).where(readable_documents(reader))))
                wrong = [hit.key for hit in found.hits if int(hit.key.split(":")[1]) not in allowed]
                fresh[f"{role}_wrong_hits"] = [(key, key in seen.hidden) for key in wrong[:10]]
        db.session.remove()
    phrase = urllib.parse.quote(f'"{COMMON}"')
    totals = {}
    for role, expected in readable.items():
        found = request(site.base, site.tokens[role], "GET", f"/search?q={phrase}")[1].get("total")
        totals[role] = {
            "search_total": found,
            "readable_in_database": expected,
            "fresh_searcher": fresh[role],
        }
    not_once = [
        word
        for word, doc_id in tally.words
        if [
            hit["id"]
            for hit in request(site.base, site.tokens["secretariat"], "GET", f"/search?q={word}")[1].get(
                "hits", []
            )
        ]
        != [doc_id]
    ]
    result["totals"] = totals
    result["unique_words"] = {"checked": len(tally.words), "not_found_exactly_once": not_once[:20]}
    gaps = [
        f"{term} {doc_type}"
        for (term, doc_type), seqs in numbers.items()
        if sorted(seqs) != list(range(1, len(seqs) + 1))
    ]
    gaps += [
        f"arrivals {year}" for year, seqs in arrivals.items() if sorted(seqs) != list(range(1, len(seqs) + 1))
    ]
    result["numbers"] = {
        "issued": sum(len(v) for v in numbers.values()),
        "arrivals": sum(len(v) for v in arrivals.values()),
        "not_unique_or_gapless": gaps,
    }
    wrong = []
    for doc_id, n, sha in tally.stored:
        status, data = request(
            site.base, site.tokens["secretariat"], "GET", f"/documents/{doc_id}/versions/{n}/file", raw=True
        )
        if status != 200 or hashlib.sha256(data).hexdigest() != sha:
            wrong.append(f"{doc_id}/{n}: {status}")
    result["downloads"] = {"checked": len(tally.stored), "wrong": wrong[:20], "wrong_count": len(wrong)}
    logs = site.log_text("server.log") + site.log_text("worker.log")
    result["database_is_locked"] = logs.count("database is locked") + tally.locked_messages
    result["tracebacks_in_logs"] = logs.count("Traceback")
    result["log_warnings"] = [
        line[:300]
        for line in logs.splitlines()
        if any(
            w in line
            for w in (
                "ERROR",
                "WARNING",
                "damaged",
                "Error",
                "building the search index",
                "503",
                "unreadable",
            )
        )
    ][:20]
    if result["pending_after_catch_up"] or any(
        row["search_total"] != row["readable_in_database"] for row in totals.values()
    ):
        result["diagnosis"] = diagnosis(site)
    result["ok"] = (
        not result["pending_after_catch_up"]
        and check.ok
        and not gaps
        and not wrong
        and not result["database_is_locked"]
        and all(row["search_total"] == row["readable_in_database"] for row in totals.values())
        and not not_once
    )
    return result


def diagnosis(site: Installation) -> dict:
    """What to look at when the index did not catch up: is the worker alive, what the outbox
    holds (tries, errors, when next), and the end of the worker's log."""
    from sqlalchemy import func, select

    from ancuu_docs.extensions import db
    from ancuu_docs.search.models import IndexJob
    from ancuu_docs.timeutil import utcnow

    with site.app.app_context():
        rows = db.session.execute(
            select(IndexJob.attempts, func.count(), func.max(IndexJob.next_attempt_at))
            .group_by(IndexJob.attempts)
            .order_by(IndexJob.attempts)
        ).all()
        errors = db.session.scalars(
            select(IndexJob.last_error).where(IndexJob.last_error.is_not(None)).distinct().limit(5)
        ).all()
        now = utcnow()
        db.session.remove()
    worker = site.worker
    return {
        "worker_alive": worker is not None and worker.poll() is None,
        "worker_exit_code": None if worker is None else worker.poll(),
        "outbox_by_attempts": [
            {"attempts": attempts, "jobs": n, "next_try_in_s": round((latest - now).total_seconds())}
            for attempts, n, latest in rows
        ],
        "outbox_errors": [e[:300] for e in errors],
        "index_folder": sorted(p.name for p in (site.instance / "index").glob("*"))[:30],
        "worker_log_tail": site.log_text("worker.log").splitlines()[-40:],
        "server_log_tail": site.log_text("server.log").splitlines()[-20:],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--no-faults", dest="faults", action="store_false")
    parser.add_argument("--keep", action="store_true", help="keep the instance and its logs (bench/work/)")
    parser.add_argument(
        "--baseline-seconds",
        type=float,
        default=10,
        help="one client alone first: the latencies to compare with",
    )
    options = parser.parse_args()

    site = Installation(options.database, workers=options.workers)
    report: dict = {
        "database": options.database,
        "clients": options.clients,
        "gunicorn_workers": options.workers,
    }
    try:
        print(
            f"[{options.database}] cài đặt, {options.clients} người dùng trong {options.seconds:.0f} s …",
            flush=True,
        )
        site.setup()
        site.start_server()
        site.start_worker()
        # Warm every gunicorn worker (first imports, first index open) before anything is timed.
        warm, _ = run_load(site, 2 * options.workers, 3, first=options.clients + 1, cycle=True)
        baseline, baseline_elapsed = run_load(
            site, 1, options.baseline_seconds, first=options.clients, cycle=True
        )
        report["baseline_one_client"] = figures(baseline, baseline_elapsed)
        tally, elapsed = run_load(site, options.clients, options.seconds)
        report["load"] = figures(tally, elapsed)
        for kind, row in report["load"]["kinds"].items():
            alone = report["baseline_one_client"]["kinds"][kind]["p95_ms"]
            row["p95_vs_one_client"] = round(row["p95_ms"] / alone, 1) if alone else None
        counts = [(code, n) for kind in tally.statuses.values() for code, n in kind.items()]
        report["load"]["responses_5xx"] = sum(n for code, n in counts if code >= 500)
        report["load"]["connection_errors"] = sum(n for code, n in counts if code == 0)
        both = Tally()
        both.stored = warm.stored + baseline.stored + tally.stored
        both.words = warm.words + baseline.words + tally.words
        both.locked_messages = warm.locked_messages + baseline.locked_messages + tally.locked_messages
        report["consistency"] = consistency(site, both)
        ok = (
            report["consistency"]["ok"]
            and not report["load"]["responses_5xx"]
            and not report["load"]["connection_errors"]
        )
        if options.faults:
            report["faults"] = faults.run_all(site, consistency)
            ok = ok and all(fault["ok"] for fault in report["faults"].values())
        report["ok"] = ok
    finally:
        site.stop(keep=options.keep)
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    (results / f"load-{options.database}.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print(json.dumps(report, ensure_ascii=False, indent=2))
    print(f"[{options.database}] {'ĐẠT' if report.get('ok') else 'KHÔNG ĐẠT'}")
    return 0 if report.get("ok") else 1


if __name__ == "__main__":
    sys.exit(main())
