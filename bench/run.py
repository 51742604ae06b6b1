"""The benchmark suite: `make bench`. Each figure is measured side by side with its baseline
in the same run, so the ratio holds on a noisy machine.

    BENCH_SIZES=1000,5000,20000 python bench/run.py

Writes bench/results/latest.json, latest.md (the table) and latest.png (the plot).
"""

from __future__ import annotations

import io
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
import raw_whoosh  # noqa: E402

from ancuu_docs.auth.commands import NewUser  # noqa: E402
from ancuu_docs.documents.commands import Move, NewDocument  # noqa: E402
from ancuu_docs.documents.importing import BATCH  # noqa: E402

SIZES = [int(x) for x in os.environ.get("BENCH_SIZES", "1000,5000,20000,100000").split(",") if x.strip()]
# Whoosh (ours and raw) is built and measured up to this size: at 100,000 documents its import,
# baseline index and rebuild would take the best part of an hour. Above it, tantivy alone.
WHOOSH_MAX = int(os.environ.get("BENCH_WHOOSH_MAX", "20000"))
WORK = HERE / "work"
CORPUS = HERE / "corpus"
RESULTS = HERE / "results"
DRAFT_SHARE = 0.15  # of the corpus imported as drafts, which members may not see
HTTP_SECONDS = int(os.environ.get("BENCH_HTTP_SECONDS", "6"))
UPLOADS = 20
FACET_QUERIES = 3

# 1-3 words, with and without diacritics, phrases, document numbers; some with filters.
QUERIES = [
    {"q": "đất đai"},
    {"q": "dat dai"},
    {"q": "nghị quyết"},
    {"q": "nghi quyet dan van"},
    {"q": "kiểm tra giám sát"},
    {"q": "kiem tra giam sat"},
    {"q": '"quản lý đất đai"'},
    {"q": '"trat tu xay dung"'},
    {"q": "46-CT/TW"},
    {"q": "296-qd/tw"},
    {"q": "ngân sách"},
    {"q": "ngan sach nha nuoc"},
    {"q": "chuyển đổi số"},
    {"q": "chuyen doi so"},
    {"q": "an sinh xã hội"},
    {"q": "thanh niên"},
    {"q": "Chi bộ Khu vực 3"},
    {"q": "đảng viên mới"},
    {"q": "phòng chống tham nhũng"},
    {"q": "du lich van hoa"},
    {"q": "kiệt hẻm"},
    {"q": "bầu cử"},
    {"q": "tổ dân phố văn hóa"},
    {"q": "Trần Thị Hoa"},
    {"q": "đất đai", "doc_type": "NQ"},
    {"q": "ngân sách", "doc_type": "BC"},
    {"q": "kiem tra", "doc_type": "CTr"},
    {"q": "giám sát", "date_from": "2023-01-01", "date_to": "2024-12-31"},
    {"q": "an ninh", "sort": "date"},
    {"q": "văn minh", "status": "approved"},
]


# ------------------------------------------------------------------ helpers


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * p / 100
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def summary_ms(seconds: list[float]) -> dict:
    ms = [s * 1000 for s in seconds]
    return {
        "p50": round(percentile(ms, 50), 2),
        "p95": round(percentile(ms, 95), 2),
        "p99": round(percentile(ms, 99), 2),
        "n": len(ms),
    }


def ratio(ours: float, base: float) -> float | None:
    return round(ours / base, 3) if base else None


def log(message: str) -> None:
    print(f"[{datetime.now().strftime('%H:%M:%S')}] {message}", flush=True)


def _proc_field(path: str, prefix: str) -> str | None:
    try:
        with open(path) as fh:
            return next((line.split(":", 1)[1].strip() for line in fh if line.startswith(prefix)), None)
    except OSError:
        return None


def machine() -> dict:
    cpu = _proc_field("/proc/cpuinfo", "model name") or platform.processor()
    mem = _proc_field("/proc/meminfo", "MemTotal")
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_mb": int(mem.split()[0]) // 1024 if mem else None,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def index_settings(instance: Path, engine: str) -> dict:
    """Each engine's index in its own folder of the instance, so both stand side by side."""
    return {
        "SEARCH_BACKEND": engine,
        "INDEX_FOLDER": str(instance / ("index" if engine == "whoosh" else "index-tantivy")),
    }


def make_app(instance: Path, engine: str = "whoosh"):
    from ancuu_docs import create_app

    return create_app(
        {
            **index_settings(instance, engine),
            "UPLOAD_FOLDER": str(instance / "uploads"),
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "SECRET_KEY": "bench",
            # The engine's own work is measured: repeated queries are not answered from memory.
            "SEARCH_RESULTS_CACHE": 0,
        },
        instance_path=instance,
    )


def link_folder(folder: Path, paths: list[Path]) -> None:
    folder.mkdir(parents=True)
    for path in paths:
        (folder / path.name).symlink_to(path)


# ------------------------------------------------------------------ size-independent figures


def bench_drafting(app) -> dict:
    """DOCX generation per built-in template (ours) against docxtpl rendering the same
    template and context with a plain Jinja environment (no sandbox, no settings)."""
    from docxtpl import DocxTemplate
    from jinja2 import Environment

    from ancuu_docs.drafting import services as drafting
    from ancuu_docs.drafting.fields import sample_values
    from ancuu_docs.drafting.rendering import engine_context, make_environment

    out = {}
    with app.app_context():
        for template in drafting.list_templates():
            if not template.builtin:
                continue
            values = sample_values(template.fields)
            raw = drafting.template_file(template)
            context = {**engine_context(template.doc_type, version=1), **values}
            ours, base = [], []
            for _ in range(25):
                t = time.perf_counter()
                drafting.render_draft(template, values, version=1)
                ours.append(time.perf_counter() - t)
                t = time.perf_counter()
                doc = DocxTemplate(io.BytesIO(raw))
                env = Environment(autoescape=True)
                env.filters.update(make_environment().filters)
                doc.render(context, jinja_env=env, autoescape=True)
                doc.save(io.BytesIO())
                base.append(time.perf_counter() - t)
            out[template.key] = {
                "ours_ms": summary_ms(ours),
                "docxtpl_ms": summary_ms(base),
                "ratio_p95": ratio(percentile(ours, 95), percentile(base, 95)),
            }
    return out


