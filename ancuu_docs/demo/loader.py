"""Load the demo: accounts, and the second conference's documents as real DOCX files."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date

from docx import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Mm, Pt
from flask import current_app
from sqlalchemy import func, select

from ..auth import services as user_services
from ..auth.models import User
from ..documents import services as documents
from ..documents.types import DOC_TYPES, Status
from ..extensions import db
from ..timeutil import vietnamese_date
from . import content

# (username, password, role, display name)
DEMO_ACCOUNTS = [
    ("quantri", "quantri-2025", "admin", "Quản trị hệ thống"),
    ("vanphong", "vanphong-2025", "secretariat", "Trần Thị Hoa - Chánh Văn phòng Đảng ủy"),
    ("vanthu", "vanthu-2025", "clerk", "Lê Văn Bình - Văn thư"),
    ("dangvien", "dangvien-2025", "member", "Nguyễn Văn An - Đảng viên Chi bộ Khu vực 3"),
]

CONFERENCE_DAY = date(2025, 11, 5)
HEADING = re.compile(r"^([IVX]+-|\d+\.|[a-zđ]\))\s")


def database_is_empty() -> bool:
    return not db.session.scalar(select(func.count()).select_from(User))


def load_demo(progress: Callable[[str], None] = lambda _label: None) -> int:
    users = {}
    for username, password, role, name in DEMO_ACCOUNTS:
        users[role] = user_services.find_user(username) or user_services.create_user(
            None, username=username, role=role, password=password, display_name=name
        )
    office, clerk = users["secretariat"], users["clerk"]

    def add(spec: dict, author: User, status: Status) -> int:
        doc = documents.create_document(
            author,
            upload=documents.Upload(build_docx(spec), _filename(spec)),
            title=spec["title"],
            doc_type=spec["doc_type"],
            summary=spec["summary"],
            comment="Dự thảo trình Hội nghị lần thứ hai",
        )
        path = {Status.DRAFT: [], Status.IN_REVIEW: [Status.IN_REVIEW]}.get(
            status, [Status.IN_REVIEW, Status.APPROVED]
        )
        for step in path:
            doc = documents.transition(office, doc.id, step, issue_date=CONFERENCE_DAY)
        progress(f"{spec['title'][:70]} ({doc.number or Status(doc.status).label})")
        return doc.id

    add(content.REPORT, office, Status.APPROVED)
    add(content.WORK_PROGRAMME, office, Status.APPROVED)
    add(content.INSPECTION_PROGRAMME, office, Status.APPROVED)
    add(content.RESOLUTION_LIFESTYLE, clerk, Status.DRAFT)
    add(content.RESOLUTION_INFRASTRUCTURE, clerk, Status.DRAFT)
    land_id = add(content.RESOLUTION_LAND, clerk, Status.DRAFT)
    revised = {**content.RESOLUTION_LAND, "body": content.RESOLUTION_LAND_REVISED_BODY}
    documents.add_version(
        clerk,
        land_id,
        upload=documents.Upload(build_docx(revised, version=2), _filename(revised, 2)),
        base_version=1,
        comment="Tiếp thu ý kiến thảo luận tại Hội nghị",
    )
    return 6


def _filename(spec: dict, version: int = 1) -> str:
    words = re.sub(r"[^\w\s-]", "", spec["subject"].split("\n")[0]).split()[:6]
    return f"{spec['doc_type']}-{'-'.join(words)}-v{version}.docx"


def _run(paragraph, text: str, *, size: float = 14, bold=False, italic=False, underline=False):
    run = paragraph.add_run(text)
    run.font.name = "Times New Roman"
    run.font.size = Pt(size)
    run.bold, run.italic, run.underline = bold, italic, underline
    return run


def _centered(container, text: str, **style):
    paragraph = container.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    _run(paragraph, text, **style)
    return paragraph


def build_docx(spec: dict, *, version: int = 1) -> bytes:
    """A draft in the Party layout: header table, type name, subject, body, footer."""
    cfg = current_app.config
    doc = DocxDocument()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)

    header = doc.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = header.rows[0].cells
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(left.paragraphs[0], cfg["SUPERIOR_BODY"])
    _centered(left, cfg["ISSUING_BODY"], bold=True)
    _centered(left, "*")
    _centered(left, f"Số      -{spec['doc_type']}/{cfg['NUMBER_SYMBOL']}")
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(right.paragraphs[0], "ĐẢNG CỘNG SẢN VIỆT NAM", size=15, bold=True, underline=True)
    _centered(right, f"{cfg['PLACE_NAME']}, {vietnamese_date(CONFERENCE_DAY)}", italic=True)
    _centered(right, f"DỰ THẢO {version}", size=12, bold=True)

    doc.add_paragraph()
    _centered(doc, DOC_TYPES[spec["doc_type"]].split(" /")[0].upper(), size=16, bold=True)
    for line in content.MEETING_LINE.split("\n"):
        _centered(doc, line, bold=True)
    for line in spec["subject"].split("\n"):
        _centered(doc, line, bold=True)
    _centered(doc, "-----")

    for item in spec["body"]:
        if isinstance(item, tuple):
            _table(doc, item[1])
            continue
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.first_line_indent = Cm(1.27)
        _run(paragraph, item, bold=bool(HEADING.match(item)) and item[:1].isupper())

    footer = doc.add_table(rows=1, cols=2)
    left, right = footer.rows[0].cells
    _run(left.paragraphs[0], "Nơi nhận:", underline=True, bold=True)
    for line in (
        "- Ban Thường vụ Thành ủy (b/c),",
        "- Các chi, đảng bộ trực thuộc,",
        "- Lưu Văn phòng Đảng ủy.",
    ):
        _run(left.add_paragraph(), line, size=12)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(right.paragraphs[0], "T/M ĐẢNG ỦY", bold=True)
    _centered(right, "BÍ THƯ", bold=True)

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _table(doc, rows: list[list[str]]) -> None:
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            _run(cell.paragraphs[0], text, size=12, bold=r == 0)
