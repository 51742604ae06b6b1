""" "Tổng hợp ý kiến": the tally and every comment of a consultation, as a DOCX the office
edits and files with the draft (Times New Roman, A4, the Party header)."""

from __future__ import annotations

import io
import re

from docx import Document as Docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from flask import current_app

from ..auth.models import User
from ..timeutil import format_local, local_today, to_local, vietnamese_date
from .models import CHOICE_LABELS, Choice, Consultation
from .services import get_consultation, require_office, tally

FONT = "Times New Roman"
DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _safe(text: str) -> str:
    """Text XML can hold (rows written before control characters were refused may have them)."""
    return _NOT_XML.sub("", text or "")


def _line(container, text: str, *, bold=False, italic=False, size=14, align=None, space_after=3):
    paragraph = container.add_paragraph()
    run = paragraph.add_run(_safe(text))
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(space_after)
    return paragraph


def _new_document() -> Docx:
    doc = Docx()
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    return doc


def _header(doc: Docx) -> None:
    config = current_app.config
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    center = WD_ALIGN_PARAGRAPH.CENTER
    left.paragraphs[0].add_run(config["SUPERIOR_BODY"]).font.size = Pt(14)
    left.paragraphs[0].alignment = center
    _line(left, config["ISSUING_BODY"], bold=True, align=center)
    _line(left, "*", align=center)
    party = right.paragraphs[0].add_run("ĐẢNG CỘNG SẢN VIỆT NAM")
    party.bold, party.font.size = True, Pt(15)
    right.paragraphs[0].alignment = center
    _line(right, f"{config['PLACE_NAME']}, {vietnamese_date(local_today())}", italic=True, align=center)


def summary_docx(consultation: Consultation) -> bytes:
    doc = _new_document()
    _header(doc)
    document = consultation.document
    center = WD_ALIGN_PARAGRAPH.CENTER
    _line(doc, "", space_after=0)
    _line(doc, "TỔNG HỢP Ý KIẾN", bold=True, size=15, align=center, space_after=0)
    _line(doc, f"góp ý dự thảo {document.title}", bold=True, align=center, space_after=0)
    _line(doc, "-----", align=center, space_after=6)
    _line(
        doc,
        f"Hỏi ý kiến: {consultation.group_label} ({len(consultation.invitees)} đồng chí), "
        f"từ {format_local(consultation.opened_at)} đến hết ngày "
        f"{to_local(consultation.deadline).strftime('%d/%m/%Y')}"
        + (f"; kết thúc sớm lúc {format_local(consultation.closed_at)}" if consultation.closed_at else "")
        + ".",
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    )
    if consultation.question:
        _line(doc, f"Nội dung xin ý kiến: {consultation.question}", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    for version in tally(consultation):
        current = " (hiện hành)" if version.n == document.current_n else ""
        _line(doc, f"Phiên bản {version.n}{current}", bold=True, space_after=3)
        counts = ", ".join(f"{CHOICE_LABELS[c]}: {version.counts[c.value]}" for c in Choice)
        line = f"{version.answered} đồng chí trả lời. {counts}."
        if version.not_answered:
            names = ", ".join(u.display_name for u in version.not_answered)
            line += f" Chưa trả lời ({len(version.not_answered)}): {names}."
        _line(doc, line, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        if not version.answers:
            continue
        table = doc.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, title in zip(
            table.rows[0].cells, ("TT", "Người góp ý", "Ý kiến", "Nội dung góp ý"), strict=True
        ):
            cell.paragraphs[0].add_run(title).bold = True
        for i, answer in enumerate(version.answers, start=1):
            cells = table.add_row().cells
            cells[0].text = str(i)
            cells[1].text = _safe(answer.user.display_name)
            cells[2].text = answer.choice_label
            cells[3].text = _safe(answer.comment) or "—"
        _line(doc, "", space_after=3)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def summary_file(actor: User, consultation_id: int) -> tuple[bytes, str]:
    """The summary and its file name, for the office only (404 first for who may not see it)."""
    consultation = get_consultation(actor, consultation_id)
    require_office(actor)
    return summary_docx(consultation), f"tong-hop-y-kien-{consultation.document_id}-{consultation.id}.docx"