def bench_issuing(app, rounds: int = 12) -> dict:
    """Approval of a generated draft per built-in template, and of an uploaded Party DOCX:
    ours (numbering plus the issued version: render again or fill, extract, store, index job)
    against the same approval numbering only and keeping the file (the baseline)."""
    from ancuu_docs.auth import services as users
    from ancuu_docs.database import unit_of_work
    from ancuu_docs.documents import services as documents
    from ancuu_docs.documents.types import Status
    from ancuu_docs.drafting import services as drafting
    from ancuu_docs.drafting.commands import GenerateDraft
    from ancuu_docs.drafting.fields import sample_values
    from ancuu_docs.extensions import db
    from tests.samples import party_docx

    out = {}
    with app.app_context():
        office = users.find_user("bench-office") or users.create_user(
            None,
            NewUser.of(
                username="bench-office", role="secretariat", password="bench-office-1", display_name="VP"
            ),
        )

        def draft(kind: str):
            if kind == "uploaded-party-docx":
                upload = documents.Upload(party_docx(), "nq.docx")
                return documents.create_document(
                    office, NewDocument.of(title="Nghị quyết", doc_type="NQ"), upload
                )
            template = drafting.get_template(kind)
            return drafting.generate_draft(
                office, GenerateDraft.of(template=kind, fields=sample_values(template.fields))
            )

        def approve(doc_id: int, keep_file: bool) -> float:
            """The approval's own work, inside its transaction (the commit and the index
            job after it are the same either way)."""
            documents.transition(office, doc_id, Move.of(to="in_review"))
            with unit_of_work():
                doc = documents.lock_document(doc_id)
                t = time.perf_counter()
                documents.move(office, doc, Status.APPROVED, keep_file=keep_file)
                db.session.flush()
                return time.perf_counter() - t

        kinds = [t.key for t in drafting.list_templates() if t.builtin] + ["uploaded-party-docx"]
        for kind in kinds:
            ours, base = [], []
            for _ in range(rounds):
                ours.append(approve(draft(kind).id, keep_file=False))
                base.append(approve(draft(kind).id, keep_file=True))
            out[kind] = {
                "ours_ms": summary_ms(ours),
                "numbering_only_ms": summary_ms(base),
                "ratio_p50": ratio(percentile(ours, 50), percentile(base, 50)),
            }
    return out


def bench_registers(app, entries: int = 1000, rounds: int = 3) -> dict:
    """A year's incoming register of `entries` arrivals: registering one (ours: checks, arrival
    number under its lock, audit, index job) and the register as XLSX, PDF and DOCX (ours:
    the laid-out files) against the bare libraries writing the same cells."""
    from docx import Document as new_docx
    from fpdf import FPDF
    from openpyxl import Workbook

    from ancuu_docs.auth import services as users
    from ancuu_docs.registers import book_files, books
    from ancuu_docs.registers.books import COLUMNS
    from ancuu_docs.registers.commands import BookFilters, Registration
    from ancuu_docs.registers.registering import register_document

    out: dict = {}
    with app.app_context():
        office = users.find_user("bench-registers") or users.create_user(
            None,
            NewUser.of(
                username="bench-registers",
                role="secretariat",
                password="bench-registers-1",
                display_name="VP",
            ),
        )
        times = []
        for i in range(1, entries + 1):
            data = Registration.of(
                origin="incoming",
                doc_type="CV",
                title=f"Công văn số {i} về công tác xây dựng Đảng ở cơ sở",
                number=f"{i}-CV/TU",
                issuer="Thành ủy Huế",
                issue_date="2025-03-01",
                received_date="2025-03-05",
                handler="Trần Thị Hoa",
            )
            t = time.perf_counter()
            register_document(office, data)
            times.append(time.perf_counter() - t)
        out["register_one_ms"] = summary_ms(times)
        rows = books.entries(office, books.BOOKS["incoming"], BookFilters.of(year=2025))
        cells = [book_files._cells(books.BOOKS["incoming"], row) for row in rows]

        def bare_xlsx():
            book = Workbook()
            for line in cells:
                book.active.append(line)
            book.save(io.BytesIO())

        def bare_pdf():
            pdf = FPDF(orientation="L", format="A4")
            pdf.add_font("Serif", "", app.config["REGISTER_FONT_FOLDER"] + "/LiberationSerif-Regular.ttf")
            pdf.set_font("Serif", "", 9)
            pdf.add_page()
            with pdf.table(first_row_as_headings=False) as table:
                for line in cells:
                    row = table.row()
                    for text in line:
                        row.cell(text)
            pdf.output()

        def bare_docx():
            document = new_docx()
            table = document.add_table(rows=0, cols=len(COLUMNS["incoming"]))
            for line in cells:
                for cell, text in zip(table.add_row().cells, line, strict=True):
                    cell.text = text
            document.save(io.BytesIO())

        for fmt, bare in (("xlsx", bare_xlsx), ("pdf", bare_pdf), ("docx", bare_docx)):
            ours, base = [], []
            for _ in range(rounds):
                t = time.perf_counter()
                book_files.make(books.BOOKS["incoming"], 2025, rows, fmt)
                ours.append(time.perf_counter() - t)
                t = time.perf_counter()
                bare()
                base.append(time.perf_counter() - t)
            out[fmt] = {
                "ours_ms": summary_ms(ours),
                "bare_ms": summary_ms(base),
                "ratio_p50": ratio(percentile(ours, 50), percentile(base, 50)),
            }
    return out


