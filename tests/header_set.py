"""The labelled set for header detection (tests/data/headers.json) rendered as a reader gets it:
DOCX, text PDF, and a scan (200 dpi, slightly skewed, with specks) for OCR; and the scoring."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

from docx import Document
from fpdf import FPDF

from ancuu_docs.detect import detect

LABELS = json.loads((Path(__file__).parent / "data" / "headers.json").read_text(encoding="utf-8"))
# Documents that come in from above and from the ward's state bodies: -CV, -TB, -KH, -HD, -QĐ.
INCOMING = json.loads((Path(__file__).parent / "data" / "incoming_headers.json").read_text(encoding="utf-8"))
FIELDS = ("style", "superior_body", "issuing_body", "number", "doc_type", "place", "issue_date", "subject")
FONT = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"


def first_page(entry: dict) -> list[str]:
    if entry["style"] == "party":
        top = [
            entry["superior_body"],
            entry["issuing_body"],
            "*",
            f"Số {entry['number']}",
            "ĐẢNG CỘNG SẢN VIỆT NAM",
        ]
    else:
        top = [
            entry["superior_body"],
            entry["issuing_body"],
            f"Số: {entry['number']}",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
        ]
    if not entry["type_name"]:  # a Công văn: its subject "V/v …" under the number, no type line
        about = "V/v " + entry["subject"].removeprefix("về việc ")
        at = top.index(next(line for line in top if line.startswith("Số")))
        return [*top[: at + 1], about, *top[at + 1 :], entry["date_line"], "Kính gửi: Đảng ủy phường An Cựu"]
    return [
        *top,
        entry["date_line"],
        entry["type_name"],
        entry["subject"],
        "-----",
        "Căn cứ Điều lệ Đảng và quy chế làm việc, thực hiện chương trình công tác năm.",
    ]


def as_docx(entry: dict) -> bytes:
    """Every other page with its header as the two-column table real documents use (read row
    by row, so the columns interleave); the others line by line."""
    document = Document()
    lines = first_page(entry)
    if int(entry["id"][1:]) % 2:
        # The right column: the Party's name and the date, or the state's name, motto and date.
        at = next(i for i, line in enumerate(lines) if line.isupper() and "VIỆT NAM" in line)
        left, right = lines[:at], lines[at : at + (2 if entry["style"] == "party" else 3)]
        table = document.add_table(rows=max(len(left), len(right)), cols=2)
        for row, text in enumerate(left):
            table.cell(row, 0).text = text
        for row, text in enumerate(right):
            table.cell(row, 1).text = text
        lines = lines[at + len(right) :]
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def as_pdf(entry: dict) -> bytes:
    pdf = FPDF()
    pdf.add_font("Serif", "", FONT)
    pdf.set_font("Serif", "", 13)
    pdf.add_page()
    for line in first_page(entry):
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def as_scan(entry: dict) -> bytes:
    """A 200 dpi scan, turned a little and specked, as an office scanner leaves a page."""
    from PIL import Image, ImageDraw, ImageFont

    rng = random.Random(entry["id"])
    dpi = 200
    font = ImageFont.truetype(FONT, dpi // 6)
    image = Image.new("L", (int(8.27 * dpi), int(11.69 * dpi)), 255)
    draw = ImageDraw.Draw(image)
    y = dpi
    for line in first_page(entry):
        draw.text((dpi, y), line, font=font, fill=0)
        y += dpi // 4
    for _ in range(1500):
        x, y = rng.randrange(image.width), rng.randrange(image.height)
        draw.point((x, y), fill=rng.randrange(0, 160))
    image = image.rotate(rng.uniform(-0.8, 0.8), fillcolor=255)
    out = io.BytesIO()
    image.save(out, "PDF", resolution=dpi)
    return out.getvalue()


def score(texts: dict[str, str], labels: list[dict] = LABELS) -> tuple[int, int, dict[str, list[str]]]:
    """(fields right, fields in all, the wrong ones by document) over texts by entry id."""
    right = total = 0
    wrong: dict[str, list[str]] = {}
    for entry in labels:
        found = detect(texts[entry["id"]]).as_json()
        for field in FIELDS:
            total += 1
            if found.get(field, "") == entry[field]:
                right += 1
            else:
                wrong.setdefault(entry["id"], []).append(f"{field}: {found.get(field)!r} ≠ {entry[field]!r}")
    return right, total, wrong
