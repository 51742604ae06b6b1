"""Uploaded bytes -> checked media type and extracted text.

The type is sniffed from the bytes and must agree with the filename's extension. Archives
(DOCX, ODT) are bounded before anything is decompressed: Python's zipfile never yields more
than a member's declared size, so bounding the declared sizes bounds the work. What is
inside is bounded too: the XML items (elements and attributes) of every part are counted
while it is decompressed, before any is parsed (150 MB of `<w:p/>` is 25 million elements,
gigabytes once parsed), nesting stops at libxml2's 256 levels, and the characters extracted
are counted as they are made. `check_package` applies the same bounds for whoever opens an
office file later (the page's renderer, the issued file, a spreadsheet import).
"""

from __future__ import annotations

import io
import struct
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath

from lxml import etree

from .errors import InvalidInput, TooLarge, UnsupportedMedia

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
PDF = "application/pdf"
TXT = "text/plain"
JPEG = "image/jpeg"
PNG = "image/png"
TIFF = "image/tiff"
# Photos and scans of a page: stored as they came, read by OCR in the background.
IMAGES = (JPEG, PNG, TIFF)

EXTENSIONS = {
    ".docx": DOCX,
    ".odt": ODT,
    ".pdf": PDF,
    ".txt": TXT,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".png": PNG,
    ".tif": TIFF,
    ".tiff": TIFF,
}
KIND_NAMES = {
    DOCX: "DOCX",
    ODT: "ODT",
    PDF: "PDF",
    TXT: "văn bản thuần (TXT)",
    JPEG: "ảnh JPEG",
    PNG: "ảnh PNG",
    TIFF: "ảnh TIFF",
}
ACCEPTED = ", ".join(EXTENSIONS)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_uncompressed: int
    max_members: int
    # Characters of text one file may yield: counted while extracting (a 416-byte ODT can ask
    # for 300 million spaces), so nothing larger is ever built.
    max_text: int = 5_000_000
    # Pixels of one page of a photo or scan: a few KB of PNG can claim a billion.
    max_pixels: int = 100_000_000
    # Pages of a TIFF whose sizes are looked at (a longer scan is refused by OCR anyway).
    max_pages: int = 300
    # XML elements and attributes of all the parts of an office file together.
    max_xml_items: int = 2_000_000


class _Budget:
    """The characters extraction may still produce; refuses the file once they run out."""

    def __init__(self, limit: int):
        self.left = limit
        self.limit = limit

    def take(self, count: int) -> int:
        self.left -= max(count, 0)
        if self.left < 0:
            limit = f"{self.limit:,}".replace(",", ".")
            raise TooLarge(f"Văn bản trích từ tệp vượt quá {limit} ký tự. Tệp không được nhận.", field="file")
        return count


class _Items:
    """The XML elements and attributes a file may still hold; refuses it once they run out."""

    def __init__(self, limit: int):
        self.left = limit
        self.limit = limit

    def take(self, chunk: bytes) -> None:
        elements = chunk.count(b"<") - chunk.count(b"</")
        attributes = chunk.count(b'="') + chunk.count(b"='")
        self.left -= elements + attributes
        if self.left < 0:
            limit = f"{self.limit:,}".replace(",", ".")
            raise TooLarge(
                f"Tệp có quá nhiều thành phần (hơn {limit} phần tử và thuộc tính XML): "
                "tệp hỏng hoặc được tạo để làm treo máy chủ. Tệp không được nhận.",
                field="file",
            )


XML_DEPTH = 256  # libxml2's own bound without XML_PARSE_HUGE, said in our words
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Extracted:
    media_type: str
    text: str