def bench_ocr(app, scans: int = 3, pages: int = 3) -> dict:
    """OCR pages per minute: ours (the job's engine: progress, sidecar, limits) against plain
    `ocrmypdf -l vie` on the same files; and scan-to-searchable for a 3-page scan (upload, job
    in a thread, rendition stored, index updated, found by search)."""
    import subprocess
    import tempfile

    from ancuu_docs.auth import services as users
    from ancuu_docs.documents import services as documents
    from ancuu_docs.extensions import db
    from ancuu_docs.ocr import engine
    from ancuu_docs.ocr.models import JobStatus, OcrJob
    from ancuu_docs.search import services as search
    from tests.samples import scanned_pdf

    files = [
        scanned_pdf([[f"Văn bản {n}, trang {p}: kiểm tra giám sát chi bộ khu vực {n}"] for p in range(pages)])
        for n in range(scans)
    ]
    out: dict = {}
    with app.test_request_context():  # search hits carry URLs
        ours = time.perf_counter()
        for data in files:
            engine.run(
                data,
                "application/pdf",
                command=app.config["OCR_COMMAND"],
                language="vie",
                timeout=600,
                image_dpi=300,
                progress=lambda _d, _t: None,
            )
        ours = time.perf_counter() - ours
        plain = time.perf_counter()
        with tempfile.TemporaryDirectory() as folder:
            for i, data in enumerate(files):
                source = Path(folder) / f"{i}.pdf"
                source.write_bytes(data)
                subprocess.run(
                    ["ocrmypdf", "-l", "vie", str(source), str(source.with_suffix(".out.pdf"))],
                    check=True,
                    capture_output=True,
                )
        plain = time.perf_counter() - plain
        total_pages = scans * pages
        out["pages_per_minute"] = {
            "ours": round(total_pages * 60 / ours, 1),
            "plain_ocrmypdf": round(total_pages * 60 / plain, 1),
            "ratio": ratio(ours, plain),
        }
        office = users.find_user("bench-ocr") or users.create_user(
            None,
            NewUser.of(username="bench-ocr", role="secretariat", password="bench-ocr-1", display_name="VP"),
        )
        waits = []
        for n in range(scans):
            data = scanned_pdf(
                [[f"Nghị quyết số {n} về chuyển đổi số phường {n}"], ["Trang hai"], ["Trang ba"]]
            )
            t = time.perf_counter()
            doc = documents.create_document(
                office,
                NewDocument.of(title=f"Bản quét {n}", doc_type="NQ"),
                documents.Upload(data, f"quet-{n}.pdf"),
            )
            while True:
                db.session.rollback()
                job = db.session.query(OcrJob).join(OcrJob.version).filter_by(document_id=doc.id).first()
                if job and job.status in (JobStatus.DONE, JobStatus.FAILED):
                    break
                time.sleep(0.1)
            params = search.parse_params({"q": f"chuyen doi so phuong {n}"})
            while not any(h["id"] == doc.id for h in search.search(office, params)["hits"]):
                time.sleep(0.1)
            waits.append(time.perf_counter() - t)
        out["scan_to_searchable_ms"] = summary_ms(waits)
    return out


def bench_detection(app) -> dict:
    """Header detection on the labelled sets (tests/data/headers.json, and the documents that
    come in: incoming_headers.json): the share of fields right on DOCX, text PDF, and scans
    read by OCR (the job's engine)."""
    from ancuu_docs.documents.services import upload_limits
    from ancuu_docs.extract import inspect_upload
    from ancuu_docs.ocr import engine
    from tests.header_set import INCOMING, LABELS, as_docx, as_pdf, as_scan, score

    def scored(texts: dict, labels: list[dict]) -> dict:
        right, total, wrong = score(texts, labels)
        return {"right": right, "fields": total, "share": round(right / total, 3), "wrong": wrong}

    def scanned(entry: dict) -> str:
        return engine.run(
            as_scan(entry),
            "application/pdf",
            command=app.config["OCR_COMMAND"],
            language="vie",
            timeout=300,
            image_dpi=200,
            progress=lambda _d, _t: None,
        ).text

    out = {}
    with app.app_context():
        limits = upload_limits()
        for name, labels in (("", LABELS), ("incoming_", INCOMING)):
            for kind, render, suffix in (("docx", as_docx, ".docx"), ("text_pdf", as_pdf, ".pdf")):
                texts = {
                    e["id"]: inspect_upload(render(e), f"{e['id']}{suffix}", limits).text for e in labels
                }
                out[name + kind] = scored(texts, labels)
            out[name + "scan"] = scored({e["id"]: scanned(e) for e in labels}, labels)
    return out


def bench_extraction(paths: list[Path]) -> dict:
    """Text extraction per MB: ours (sniff, bounds, extract, NFC) against the bare parsers."""
    import pypdfium2 as pdfium
    from docx import Document

    from ancuu_docs.extract import Limits, inspect_upload

    limits = Limits(25 * 2**20, 200 * 2**20, 5000)
    out = {}
    for kind in ("docx", "pdf"):
        files = [p for p in paths if p.suffix == f".{kind}"][:150]
        datas = [p.read_bytes() for p in files]
        megabytes = sum(len(d) for d in datas) / 2**20
        t = time.perf_counter()
        for data, path in zip(datas, files, strict=True):
            inspect_upload(data, path.name, limits)
        ours = time.perf_counter() - t
        t = time.perf_counter()
        for data in datas:
            if kind == "docx":
                "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
            else:
                pdf = pdfium.PdfDocument(data)
                "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
                pdf.close()
        base = time.perf_counter() - t
        out[kind] = {
            "files": len(datas),
            "megabytes": round(megabytes, 2),
            "ours_s_per_mb": round(ours / megabytes, 3),
            "baseline_s_per_mb": round(base / megabytes, 3),
            "baseline": "python-docx paragraphs" if kind == "docx" else "pypdfium2 text",
            "ratio": ratio(ours, base),
        }
    return out


