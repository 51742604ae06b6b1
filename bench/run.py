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

from ancuu_docs.documents.importing import BATCH  # noqa: E402

SIZES = [int(x) for x in os.environ.get("BENCH_SIZES", "1000,5000,20000").split(",") if x.strip()]
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


def make_app(instance: Path):
    from ancuu_docs import create_app

    return create_app(
        {
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
    from ancuu_docs.drafting.fields import sample_values
    from ancuu_docs.extensions import db
    from tests.samples import party_docx

    out = {}
    with app.app_context():
        office = users.find_user("bench-office") or users.create_user(
            None, username="bench-office", role="secretariat", password="bench-office-1", display_name="VP"
        )

        def draft(kind: str):
            if kind == "uploaded-party-docx":
                upload = documents.Upload(party_docx(), "nq.docx")
                return documents.create_document(office, upload=upload, title="Nghị quyết", doc_type="NQ")
            template = drafting.get_template(kind)
            return drafting.generate_draft(office, kind, sample_values(template.fields))

        def approve(doc_id: int, keep_file: bool) -> float:
            """The approval's own work, inside its transaction (the commit and the index
            job after it are the same either way)."""
            documents.transition(office, doc_id, "in_review")
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
    from ancuu_docs.documents import register_files, registers
    from ancuu_docs.documents import services as documents
    from ancuu_docs.documents.registers import COLUMNS, RegisterFilters

    out: dict = {}
    with app.app_context():
        office = users.find_user("bench-registers") or users.create_user(
            None,
            username="bench-registers",
            role="secretariat",
            password="bench-registers-1",
            display_name="VP",
        )
        times = []
        for i in range(1, entries + 1):
            data = documents.Registration(
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
            documents.register_document(office, data)
            times.append(time.perf_counter() - t)
        out["register_one_ms"] = summary_ms(times)
        rows = registers.entries(office, "incoming", RegisterFilters(year=2025))
        cells = [register_files._cells("incoming", row) for row in rows]

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
                register_files.make("incoming", 2025, rows, fmt)
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
            None, username="bench-ocr", role="secretariat", password="bench-ocr-1", display_name="VP"
        )
        waits = []
        for n in range(scans):
            data = scanned_pdf(
                [[f"Nghị quyết số {n} về chuyển đổi số phường {n}"], ["Trang hai"], ["Trang ba"]]
            )
            t = time.perf_counter()
            doc = documents.create_document(
                office, upload=documents.Upload(data, f"quet-{n}.pdf"), title=f"Bản quét {n}", doc_type="NQ"
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
    """Header detection on the labelled set (tests/data/headers.json): the share of fields
    right on DOCX, text PDF, and scans read by OCR (the job's engine)."""
    from ancuu_docs.documents.services import upload_limits
    from ancuu_docs.extract import inspect_upload
    from ancuu_docs.ocr import engine
    from tests.header_set import LABELS, as_docx, as_pdf, as_scan, score

    out = {}
    with app.app_context():
        limits = upload_limits()
        for kind, render, suffix in (("docx", as_docx, ".docx"), ("text_pdf", as_pdf, ".pdf")):
            texts = {e["id"]: inspect_upload(render(e), f"{e['id']}{suffix}", limits).text for e in LABELS}
            right, total, wrong = score(texts)
            out[kind] = {"right": right, "fields": total, "share": round(right / total, 3), "wrong": wrong}
        texts = {}
        for entry in LABELS:
            result = engine.run(
                as_scan(entry),
                "application/pdf",
                command=app.config["OCR_COMMAND"],
                language="vie",
                timeout=300,
                image_dpi=200,
                progress=lambda _d, _t: None,
            )
            texts[entry["id"]] = result.text
        right, total, wrong = score(texts)
        out["scan"] = {"right": right, "fields": total, "share": round(right / total, 3), "wrong": wrong}
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
    instance = WORK / f"n{n}"
    shutil.rmtree(instance, ignore_errors=True)
    instance.mkdir(parents=True)
    drafts = int(n * DRAFT_SHARE)
    link_folder(instance / "in" / "approved", paths[drafts:])
    link_folder(instance / "in" / "drafts", paths[:drafts])
    app = make_app(instance)
    result: dict = {"documents": n}
    with app.app_context():
        from flask_migrate import upgrade

        from ancuu_docs.auth import services as users
        from ancuu_docs.documents.importing import import_folder
        from ancuu_docs.extensions import db
        from ancuu_docs.search import analysis, indexing, store

        upgrade()
        admin = users.create_user(None, username="admin", role="admin", password="benchmark-admin")
        member = users.create_user(None, username="member", role="member", password="benchmark-member")
        tokens = {
            "member": users.issue_token(None, member.id),
            "secretariat": users.issue_token(None, admin.id),
        }
        indexing.ensure_index()

        # Import, end to end; the time spent writing the index is counted on the side.
        index_seconds = [0.0]
        apply = store.IndexStore.apply

        def timed_apply(self, *args, **kwargs):
            start = time.perf_counter()
            try:
                return apply(self, *args, **kwargs)
            finally:
                index_seconds[0] += time.perf_counter() - start

        store.IndexStore.apply = timed_apply
        log(f"n={n}: import")
        start = time.perf_counter()
        done = import_folder(admin, instance / "in" / "approved", status="approved").imported
        done += import_folder(admin, instance / "in" / "drafts", status="draft").imported
        import_seconds = time.perf_counter() - start
        store.IndexStore.apply = apply
        db.session.remove()

        # Baseline: a raw Whoosh writer indexing the same extracted texts, same schema, same batches.
        log(f"n={n}: raw Whoosh indexing baseline")
        fields = [analysis.entry_fields(entry) for batch in indexing.entries() for entry in batch]
        raw_dir = instance / "raw-index"
        raw_dir.mkdir()
        from whoosh import index as whoosh_index

        raw_ix = whoosh_index.create_in(str(raw_dir), analysis.SCHEMA)
        start = time.perf_counter()
        for i in range(0, len(fields), BATCH):
            writer = raw_ix.writer()
            for item in fields[i : i + BATCH]:
                writer.add_document(**item)
            writer.commit()
        raw_seconds = time.perf_counter() - start
        del fields
        result["import"] = {
            "imported": done,
            "seconds": round(import_seconds, 2),
            "docs_per_s": round(done / import_seconds, 1),
            "index_phase_seconds": round(index_seconds[0], 2),
            "index_docs_per_s": round(done / index_seconds[0], 1),
            "raw_whoosh_seconds": round(raw_seconds, 2),
            "raw_whoosh_docs_per_s": round(done / raw_seconds, 1),
            "index_ratio": ratio(index_seconds[0], raw_seconds),
        }
        log(f"n={n}: import {result['import']}")

        # One round warms caches up; the others are measured (fewer on the largest corpus).
        result["search"] = bench_search(app, tokens, instance, rounds=3 if n <= 5000 else 2)
        log(f"n={n}: search {json.dumps(result['search']['summary'])}")
        result["upload_to_searchable"] = bench_uploads(app, tokens)
        log(f"n={n}: upload to searchable {result['upload_to_searchable']}")
    result["rebuild"] = bench_rebuild(instance, n)
    log(f"n={n}: rebuild {result['rebuild']}")
    result["http"] = bench_http(instance, tokens["member"])
    log(f"n={n}: http {result['http']}")
    return result


def bench_search(app, tokens: dict, instance: Path, rounds: int) -> dict:
    """Latency through the API (in-process WSGI: routing, auth, permissions, DB, facets,
    highlights) against raw Whoosh answering the same queries with highlights, same index."""
    from urllib.parse import urlencode

    from whoosh import index as whoosh_index
    from whoosh import qparser, query, sorting
    from whoosh.highlight import ContextFragmenter, Highlighter, HtmlFormatter, WholeFragmenter

    from ancuu_docs.search import indexing
    from ancuu_docs.search.analysis import FACETS, FIELD_BOOSTS, SCHEMA

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

    with app.app_context():
        generation = indexing.store().current_generation()
    ix = whoosh_index.open_dir(str(instance / "index" / generation))
    parser = qparser.MultifieldParser(list(FIELD_BOOSTS), SCHEMA, fieldboosts=FIELD_BOOSTS)
    titles = Highlighter(fragmenter=WholeFragmenter(), formatter=HtmlFormatter(tagname="mark"))
    contents = Highlighter(
        fragmenter=ContextFragmenter(maxchars=240, surround=60), formatter=HtmlFormatter(tagname="mark")
    )
    facets = {name: sorting.FieldFacet(name, maptype=sorting.Count) for name in FACETS}
    raw: list[float] = []
    raw_facets: list[float] = []
    for round_ in range(rounds):
        for role in tokens:
            for number, params in enumerate(QUERIES):
                # Whoosh's own facets are slow (seconds per query on 20,000 documents): that
                # baseline takes the first FACET_QUERIES queries, once per round.
                with_facets = role == "member" and number < FACET_QUERIES and round_ == rounds - 1
                for grouped, sink in ((None, raw), (facets, raw_facets))[: 2 if with_facets else 1]:
                    start = time.perf_counter()
                    with ix.searcher() as searcher:
                        # The same query as the API's: its filters and its sort.
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
    everything = ours["member"] + ours["secretariat"]
    summary = {
        "api_ms": summary_ms(everything),
        "member_ms": summary_ms(ours["member"]),
        "secretariat_ms": summary_ms(ours["secretariat"]),
        "raw_whoosh_ms": summary_ms(raw),
        "raw_whoosh_with_facets_ms": summary_ms(raw_facets),
    }
    summary["ratio_p50"] = ratio(summary["api_ms"]["p50"], summary["raw_whoosh_ms"]["p50"])
    summary["ratio_p95"] = ratio(summary["api_ms"]["p95"], summary["raw_whoosh_ms"]["p95"])
    summary["ratio_p95_vs_facets"] = ratio(
        summary["api_ms"]["p95"], summary["raw_whoosh_with_facets_ms"]["p95"]
    )
    return {"summary": summary, "queries": len(QUERIES)}


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


def bench_rebuild(instance: Path, n: int) -> dict:
    """`index rebuild` in its own process: wall time and peak RSS, beside the RSS of the same
    process after loading the application (the floor)."""
    script = textwrap.dedent(
        f"""
        import json, sys, time
        sys.path.insert(0, {str(HERE)!r})
        from run import make_app
        from pathlib import Path

        def status_mb(field):  # VmHWM is this process's own peak (ru_maxrss keeps the parent's)
            line = next(l for l in open("/proc/self/status") if l.startswith(field + ":"))
            return int(line.split()[1]) / 1024

        app = make_app(Path({str(instance)!r}))
        with app.app_context():
            from ancuu_docs.search import indexing
            floor = status_mb("VmRSS")
            start = time.perf_counter()
            indexing.rebuild()
            seconds = time.perf_counter() - start
        print(json.dumps({{"seconds": seconds, "peak_rss_mb": status_mb("VmHWM"), "app_rss_mb": floor}}))
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
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(module: str, instance: Path, *, workers: int = 2, threads: int = 1):
    """gunicorn serving `module:app` on a free loopback port, once it accepts connections."""
    port = _free_port()
    env = {
        **os.environ,
        "BENCH_INSTANCE": str(instance),
        "PYTHONPATH": f"{ROOT}:{HERE}",
        "ANCUU_SEARCH_RESULTS_CACHE": "0",
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


def bench_http(instance: Path, member_token: str) -> dict:
    """Search requests per second under gunicorn with 2 workers, loaded by wrk on loopback,
    against raw Whoosh behind a bare WSGI callable on the same index and the same queries."""
    from urllib.parse import urlencode

    if not shutil.which("wrk"):
        return {"skipped": "wrk is not installed (apt-get install wrk)"}
    ours_paths = instance / "paths-api.txt"
    raw_paths = instance / "paths-raw.txt"
    ours_paths.write_text("\n".join(f"/api/v1/search?{urlencode(p)}" for p in QUERIES) + "\n")
    raw_paths.write_text("\n".join(f"/search?{urlencode({'q': p['q']})}" for p in QUERIES) + "\n")
    out = {}
    for name, module, paths, token in (
        ("api", "wsgi", ours_paths, member_token),
        ("raw_whoosh", "raw_wsgi", raw_paths, ""),
    ):
        process, port = _serve(module, instance)
        try:
            out[name] = _wrk(port, paths, token)
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    out["ratio"] = ratio(out["api"]["requests_per_s"], out["raw_whoosh"]["requests_per_s"])
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
        f"Suite time: {results['seconds']:.0f} s.",
        "",
        "| documents | import docs/s | index phase vs raw Whoosh | search p50 / p95 / p99 ms (API) | raw Whoosh p50 / p95 ms | p95 ratio | raw Whoosh + facets p50 / p95 ms | p95 ratio | upload→searchable p50 / p95 ms | rebuild s | rebuild peak RSS MB | HTTP req/s (API / raw) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for size in results["sizes"]:
        r = results["by_size"][str(size)]
        imp, s, u, rb, h = (
            r["import"],
            r["search"]["summary"],
            r["upload_to_searchable"],
            r["rebuild"],
            r["http"],
        )
        http = (
            f"{h['api']['requests_per_s']} / {h['raw_whoosh']['requests_per_s']} ({h['ratio']}×)"
            if "api" in h
            else h.get("skipped", "")
        )
        lines.append(
            f"| {size:,} | {imp['docs_per_s']} | {imp['index_docs_per_s']} vs {imp['raw_whoosh_docs_per_s']} docs/s ({imp['index_ratio']}× time) "
            f"| {s['api_ms']['p50']} / {s['api_ms']['p95']} / {s['api_ms']['p99']} | {s['raw_whoosh_ms']['p50']} / {s['raw_whoosh_ms']['p95']} "
            f"| {s['ratio_p95']}× | {s['raw_whoosh_with_facets_ms']['p50']} / {s['raw_whoosh_with_facets_ms']['p95']} | {s['ratio_p95_vs_facets']}× "
            f"| {u['to_searchable_ms']['p50']} / {u['to_searchable_ms']['p95']} | {rb['seconds']} "
            f"| {rb['peak_rss_mb']} (app alone {rb['app_rss_mb']}) | {http} |"
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


def plot(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = results["sizes"]
    rows = [results["by_size"][str(s)] for s in sizes]
    fig, (left, middle, right) = plt.subplots(1, 3, figsize=(15, 4.5))
    for key, label, style in (("p50", "p50", "-"), ("p95", "p95", "--")):
        left.plot(
            sizes,
            [r["search"]["summary"]["api_ms"][key] for r in rows],
            "o" + style,
            color="#a50e0e",
            label=f"API {label}",
        )
        left.plot(
            sizes,
            [r["search"]["summary"]["raw_whoosh_ms"][key] for r in rows],
            "s" + style,
            color="#555",
            label=f"raw Whoosh {label}",
        )
    left.plot(
        sizes,
        [r["search"]["summary"]["raw_whoosh_with_facets_ms"]["p95"] for r in rows],
        "d:",
        color="#0b4f8a",
        label="raw Whoosh + facets p95",
    )
    left.set(title="Search latency", xlabel="documents", ylabel="ms (log scale)", xscale="log", yscale="log")
    left.legend()
    middle.plot(
        sizes, [r["import"]["docs_per_s"] for r in rows], "o-", color="#a50e0e", label="import, end to end"
    )
    middle.plot(
        sizes,
        [r["import"]["index_docs_per_s"] for r in rows],
        "o--",
        color="#0b4f8a",
        label="its index phase",
    )
    middle.plot(
        sizes,
        [r["import"]["raw_whoosh_docs_per_s"] for r in rows],
        "s--",
        color="#555",
        label="raw Whoosh writer",
    )
    middle.plot(
        sizes, [r["rebuild"]["docs_per_s"] for r in rows], "^-", color="#1b6e3a", label="index rebuild"
    )
    middle.set(title="Throughput", xlabel="documents", ylabel="documents per second", xscale="log")
    middle.legend()
    if all("api" in r["http"] for r in rows):
        right.plot(
            sizes,
            [r["http"]["api"]["requests_per_s"] for r in rows],
            "o-",
            color="#a50e0e",
            label="API (gunicorn, 2 workers)",
        )
        right.plot(
            sizes,
            [r["http"]["raw_whoosh"]["requests_per_s"] for r in rows],
            "s--",
            color="#555",
            label="raw Whoosh WSGI",
        )
    right.set(title="Search over HTTP", xlabel="documents", ylabel="requests per second", xscale="log")
    right.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=90)


def main() -> None:
    started = time.perf_counter()
    WORK.mkdir(exist_ok=True)
    log(f"corpus: {max(SIZES)} documents in {CORPUS}")
    paths = corpus.generate(CORPUS, max(SIZES), progress=lambda d, n: log(f"corpus {d}/{n}"))
    results: dict = {"machine": machine(), "sizes": SIZES, "by_size": {}}
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