def inspect_upload(data: bytes, filename: str, limits: Limits) -> Extracted:
    """Check an upload and extract its text, or raise a DomainError that says what is wrong."""
    if len(data) > limits.max_bytes:
        mb = limits.max_bytes / (1024 * 1024)
        raise TooLarge(f"Tệp vượt quá giới hạn {mb:g} MB.", field="file")
    if not data:
        raise InvalidInput("Tệp rỗng.", field="file")

    extension = PurePath(filename or "").suffix.lower()
    claimed = EXTENSIONS.get(extension)
    if claimed is None:
        raise UnsupportedMedia(
            f"Chỉ nhận các tệp {ACCEPTED}; tệp «{filename}» không thuộc các loại này.", field="file"
        )

    actual = sniff(data, limits)
    if actual != claimed:
        found = KIND_NAMES.get(actual, "không xác định") if actual else "không xác định"
        raise UnsupportedMedia(
            f"Tệp có đuôi {extension} nhưng nội dung là {found}. Tệp không được nhận.", field="file"
        )

    if actual in IMAGES:
        check_image(data, limits)
    if actual in (DOCX, ODT):
        check_package(data, limits, KIND_NAMES[actual])
    text = EXTRACTORS[actual](data, _Budget(limits.max_text))
    # NUL never belongs in text, and PostgreSQL refuses it.
    text = unicodedata.normalize("NFC", text).replace("\x00", "").strip()
    if looks_like_legacy_encoding(text):
        raise InvalidInput(
            "Tệp dùng bảng mã tiếng Việt cũ (TCVN3/VNI), văn bản trích ra bị lỗi phông. "
            "Hãy chuyển tệp sang Unicode rồi tải lên lại.",
            field="file",
        )
    return Extracted(media_type=actual, text=text)


def sniff(data: bytes, limits: Limits) -> str | None:
    """The media type the bytes really are, or None."""
    if b"%PDF-" in data[:1024]:
        return PDF
    if data[:3] == b"\xff\xd8\xff":
        return JPEG
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return PNG
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return TIFF
    if data[:4] == b"PK\x03\x04":
        return _sniff_zip(data, limits)
    if _is_utf8_text(data):
        return TXT
    return None


def _sniff_zip(data: bytes, limits: Limits) -> str | None:
    archive = _open_bounded_zip(data, limits)
    names = set(archive.namelist())
    if "mimetype" in names and _read_member(archive, "mimetype", "ODT").strip() == ODT.encode():
        return ODT
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        if "_rels/.rels" not in names:  # Word cannot open it either
            raise InvalidInput("Tệp DOCX bị hỏng: thiếu phần «_rels/.rels».", field="file")
        return DOCX
    return None


def check_package(data: bytes, limits: Limits, what: str = "") -> None:
    """An office file (DOCX, ODT, XLSX) within the bounds: its members' declared sizes, and the
    XML items of all its XML parts together, counted while decompressing (a part over the
    bound stops being read at once). TooLarge or InvalidInput saying what is wrong."""
    archive = _open_bounded_zip(data, limits)
    items = _Items(limits.max_xml_items)
    for info in archive.infolist():
        if info.filename.endswith((".xml", ".rels")):
            _read_member(archive, info.filename, what, items=items)


def _open_bounded_zip(data: bytes, limits: Limits) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise InvalidInput("Tệp bị hỏng: không đọc được cấu trúc nén.", field="file") from exc
    if len(members) > limits.max_members:
        raise InvalidInput(
            f"Tệp nén chứa quá nhiều thành phần ({len(members)}). Tệp không được nhận.",
            field="file",
        )
    expanded = sum(m.file_size for m in members)
    if expanded > limits.max_uncompressed:
        mb = limits.max_uncompressed / (1024 * 1024)
        raise InvalidInput(
            f"Tệp giải nén vượt quá {mb:g} MB (nghi là tệp «bom nén»). Tệp không được nhận.",
            field="file",
        )
    return archive


def _is_utf8_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    return controls == 0


def xml_error(exc: etree.XMLSyntaxError, what: str) -> InvalidInput:
    if "Excessive depth" in str(exc):
        return TooLarge(
            f"Tệp {what} có các thành phần lồng nhau quá sâu (quá {XML_DEPTH} mức): "
            "tệp hỏng hoặc được tạo để làm treo máy chủ. Tệp không được nhận.",
            field="file",
        )
    return InvalidInput(f"Tệp {what} bị hỏng: nội dung XML không hợp lệ.", field="file")