# ------------------------------------------------------------------ per corpus size


def run_size(n: int, paths: list[Path]) -> dict:
    """One corpus size: import (with Whoosh, or tantivy above WHOOSH_MAX), raw Whoosh's own
    index of the same texts, then for each engine a rebuild, search latency through the API and
    HTTP under gunicorn; and whether both engines give the same answers."""
    instance = WORK / f"n{n}"
    shutil.rmtree(instance, ignore_errors=True)
    instance.mkdir(parents=True)
    drafts = int(n * DRAFT_SHARE)
    link_folder(instance / "in" / "approved", paths[drafts:])
    link_folder(instance / "in" / "drafts", paths[:drafts])
    with_whoosh = n <= WHOOSH_MAX
    engines = ["whoosh", "tantivy"] if with_whoosh else ["tantivy"]
    importer = engines[0]
    app = make_app(instance, importer)
    rounds = 3 if n <= 5000 else 2
    result: dict = {"documents": n, "engines": engines, "search": {}, "rebuild": {}}
    with app.app_context():
        from flask_migrate import upgrade

        from ancuu_docs.auth import services as users

        upgrade()
        admin = users.create_user(
            None, NewUser.of(username="admin", role="admin", password="benchmark-admin")
        )
        member = users.create_user(
            None, NewUser.of(username="member", role="member", password="benchmark-member")
        )
        tokens = {
            "member": users.issue_token(None, member.id),
            "secretariat": users.issue_token(None, admin.id),
        }
        result["import"] = bench_import(instance, admin, importer, n)
        log(f"n={n}: import {result['import']}")
        if with_whoosh:
            result["import"].update(bench_raw_index(instance, result["import"]))
        # One round warms caches up; the others are measured (fewer on the larger corpora).
        result["search"][importer] = api_latency(app, tokens, rounds)
        log(f"n={n}: search ({importer}) {json.dumps(result['search'][importer])}")
        if with_whoosh:
            result["search"]["raw_whoosh"] = raw_latency(instance, rounds)
            log(f"n={n}: raw Whoosh {json.dumps(result['search']['raw_whoosh'])}")
        result["upload_to_searchable"] = bench_uploads(app, tokens)
        log(f"n={n}: upload to searchable {result['upload_to_searchable']}")
    for engine in engines:
        result["rebuild"][engine] = bench_rebuild(instance, n, engine)
        log(f"n={n}: rebuild ({engine}) {result['rebuild'][engine]}")
    for engine in engines[1:]:
        other = make_app(instance, engine)
        result["search"][engine] = api_latency(other, tokens, rounds)
        log(f"n={n}: search ({engine}) {json.dumps(result['search'][engine])}")
    if with_whoosh:
        result["agreement"] = agreement(make_app(instance, "whoosh"), make_app(instance, "tantivy"), tokens)
        log(f"n={n}: agreement {json.dumps(result['agreement'], ensure_ascii=False)[:400]}")
    result["http"] = bench_http(instance, tokens["member"], engines, with_raw=with_whoosh)
    log(f"n={n}: http {result['http']}")
    return result


def bench_import(instance: Path, admin, engine: str, n: int) -> dict:
    """`flask import`'s service, end to end; the time spent writing the index (every writer
    commit) and merging its segments after the import counted on the side."""
    from ancuu_docs.documents.importing import import_folder
    from ancuu_docs.extensions import db
    from ancuu_docs.search import indexing, store

    indexing.ensure_index()
    seconds = {"apply_built": 0.0, "optimize": 0.0}
    originals = {name: getattr(store.IndexStore, name) for name in seconds}

    def timed(name, method):
        def wrapper(self, *args, **kwargs):
            start = time.perf_counter()
            try:
                return method(self, *args, **kwargs)
            finally:
                seconds[name] += time.perf_counter() - start

        return wrapper

    for name, method in originals.items():
        setattr(store.IndexStore, name, timed(name, method))
    log(f"n={n}: import ({engine})")
    start = time.perf_counter()
    try:
        done = import_folder(admin, instance / "in" / "approved", status="approved").imported
        done += import_folder(admin, instance / "in" / "drafts", status="draft").imported
    finally:
        for name, method in originals.items():
            setattr(store.IndexStore, name, method)
    import_seconds = time.perf_counter() - start
    db.session.remove()
    return {
        "engine": engine,
        "imported": done,
        "seconds": round(import_seconds, 2),
        "docs_per_s": round(done / import_seconds, 1),
        "index_phase_seconds": round(seconds["apply_built"], 2),
        "index_docs_per_s": round(done / seconds["apply_built"], 1),
        "merge_seconds": round(seconds["optimize"], 2),
    }


