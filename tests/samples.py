"""Real files for tests: DOCX by python-docx, ODT and PDF written to their specifications."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

from docx import Document


def stream(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)


def docx(
    paragraphs: list[str],
    *,
    table: list[list[str]] | None = None,
    header: str | None = None,
    footer: str | None = None,
) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    section = document.sections[0]
    if header:
        section.header.paragraphs[0].text = header
    if footer:
        section.footer.paragraphs[0].text = footer
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


ODT_MIME = "application/vnd.oasis.opendocument.text"


def odt(paragraphs: list[str], *, heading: str | None = None) -> bytes:
    body = ""
    if heading:
        body += f'<text:h text:outline-level="1">{escape(heading)}</text:h>'
    body += "".join(f"<text:p>{escape(p)}</text:p>" for p in paragraphs)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODT_MIME}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", ODT_MIME, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def pdf(lines: list[str]) -> bytes:
    """A one-page PDF with Helvetica text (ASCII only: the standard fonts have no Vietnamese)."""
    ops = ["BT", "/F1 12 Tf", "72 760 Td", "14 TL"]
    for line in lines:
        safe = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"({safe}) Tj T*")
    ops.append("ET")
    stream_data = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream_data) + stream_data + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return pdf_of_objects(objects)


def pdf_of_objects(objects: list[bytes], version: bytes = b"1.4") -> bytes:
    """A PDF file of these objects (numbered from 1, the first the catalog), with its xref."""
    out = io.BytesIO()
    out.write(b"%PDF-" + version + b"\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def archive(members: dict[str, str]) -> bytes:
    """A ZIP with the given members: office files that are not what they claim, or broken."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for name, text in members.items():
            out.writestr(name, text)
    return buffer.getvalue()