def _read_member(archive: zipfile.ZipFile, name: str, what: str, items: _Items | None = None) -> bytes:
    """A member's bytes; with `items`, its XML items counted chunk by chunk as it is
    decompressed (so a bomb is refused after its first megabytes, not after all of them)."""
    what = f"{what} " if what else ""
    try:
        if items is None:
            return archive.read(name)
        chunks = []
        with archive.open(name) as member:
            while chunk := member.read(CHUNK):
                items.take(chunk)
                chunks.append(chunk)
        return b"".join(chunks)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError) as exc:
        raise InvalidInput(f"Tệp {what}bị hỏng: không giải nén được «{name}».", field="file") from exc
    except NotImplementedError as exc:  # deflate64, an unknown compression method
        raise InvalidInput(
            f"Tệp {what}dùng cách nén không được hỗ trợ («{name}»). Hãy lưu lại tệp bằng trình soạn thảo.",
            field="file",
        ) from exc
    except RuntimeError as exc:  # a member marked encrypted
        raise InvalidInput(f"Tệp {what}có mật khẩu, không đọc được nội dung.", field="file") from exc


def _blocks(raw: bytes, tags: tuple[str, ...], what: str) -> Iterator[etree._Element]:
    """The paragraphs of an XML part, each as soon as it is parsed, then dropped: the part is
    never held whole as a tree (a paragraph in a text box comes before the one holding it)."""
    # Entities and DTDs are never fetched nor expanded (no XXE, no billion laughs).
    context = etree.iterparse(
        io.BytesIO(raw),
        events=("end",),
        tag=tags,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
    )
    try:
        for _event, element in context:
            yield element
            parent = element.getparent()
            if parent is not None:  # its text is read: the tree keeps nothing of it
                parent.remove(element)
    except etree.XMLSyntaxError as exc:
        raise xml_error(exc, what) from exc


def extract_docx(data: bytes, budget: _Budget) -> str:
    """Body (tables included) then headers and footers, one paragraph a line."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    parts = [
        "word/document.xml",
        *sorted(n for n in names if n.startswith(("word/header", "word/footer")) and n.endswith(".xml")),
    ]
    lines: list[str] = []
    for name in parts:
        for paragraph in _blocks(_read_member(archive, name, "DOCX"), (f"{{{W_NS}}}p",), "DOCX"):
            if len(paragraph):  # an empty paragraph has no text
                lines.append(_docx_paragraph_text(paragraph, budget))
    return "\n".join(line for line in lines if line.strip())


_W_TEXT = f"{{{W_NS}}}t"
_W_BREAKS = {f"{{{W_NS}}}tab": "\t", f"{{{W_NS}}}br": "\n", f"{{{W_NS}}}cr": "\n"}


def _docx_paragraph_text(paragraph: etree._Element, budget: _Budget) -> str:
    out: list[str] = []
    for node in paragraph.iter(_W_TEXT, *_W_BREAKS):
        text = (node.text or "") if node.tag == _W_TEXT else _W_BREAKS[node.tag]
        budget.take(len(text))
        out.append(text)
    return "".join(out)


def extract_odt(data: bytes, budget: _Budget) -> str:
    """Body paragraphs and headings, then the headers and footers of the page styles."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    lines: list[str] = []
    for name in ("content.xml", "styles.xml"):
        if name not in archive.namelist():
            if name == "content.xml":
                raise InvalidInput("Tệp ODT bị hỏng: thiếu content.xml.", field="file")
            continue
        raw = _read_member(archive, name, "ODT")
        for block in _blocks(raw, (f"{{{TEXT_NS}}}p", f"{{{TEXT_NS}}}h"), "ODT"):
            lines.append(_odt_inline_text(block, budget))
    return "\n".join(line for line in lines if line.strip())


def _odt_inline_text(element: etree._Element, budget: _Budget) -> str:
    out = [element.text or ""]
    budget.take(len(element.text or ""))
    for child in element:
        if not isinstance(child.tag, str):  # comments, processing instructions
            out.append(child.tail or "")
            budget.take(len(child.tail or ""))
            continue
        local = etree.QName(child).localname
        if local == "s":  # c spaces; the count is taken from the budget before they are made
            out.append(" " * budget.take(_space_count(child.get(f"{{{TEXT_NS}}}c"))))
        elif local == "tab":
            out.append("\t" * budget.take(1))
        elif local == "line-break":
            out.append("\n" * budget.take(1))
        elif local not in ("note", "p", "h"):  # nested paragraphs are visited on their own
            out.append(_odt_inline_text(child, budget))
        out.append(child.tail or "")
        budget.take(len(child.tail or ""))
    return "".join(out)