def bench_raw_index(instance: Path, imported: dict) -> dict:
    """Baseline: a raw Whoosh writer indexing the same extracted texts, with Whoosh's own
    analysis (bench/raw_whoosh.py), in the same batches. Its index is raw Whoosh's in search."""
    from whoosh import index as whoosh_index

    from ancuu_docs.search import indexing

    fields = [raw_whoosh.entry_fields(entry) for batch in indexing.entries() for entry in batch]
    raw_dir = instance / "raw-index"
    raw_dir.mkdir()
    raw_ix = whoosh_index.create_in(str(raw_dir), raw_whoosh.SCHEMA)
    start = time.perf_counter()
    for i in range(0, len(fields), BATCH):
        writer = raw_ix.writer()
        for item in fields[i : i + BATCH]:
            writer.add_document(**item)
        writer.commit()
    raw_seconds = time.perf_counter() - start
    return {
        "raw_whoosh_seconds": round(raw_seconds, 2),
        "raw_whoosh_docs_per_s": round(len(fields) / raw_seconds, 1),
        "index_ratio": ratio(imported["index_phase_seconds"], raw_seconds),
    }


def api_latency(app, tokens: dict, rounds: int) -> dict:
    """`GET /api/v1/search` in process (routing, token auth, permissions from the database,
    facets, highlights, JSON), every query as member and as secretariat."""
    from urllib.parse import urlencode

    client = app.test_client()
    ours: dict[str, list[float]] = {"member": [], "secretariat": []}
    for round_ in range(rounds):
        for role, token in tokens.items():
            for params in QUERIES:
                start = time.perf_counter()
                response = client.get(
                    f"/api/v1/search?{urlencode(params)}", headers={"Authorization": f"Bearer {token}"}
                )
                elapsed = time.perf_counter() - start
                assert response.status_code == 200, response.get_data(as_text=True)
                if round_:  # the first round warms caches up
                    ours[role].append(elapsed)
    return {
        "all_ms": summary_ms(ours["member"] + ours["secretariat"]),
        "member_ms": summary_ms(ours["member"]),
        "secretariat_ms": summary_ms(ours["secretariat"]),
    }


def raw_latency(instance: Path, rounds: int) -> dict:
    """Raw Whoosh on its own index of the same texts: the same queries (filters, sort) through
    its multifield parser, top 10 with title and content highlights; and, on the first
    FACET_QUERIES queries, the same with Whoosh's own facets (`groupedby`)."""
    from whoosh import index as whoosh_index
    from whoosh import qparser, query, sorting
    from whoosh.highlight import ContextFragmenter, Highlighter, HtmlFormatter, WholeFragmenter

    from ancuu_docs.search.analysis import FACETS

    ix = whoosh_index.open_dir(str(instance / "raw-index"))
    parser = qparser.MultifieldParser(
        list(raw_whoosh.FIELD_BOOSTS), raw_whoosh.SCHEMA, fieldboosts=raw_whoosh.FIELD_BOOSTS
    )
    titles = Highlighter(fragmenter=WholeFragmenter(), formatter=HtmlFormatter(tagname="mark"))
    contents = Highlighter(
        fragmenter=ContextFragmenter(maxchars=240, surround=60), formatter=HtmlFormatter(tagname="mark")
    )
    facets = {name: sorting.FieldFacet(name, maptype=sorting.Count) for name in FACETS}
    raw: list[float] = []
    raw_facets: list[float] = []
    for round_ in range(rounds):
        for role in ("member", "secretariat"):
            for number, params in enumerate(QUERIES):
                # Whoosh's own facets are slow (seconds per query on 20,000 documents): that
                # baseline takes the first FACET_QUERIES queries, once per round.
                with_facets = role == "member" and number < FACET_QUERIES and round_ == rounds - 1
                for grouped, sink in ((None, raw), (facets, raw_facets))[: 2 if with_facets else 1]:
                    start = time.perf_counter()
                    with ix.searcher() as searcher:
                        terms = [query.Term(k, v) for k, v in params.items() if k in ("doc_type", "status")]
                        if "date_from" in params or "date_to" in params:
                            terms.append(
                                query.DateRange(
                                    "date",
                                    _day(params.get("date_from")),
                                    _day(params.get("date_to"), end=True),
                                )
                            )
                        sortedby = (
                            sorting.FieldFacet("date", reverse=True) if params.get("sort") == "date" else None
                        )
                        results = searcher.search(
                            parser.parse(params["q"]),
                            limit=10,
                            filter=query.And(terms) if terms else None,
                            sortedby=sortedby,
                            groupedby=grouped,
                        )
                        for hit in results:
                            titles.highlight_hit(hit, "title_f", text=hit["title"])
                            contents.highlight_hit(hit, "content_f", text=hit["content"], top=2)
                    elapsed = time.perf_counter() - start
                    if round_:
                        sink.append(elapsed)
    return {"all_ms": summary_ms(raw), "with_facets_ms": summary_ms(raw_facets)}


def agreement(whoosh_app, tantivy_app, tokens: dict) -> dict:
    """Do both engines answer alike? Per query and role: the same total, and how many of the
    top 10 both return (as a share of the larger top)."""
    from urllib.parse import urlencode

    answers = {}
    for name, app in (("whoosh", whoosh_app), ("tantivy", tantivy_app)):
        client = app.test_client()
        for role, token in tokens.items():
            for params in QUERIES:
                found = client.get(
                    f"/api/v1/search?{urlencode(params)}", headers={"Authorization": f"Bearer {token}"}
                ).json
                answers.setdefault((role, urlencode(params, safe=" /")), {})[name] = (
                    found["total"],
                    [hit["id"] for hit in found["hits"]],
                )
    overlaps, totals_equal, differing = [], 0, []
    for (role, asked), by_engine in answers.items():
        (w_total, w_top), (t_total, t_top) = by_engine["whoosh"], by_engine["tantivy"]
        share = len(set(w_top) & set(t_top)) / max(len(w_top), len(t_top)) if (w_top or t_top) else 1.0
        overlaps.append(share)
        totals_equal += w_total == t_total
        if share < 1.0 or w_total != t_total:
            differing.append(
                {"role": role, "query": asked, "totals": [w_total, t_total], "top10_shared": share}
            )
    return {
        "queries": len(answers),
        "top10_overlap_mean": round(sum(overlaps) / len(overlaps), 3),
        "top10_identical": sum(1 for share in overlaps if share == 1.0),
        "totals_identical": totals_equal,
        "differing": differing,
    }