def zip_bomb_docx(expanded_bytes: int) -> bytes:
    """A DOCX-shaped archive whose one extra member expands to `expanded_bytes` of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/padding.bin", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(expanded_bytes // len(chunk)):
                member.write(chunk)
    return buffer.getvalue()


# A conference as the secretariat records it (the API's JSON, the page's form fields).
CONFERENCE = {
    "body": "executive",
    "ordinal": 2,
    "expanded": True,
    "date": "2025-11-05",
    "start_time": "08:00",
    "end_time": "11:30",
    "place": "Hội trường Đảng ủy phường An Cựu",
    "chair_name": "Nguyễn Văn Hùng",
    "chair_position": "Bí thư Đảng ủy phường",
    "secretary_name": "Trần Thị Hoa",
    "secretary_position": "Chánh Văn phòng Đảng ủy",
    "total_members": 15,
    "guests": "Bí thư các chi bộ trực thuộc",
}
ATTENDANCE = {"present": 14, "absent": [{"name": "Lê Văn Cường", "reason": "đi công tác"}]}


def odt_body(body_xml: str) -> bytes:
    """An ODT whose body is the given XML (text:p elements and what they hold), as written."""
    marker = "MARKER-FOR-BODY"
    data = odt([marker])
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = {name: source.read(name) for name in source.namelist()}
    members["content.xml"] = members["content.xml"].replace(
        f"<text:p>{marker}</text:p>".encode(), body_xml.encode()
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", members.pop("mimetype"), compress_type=zipfile.ZIP_STORED)
        for name, content in members.items():
            archive.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def docx_member_patched(*, method: int | None = None, encrypted: bool = False) -> bytes:
    """A DOCX whose word/document.xml claims another compression method or encryption, in
    both its local header and the central directory, as a hand-made or damaged file would."""
    data = bytearray(docx(["Nghị quyết"]))
    name = b"word/document.xml"
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        local = archive.getinfo(name.decode()).header_offset
    central = data.find(b"PK\x01\x02")
    while central != -1:
        length = int.from_bytes(data[central + 28 : central + 30], "little")
        if data[central + 46 : central + 46 + length] == name:
            break
        central = data.find(b"PK\x01\x02", central + 4)
    for flags_at, method_at in ((local + 6, local + 8), (central + 8, central + 10)):
        if method is not None:
            data[method_at : method_at + 2] = method.to_bytes(2, "little")
        if encrypted:
            flags = int.from_bytes(data[flags_at : flags_at + 2], "little") | 0x1
            data[flags_at : flags_at + 2] = flags.to_bytes(2, "little")
    return bytes(data)


def party_docx(
    *, code: str = "NQ", draft_mark: str = "DỰ THẢO 2", split_runs: bool = True, number_typed: str = ""
) -> bytes:
    """A DOCX as a Word user lays out a Party draft: the header table with "Số …-NQ/ĐU" (split
    across runs, as Word saves an edited line) and a blank date, "DỰ THẢO 2" in the first-page
    header and again above the title, and "dự thảo" in the body's own words."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = Document()
    section = document.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_header.paragraphs[0].text = draft_mark
    header = document.add_table(rows=4, cols=2)
    header.cell(0, 0).text = "ĐẢNG BỘ THÀNH PHỐ HUẾ"
    header.cell(1, 0).text = "ĐẢNG ỦY PHƯỜNG AN CỰU"
    header.cell(2, 0).text = "*"
    number = header.cell(3, 0).paragraphs[0]
    if split_runs:
        for piece in ("Số", " ", "\u00a0" * 5 + number_typed, "-", code, "/", "ĐU"):
            number.add_run(piece)
    else:
        number.add_run(f"Số       {number_typed}-{code}/ĐU")
    header.cell(0, 1).text = "ĐẢNG CỘNG SẢN VIỆT NAM"
    date_line = header.cell(3, 1).paragraphs[0]
    date_line.add_run("An Cựu, ngày ").italic = True
    date_line.add_run("     tháng     năm 2025").italic = True
    mark = document.add_paragraph(draft_mark)
    mark.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph("NGHỊ QUYẾT")
    document.add_paragraph("về phát triển kinh tế số")
    document.add_paragraph("Hội nghị thông qua dự thảo nghị quyết sau khi thảo luận.")
    document.add_paragraph("Thực hiện theo Nghị quyết Số 12-NQ/TU của Thành ủy.")
    document.add_paragraph("II- GÓP Ý DỰ THẢO VĂN KIỆN ĐẠI HỘI CẤP TRÊN")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def scan_pages(pages: list[list[str]], *, dpi: int = 200, skew: float = 0.0) -> list:
    """Pages of text rendered as images, as a scanner makes them (Liberation Serif, the
    metric twin of Times New Roman), a little skewed if asked."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf", dpi // 6)
    images = []
    for lines in pages:
        image = Image.new("L", (int(8.27 * dpi), int(11.69 * dpi)), 255)
        draw = ImageDraw.Draw(image)
        y = dpi
        for line in lines:
            draw.text((dpi, y), line, font=font, fill=0)
            y += dpi // 4
        if skew:
            image = image.rotate(skew, fillcolor=255, expand=False)
        images.append(image)
    return images


def scanned_pdf(pages: list[list[str]], **kwargs) -> bytes:
    """An image-only PDF: no text layer at all."""
    images = scan_pages(pages, **kwargs)
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", resolution=200, save_all=True, append_images=images[1:])
    return buffer.getvalue()


def photo_jpeg(lines: list[str]) -> bytes:
    buffer = io.BytesIO()
    scan_pages([lines], skew=0.8)[0].save(buffer, "JPEG", quality=85, dpi=(200, 200))
    return buffer.getvalue()


def scan_png(lines: list[str]) -> bytes:
    buffer = io.BytesIO()
    scan_pages([lines])[0].save(buffer, "PNG", dpi=(200, 200))
    return buffer.getvalue()


def scan_tiff(pages: list[list[str]]) -> bytes:
    """A multi-page TIFF, as a document feeder scans a stack of pages."""
    images = scan_pages(pages)
    buffer = io.BytesIO()
    images[0].save(
        buffer, "TIFF", save_all=True, append_images=images[1:], compression="tiff_lzw", dpi=(200, 200)
    )
    return buffer.getvalue()


def txt(text: str) -> bytes:
    return text.encode("utf-8")


def padded_docx(data: bytes, paragraphs: int, text: str = "") -> bytes:
    """The same DOCX with `paragraphs` more paragraphs (empty, or each saying `text`) before
    its section settings: a few KB that parse into that many elements (slow to issue, within
    the bounds when few enough)."""
    one = f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>".encode() if text else b"<w:p/>"
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "word/document.xml":
                content = content.replace(b"<w:sectPr", one * paragraphs + b"<w:sectPr", 1)
            archive.writestr(item, content)
    return buffer.getvalue()