def _space_count(value: str | None) -> int:
    """text:c, a count of spaces: a missing or unreadable one means one space."""
    try:
        return max(int(value), 0) if value is not None else 1
    except ValueError:
        return 1


def extract_pdf(data: bytes, budget: _Budget) -> str:
    import pypdfium2 as pdfium  # PDFium: imported here, loaded only when a PDF comes

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise InvalidInput("Tệp PDF có mật khẩu, không đọc được nội dung.", field="file") from exc
        raise InvalidInput("Tệp PDF bị hỏng, không đọc được nội dung.", field="file") from exc
    try:
        pages = []
        for index in range(len(document)):
            page = document[index]
            text_page = page.get_textpage()
            pages.append(text_page.get_text_range())
            budget.take(len(pages[-1]))
            text_page.close()
            page.close()
        return "\n".join(pages).replace("\r\n", "\n").replace("\r", "\n")
    except pdfium.PdfiumError as exc:
        raise InvalidInput("Tệp PDF bị hỏng, không đọc được nội dung.", field="file") from exc
    finally:
        document.close()


def extract_txt(data: bytes, budget: _Budget) -> str:
    text = data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    budget.take(len(text))
    return text


def check_image(data: bytes, limits: Limits) -> None:
    """A photo or scan whose header can be read and whose pages are of a size a scanner makes
    (an A4 page at 600 dpi is 35 million pixels): read from the header, no pixel decoded."""
    from PIL import Image, UnidentifiedImageError

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:
                for page in range(limits.max_pages + 1):
                    if page:
                        try:
                            image.seek(page)
                        except EOFError:
                            break
                    _check_pixels(image.size, page, limits)
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError, struct.error) as exc:
            raise InvalidInput("Ảnh bị hỏng: không đọc được kích thước ảnh.", field="file") from exc
        except Image.DecompressionBombError as exc:
            raise TooLarge(_pixels_message(limits), field="file") from exc


def _check_pixels(size: tuple[int, int], page: int, limits: Limits) -> None:
    width, height = size
    if width <= 0 or height <= 0:
        raise InvalidInput("Ảnh bị hỏng: kích thước ảnh không hợp lệ.", field="file")
    if width * height > limits.max_pixels:
        where = f" (trang {page + 1})" if page else ""
        raise TooLarge(f"{_pixels_message(limits)} Ảnh này {width}×{height}{where}.", field="file")


def _pixels_message(limits: Limits) -> str:
    return (
        f"Ảnh quá lớn: mỗi trang tối đa {limits.max_pixels // 1_000_000} triệu điểm ảnh "
        "(trang A4 quét 600 dpi khoảng 35 triệu). Hãy quét lại ở độ phân giải thấp hơn."
    )


def extract_image(_data: bytes, _budget: _Budget) -> str:
    """An image has no text of its own: the OCR job reads it."""
    return ""


EXTRACTORS = {
    DOCX: extract_docx,
    ODT: extract_odt,
    PDF: extract_pdf,
    TXT: extract_txt,
    JPEG: extract_image,
    PNG: extract_image,
    TIFF: extract_image,
}

# Characters TCVN3 (.VnTime) text shows when read as Unicode: its lower-case vowels with
# tones sit at U+00A1-U+00BF, which real Vietnamese text in Unicode almost never uses.
_TCVN3_MARKS = frozenset(chr(c) for c in range(0xA1, 0xC0)) - set("§©°«»·")


def looks_like_legacy_encoding(text: str) -> bool:
    letters = sum(1 for ch in text if ch.isalpha())
    if letters < 40:
        return False
    marks = sum(1 for ch in text if ch in _TCVN3_MARKS)
    return marks / letters > 0.03