def _day(value: str | None, *, end: bool = False):
    if not value:
        return None
    day = datetime.fromisoformat(value)
    return day.replace(hour=23, minute=59, second=59) if end else day


def bench_uploads(app, tokens: dict) -> dict:
    """From an upload's 201 to the document being found by search (p50/p95)."""
    from docx import Document

    client = app.test_client()
    headers = {"Authorization": f"Bearer {tokens['secretariat']}"}
    delays, uploads = [], []
    for i in range(UPLOADS):
        word = f"mocdo{i:03d}kiemtra"
        document = Document()
        document.add_paragraph(f"Kế hoạch thử nghiệm {word} về công tác dân vận.")
        buffer = io.BytesIO()
        document.save(buffer)
        start = time.perf_counter()
        response = client.post(
            "/api/v1/documents",
            headers=headers,
            content_type="multipart/form-data",
            data={
                "title": f"Kế hoạch {word}",
                "doc_type": "KH",
                "file": (io.BytesIO(buffer.getvalue()), f"{word}.docx"),
            },
        )
        created = time.perf_counter()
        assert response.status_code == 201
        uploads.append(created - start)
        while True:
            found = client.get(f"/api/v1/search?q={word}", headers=headers).json["total"]
            if found:
                break
            if time.perf_counter() - created > 30:
                raise RuntimeError("upload never became searchable")
        delays.append(time.perf_counter() - created)
    return {"upload_ms": summary_ms(uploads), "to_searchable_ms": summary_ms(delays)}


