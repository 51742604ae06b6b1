"""Builds the built-in DOCX templates (templates/docx/*.docx) in the Party document layout.

The templates are committed; this is how they were made, so a change to the layout is a
change here followed by `flask --app app drafting build-templates`. Placeholders are docxtpl
(Jinja) tags: `{{ … }}` in runs, `{%p … %}` paragraphs and `{%tr … %}` table rows.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document

from .layout import (
    body_line,
    footer_table,
    header_table,
    heading,
    minutes_signatures,
    new_document,
    rows_table,
    sections_block,
    tag,
    title_block,
)

# ------------------------------------------------------------------ the five templates


def resolution() -> Document:
    doc = new_document()
    header_table(doc)
    title_block(doc, "NGHỊ QUYẾT", meeting=True)
    sections_block(doc, "opening")
    sections_block(doc, "body", last=True)
    footer_table(doc)
    return doc


def report() -> Document:
    doc = new_document()
    header_table(doc)
    title_block(doc, "BÁO CÁO", meeting=False)
    sections_block(doc, "body", last=True)
    footer_table(doc)
    return doc


def work_programme() -> Document:
    doc = new_document()
    header_table(doc)
    title_block(doc, "CHƯƠNG TRÌNH", meeting=False)
    sections_block(doc, "legal_bases")
    heading(doc, "I- MỤC ĐÍCH, YÊU CẦU")
    sections_block(doc, "purpose")
    heading(doc, "II- NỘI DUNG CHƯƠNG TRÌNH")
    rows_table(
        doc,
        "items",
        [
            ("conference", "Hội nghị, thời gian", 2.6),
            ("content", "Nội dung cho ý kiến, thông qua", 5.4),
            ("preparing", "Cơ quan chuẩn bị", 2.9),
            ("coordinating", "Cơ quan phối hợp", 2.9),
            ("time", "Thời gian", 2.2),
        ],
    )
    heading(doc, "III- TỔ CHỨC THỰC HIỆN")
    sections_block(doc, "implementation", last=True)
    footer_table(doc)
    return doc


INSPECTION_COLUMNS = [
    ("subject", "Đối tượng", 3.6),
    ("content", "Nội dung", 6.4),
    ("time", "Thời gian", 2.4),
    ("performer", "Cơ quan thực hiện", 3.6),
]


def inspection_programme() -> Document:
    doc = new_document()
    header_table(doc)
    title_block(doc, "CHƯƠNG TRÌNH", meeting=False)
    sections_block(doc, "legal_bases")
    heading(doc, "I- KIỂM TRA, GIÁM SÁT CỦA BAN CHẤP HÀNH, BAN THƯỜNG VỤ ĐẢNG ỦY")
    heading(doc, "1. Kiểm tra")
    rows_table(doc, "committee_inspections", INSPECTION_COLUMNS)
    heading(doc, "2. Giám sát chuyên đề")
    rows_table(doc, "committee_supervisions", INSPECTION_COLUMNS)
    heading(doc, "II- KIỂM TRA, GIÁM SÁT CỦA ỦY BAN KIỂM TRA ĐẢNG ỦY")
    heading(doc, "1. Kiểm tra")
    rows_table(doc, "commission_inspections", INSPECTION_COLUMNS)
    heading(doc, "2. Giám sát chuyên đề")
    rows_table(doc, "commission_supervisions", INSPECTION_COLUMNS)
    heading(doc, "III- TỔ CHỨC THỰC HIỆN")
    sections_block(doc, "implementation", last=True)
    footer_table(doc)
    return doc


def minutes() -> Document:
    doc = new_document()
    header_table(doc)
    title_block(doc, "BIÊN BẢN", meeting=True, subject=False, upper_meeting=False)
    body_line(doc, "- Thời gian: bắt đầu hồi {{ start_time | clock }}, {{ date | vn_date }}.")
    body_line(doc, "- Địa điểm: {{ venue }}.")
    body_line(doc, "- Nội dung: {{ agenda_summary }}.")
    body_line(doc, "- Chủ trì: đồng chí {{ chair_name }} - {{ chair_position }}.")
    body_line(doc, "- Người ghi biên bản: đồng chí {{ secretary_name }} - {{ secretary_position }}.")
    heading(doc, "1. Thành phần")
    body_line(
        doc,
        "Cấp ủy viên tổng số {{ total_members }} đồng chí; có mặt {{ present }} đồng chí; "
        "vắng {{ absent | length }} đồng chí.",
    )
    tag(doc, "{%p for person in absent %}")
    body_line(doc, "- Vắng: đồng chí {{ person.name }} ({{ person.reason }}).")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if guests %}")
    body_line(doc, "Khách mời: {{ guests }}.")
    tag(doc, "{%p endif %}")
    heading(doc, "2. Diễn biến hội nghị")
    sections_block(doc, "proceedings")
    heading(doc, "3. Kết luận của chủ trì")
    sections_block(doc, "conclusions")
    heading(doc, "4. Biểu quyết")
    tag(doc, "{%p for row in votes %}")
    body_line(
        doc,
        "4.{{ loop.index }}. {{ row.item }}: biểu quyết bằng hình thức {{ row.method | lower }}; "
        "{{ row | vote(present) }}.",
    )
    tag(doc, "{%p endfor %}")
    body_line(
        doc,
        "5. Hội nghị kết thúc hồi {{ end_time | clock }} cùng ngày. Biên bản đã được đọc lại "
        "và thông qua tại hội nghị.",
        keep=True,
    )
    minutes_signatures(doc)
    return doc


BUILDERS = {
    "resolution": resolution,
    "work-programme": work_programme,
    "inspection-programme": inspection_programme,
    "report": report,
    "minutes": minutes,
}


def build_all(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for key, build in BUILDERS.items():
        path = folder / f"{key}.docx"
        build().save(path)
        written.append(path)
    return written