def bench_rebuild(instance: Path, n: int, engine: str) -> dict:
    """`index rebuild` with `engine` in its own process: wall time, peak RSS beside the RSS of
    the same process after loading the application (the floor), and the index's size."""
    script = textwrap.dedent(
        f"""
        import json, sys, time
        sys.path.insert(0, {str(HERE)!r})
        from run import make_app
        from pathlib import Path

        def status_mb(field):  # VmHWM is this process's own peak (ru_maxrss keeps the parent's)
            line = next(l for l in open("/proc/self/status") if l.startswith(field + ":"))
            return int(line.split()[1]) / 1024

        app = make_app(Path({str(instance)!r}), {engine!r})
        with app.app_context():
            from ancuu_docs.search import indexing
            floor = status_mb("VmRSS")
            start = time.perf_counter()
            generation = indexing.rebuild()
            seconds = time.perf_counter() - start
            files = (indexing.index_folder() / generation).rglob("*")
            size = sum(path.stat().st_size for path in files if path.is_file())
        print(json.dumps({{"seconds": seconds, "peak_rss_mb": status_mb("VmHWM"), "app_rss_mb": floor,
                          "index_mb": size / 1e6}}))
        """
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=str(ROOT)
    )
    data = json.loads(completed.stdout.strip().splitlines()[-1])
    return {
        "seconds": round(data["seconds"], 2),
        "docs_per_s": round((n + UPLOADS) / data["seconds"], 1),
        "peak_rss_mb": round(data["peak_rss_mb"], 1),
        "app_rss_mb": round(data["app_rss_mb"], 1),
        "index_mb": round(data["index_mb"], 1),
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(module: str, instance: Path, *, settings: dict, workers: int = 2, threads: int = 1):
    """gunicorn serving `module:app` on a free loopback port, once it accepts connections;
    `settings` go to the application as ANCUU_* variables."""
    port = _free_port()
    env = {
        **os.environ,
        "BENCH_INSTANCE": str(instance),
        "PYTHONPATH": f"{ROOT}:{HERE}",
        "ANCUU_SEARCH_RESULTS_CACHE": "0",
        **{f"ANCUU_{key}": str(value) for key, value in settings.items()},
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            str(workers),
            "--threads",
            str(threads),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            f"{module}:app",
        ],
        cwd=str(HERE),
        env=env,
        start_new_session=True,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process, port
        except OSError:
            time.sleep(0.2)
    os.killpg(process.pid, signal.SIGTERM)
    raise RuntimeError(f"gunicorn ({module}) did not start")


def _wrk(port: int, paths_file: Path, token: str = "") -> dict:
    env = {**os.environ, "BENCH_PATHS": str(paths_file), "BENCH_TOKEN": token}
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            "-c8",
            f"-d{HTTP_SECONDS}s",
            "--latency",
            "-s",
            str(HERE / "queries.lua"),
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    rps = float(next(line.split(":")[1] for line in output.splitlines() if line.startswith("Requests/sec")))
    errors = [line.strip() for line in output.splitlines() if "Non-2xx" in line or "Socket errors" in line]
    return {"requests_per_s": round(rps, 1), "errors": errors}


def bench_http(instance: Path, member_token: str, engines: list[str], *, with_raw: bool) -> dict:
    """Search requests per second under gunicorn with 2 workers, loaded by wrk on loopback, for
    each engine, against raw Whoosh behind a bare WSGI callable on its index, same queries."""
    from urllib.parse import urlencode

    if not shutil.which("wrk"):
        return {"skipped": "wrk is not installed (apt-get install wrk)"}
    ours_paths = instance / "paths-api.txt"
    raw_paths = instance / "paths-raw.txt"
    ours_paths.write_text("\n".join(f"/api/v1/search?{urlencode(p)}" for p in QUERIES) + "\n")
    raw_paths.write_text("\n".join(f"/search?{urlencode({'q': p['q']})}" for p in QUERIES) + "\n")
    # Each engine twice: every search run by the engine (the results cache off), and as deployed
    # (the cache on: the bench's queries repeat, as members' do on a conference morning).
    runs = [
        (f"{engine}{suffix}", "wsgi", ours_paths, member_token, {**index_settings(instance, engine), **cache})
        for engine in engines
        for suffix, cache in (("", {}), ("_cached", {"SEARCH_RESULTS_CACHE": 256}))
    ]
    if with_raw:
        runs.append(("raw_whoosh", "raw_wsgi", raw_paths, "", {}))
    out = {}
    for name, module, paths, token, settings in runs:
        process, port = _serve(module, instance, settings=settings)
        try:
            out[name] = _wrk(port, paths, token)
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    return out


# ------------------------------------------------------------------ reports


def write_reports(results: dict) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    (RESULTS / "latest.md").write_text(markdown(results))
    plot(results, RESULTS / "latest.png")


def markdown(results: dict) -> str:
    m = results["machine"]
    lines = [
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_mb']} MB, Python {m['python']}; run {m['date']}.",
        f"Suite time: {results['seconds']:.0f} s. Whoosh (ours and raw) is measured up to "
        f"{results.get('whoosh_max', WHOOSH_MAX):,} documents; above, tantivy alone (`BENCH_WHOOSH_MAX`).",
        "",
        "Search through the API, in process (ms; member and secretariat, every bench query):",
        "",
        "| documents | Whoosh p50 / p95 / p99 | tantivy p50 / p95 / p99 | raw Whoosh p50 / p95 | Whoosh ÷ raw (p50, p95) | tantivy ÷ raw (p50, p95) | raw Whoosh + facets p95 |",
        "|---|---|---|---|---|---|---|",
    ]
    rows = [(size, results["by_size"][str(size)]) for size in results["sizes"]]

    def cell(found: dict | None, keys=("p50", "p95", "p99")) -> str:
        return " / ".join(str(found[k]) for k in keys) if found else "—"

    for size, r in rows:
        search = r["search"]
        whoosh, tantivy = search.get("whoosh", {}).get("all_ms"), search.get("tantivy", {}).get("all_ms")
        raw = search.get("raw_whoosh", {}).get("all_ms")
        facets = search.get("raw_whoosh", {}).get("with_facets_ms")

        lines.append(
            f"| {size:,} | {cell(whoosh)} | {cell(tantivy)} | {cell(raw, ('p50', 'p95'))} | {_versus(whoosh, raw)} "
            f"| {_versus(tantivy, raw)} | {facets['p95'] if facets else '—'} |"
        )
    lines += [
        "",
        "Building: the import (end to end, and its index phase against a raw Whoosh writer on the same "
        "texts), `index rebuild` per engine (time, rate, peak RSS with the application's own beside it, "
        "index size), upload to searchable:",
        "",
        "| documents | import docs/s (engine) | index phase vs raw Whoosh docs/s | Whoosh rebuild s · docs/s · peak MB · index MB | tantivy rebuild s · docs/s · peak MB · index MB | upload→searchable p50 / p95 ms |",
        "|---|---|---|---|---|---|",
    ]
    for size, r in rows:
        imp, u = r["import"], r["upload_to_searchable"]
        phase = (
            f"{imp['index_docs_per_s']} vs {imp['raw_whoosh_docs_per_s']} ({imp['index_ratio']}× time)"
            if "raw_whoosh_docs_per_s" in imp
            else f"{imp['index_docs_per_s']} (no raw baseline)"
        )

        lines.append(
            f"| {size:,} | {imp['docs_per_s']} ({imp['engine']}; merge {imp.get('merge_seconds', 0)} s) | {phase} | {_built(r, 'whoosh')} | {_built(r, 'tantivy')} "
            f"| {u['to_searchable_ms']['p50']} / {u['to_searchable_ms']['p95']} |"
        )
    lines += [
        "",
        "HTTP under gunicorn (2 workers, `wrk -t2 -c8`, member's token) and the engines' agreement "
        "(same totals; top 10 shared, as a share of the larger top 10):",
        "",
        "| documents | Whoosh req/s | tantivy req/s | raw Whoosh req/s | Whoosh, cache on | tantivy, cache on | totals identical | top 10 identical | top 10 shared (mean) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for size, r in rows:
        h, a = r["http"], r.get("agreement")

        agreed = (
            f"{a['totals_identical']} of {a['queries']} | {a['top10_identical']} of {a['queries']} | {a['top10_overlap_mean']}"
            if a
            else "— | — | —"
        )
        lines.append(
            f"| {size:,} | {_rps(h, 'whoosh')} | {_rps(h, 'tantivy')} | {_rps(h, 'raw_whoosh')} "
            f"| {_rps(h, 'whoosh_cached')} | {_rps(h, 'tantivy_cached')} | {agreed} |"
        )
    lines += [
        "",
        "| template | DOCX generation p50 / p95 ms | docxtpl alone p50 / p95 ms | p95 ratio |",
        "|---|---|---|---|",
    ]
    for key, d in results["drafting"].items():
        lines.append(
            f"| {key} | {d['ours_ms']['p50']} / {d['ours_ms']['p95']} | {d['docxtpl_ms']['p50']} / {d['docxtpl_ms']['p95']} | {d['ratio_p95']}× |"
        )
    lines += [
        "",
        "| approval of | with the issued version p50 / p95 ms | numbering only p50 / p95 ms | p50 ratio |",
        "|---|---|---|---|",
    ]
    for key, d in results.get("issuing", {}).items():
        lines.append(
            f"| {key} | {d['ours_ms']['p50']} / {d['ours_ms']['p95']} | {d['numbering_only_ms']['p50']} / {d['numbering_only_ms']['p95']} | {d['ratio_p50']}× |"
        )
    registers_part = results.get("registers")
    if registers_part:
        one = registers_part["register_one_ms"]
        lines += [
            "",
            f"Registering one incoming document: p50 {one['p50']} ms, p95 {one['p95']} ms.",
            "",
            "| register (1,000 entries) as | ours p50 ms | bare library p50 ms | ratio |",
            "|---|---|---|---|",
        ]
        for fmt in ("xlsx", "pdf", "docx"):
            d = registers_part[fmt]
            lines.append(f"| {fmt} | {d['ours_ms']['p50']} | {d['bare_ms']['p50']} | {d['ratio_p50']}× |")
    lines += ["", "| format | files | MB | ours s/MB | baseline s/MB | ratio |", "|---|---|---|---|---|---|"]
    for kind, e in results["extraction"].items():
        lines.append(
            f"| {kind} | {e['files']} | {e['megabytes']} | {e['ours_s_per_mb']} | {e['baseline_s_per_mb']} ({e['baseline']}) | {e['ratio']}× |"
        )
    return "\n".join(lines) + "\n"


def _versus(ours: dict | None, raw: dict | None) -> str:
    if not (ours and raw):
        return "—"
    return f"{ratio(ours['p50'], raw['p50'])}×, {ratio(ours['p95'], raw['p95'])}×"


def _built(row: dict, engine: str) -> str:
    b = row["rebuild"].get(engine)
    if not b:
        return "—"
    return (
        f"{b['seconds']} · {b['docs_per_s']} · {b['peak_rss_mb']} (app {b['app_rss_mb']}) · {b['index_mb']}"
    )


def _rps(http: dict, name: str) -> str:
    return str(http[name]["requests_per_s"]) if name in http else http.get("skipped", "—")


def plot(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = results["sizes"]
    rows = {s: results["by_size"][str(s)] for s in sizes}
    styles = {"whoosh": ("#a50e0e", "o"), "tantivy": ("#0b4f8a", "^"), "raw_whoosh": ("#555", "s")}
    labels = {"whoosh": "Whoosh (API)", "tantivy": "tantivy (API)", "raw_whoosh": "raw Whoosh"}
    fig, (left, middle, right) = plt.subplots(1, 3, figsize=(15, 4.5))
    for name, (color, marker) in styles.items():
        have = [s for s in sizes if name in rows[s]["search"]]
        for key, line in (("p50", "-"), ("p95", "--")):
            left.plot(
                have,
                [rows[s]["search"][name]["all_ms"][key] for s in have],
                marker + line,
                color=color,
                label=f"{labels[name]} {key}",
            )
    left.set(title="Search latency", xlabel="documents", ylabel="ms (log scale)", xscale="log", yscale="log")
    left.legend(fontsize=7)
    for name in ("whoosh", "tantivy"):
        color, marker = styles[name]
        have = [s for s in sizes if name in rows[s]["rebuild"]]
        middle.plot(
            have,
            [rows[s]["rebuild"][name]["docs_per_s"] for s in have],
            marker + "-",
            color=color,
            label=f"{name} rebuild",
        )
    middle.plot(
        sizes,
        [rows[s]["import"]["docs_per_s"] for s in sizes],
        "x:",
        color="#1b6e3a",
        label="import, end to end",
    )
    middle.set(title="Building", xlabel="documents", ylabel="documents per second", xscale="log")
    middle.legend(fontsize=7)
    for name, (color, marker) in styles.items():
        have = [s for s in sizes if name in rows[s]["http"]]
        right.plot(
            have,
            [rows[s]["http"][name]["requests_per_s"] for s in have],
            marker + "-",
            color=color,
            label=labels[name],
        )
    right.set(
        title="Search over HTTP (gunicorn, 2 workers)",
        xlabel="documents",
        ylabel="requests per second",
        xscale="log",
        yscale="log",
    )
    right.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=90)


def main() -> None:
    started = time.perf_counter()
    WORK.mkdir(exist_ok=True)
    log(f"corpus: {max(SIZES)} documents in {CORPUS}")
    paths = corpus.generate(CORPUS, max(SIZES), progress=lambda d, n: log(f"corpus {d}/{n}"))
    results: dict = {"machine": machine(), "sizes": SIZES, "whoosh_max": WHOOSH_MAX, "by_size": {}}
    drafting_app = make_app(WORK / "drafting")
    with drafting_app.app_context():
        from flask_migrate import upgrade

        upgrade()
    results["drafting"] = bench_drafting(drafting_app)
    results["issuing"] = bench_issuing(drafting_app)
    results["registers"] = bench_registers(drafting_app)
    results["ocr"] = bench_ocr(drafting_app)
    results["detection"] = bench_detection(drafting_app)
    results["extraction"] = bench_extraction(paths)
    log(f"drafting and extraction done: {json.dumps(results['extraction'])}")
    for n in SIZES:
        results["by_size"][str(n)] = run_size(n, paths[:n])
    results["seconds"] = round(time.perf_counter() - started, 1)
    write_reports(results)
    log(f"done in {results['seconds']:.0f} s: {RESULTS / 'latest.md'}")
    print((RESULTS / "latest.md").read_text())


def main_part(name: str) -> None:
    """`python bench/run.py issuing|registers`: one part's figures alone, printed."""
    folder = WORK / name
    shutil.rmtree(folder, ignore_errors=True)
    app = make_app(folder)
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    part = {
        "issuing": bench_issuing,
        "registers": bench_registers,
        "ocr": bench_ocr,
        "detection": bench_detection,
    }[name]
    print(json.dumps(part(app), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    parts = (["issuing"], ["registers"], ["ocr"], ["detection"])
    main_part(sys.argv[1]) if sys.argv[1:] in parts else main()
