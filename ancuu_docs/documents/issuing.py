"""The issued file: what approval puts in the document's own file.

Approving a document whose current file is a DOCX adds the issued version in the same
transaction: the number in the "Số" line, the issue date, the signer, no "DỰ THẢO" mark.
A feature that made the draft (drafting, from a template) answers `render_issued_file` and
renders it again; otherwise an uploaded DOCX in the Party layout has its number and date
filled in here. A file of any other kind keeps its bytes (a signed PDF must).
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from docx import Document as open_docx
from docx.oxml.ns import qn
from lxml import etree

from ..extract import DOCX
from ..timeutil import vietnamese_date

ISSUED_COMMENT = "Bản ban hành"
NO_NUMBER_LINE = (
    "Tệp DOCX không có dòng «Số …-{code}/…» theo thể thức văn bản của Đảng ở đầu văn bản: "
    "khi ban hành, tệp được giữ nguyên, chưa điền số và ngày."
)


@dataclass(frozen=True)
class IssuedFile:
    """The issued version's file; `note` says what could not be done (shown in the history)."""

    data: bytes | None
    filename: str = ""
    note: str = ""


def _number_line(symbol: str) -> re.Pattern:
    """The "Số" line of our own body at the start of a paragraph: "Số       -NQ/ĐU", "Số …-NQ/ĐU",
    "Số: ....-NQ/ĐU", or one with a number typed in by hand ("Số 3-NQ/ĐU"), which ours replaces.
    A citation inside a sentence ("theo Nghị quyết số 12-NQ/TU") is not it."""
    return re.compile(rf"^\s*Số\s*:?[\s\u00a0._…\d]*-\s*[A-Za-zĐđ]{{1,5}}\s*/\s*{re.escape(symbol)}(?![\w])")


_DATE = re.compile(r"ngày[\s\u00a0._…\d]*tháng[\s\u00a0._…\d]*năm[\s\u00a0._…]*\d{0,4}")
# The draft mark: a paragraph of its own ("DỰ THẢO 2", "Dự thảo lần 3"); "thông qua dự thảo
# nghị quyết" in the body, or a title "GÓP Ý DỰ THẢO VĂN KIỆN", is not a mark.
_DRAFT_MARK = re.compile(
    r"^\s*\(?\s*DỰ THẢO(?:\s*LẦN)?(?:\s*(?:THỨ\s*)?(?:\d+|[IVX]+))?\s*\)?\s*$", re.IGNORECASE
)
_TEXT = "./w:r/w:t|./w:hyperlink/w:r/w:t|./w:smartTag/w:r/w:t|./w:ins/w:r/w:t|./w:fldSimple/w:r/w:t"


def issued_filename(number: str, filename: str) -> str:
    """The draft "NQ-ve-do-thi-van-minh-v3.docx" issued as 05-NQ/ĐU is
    "05-NQ-DU-ve-do-thi-van-minh.docx": the number leads; the draft's version and code go."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", number.replace("Đ", "D").replace("đ", "d")).strip("-")
    code = number.split("-", 1)[-1].split("/", 1)[0]
    stem = re.sub(r"-v\d+$", "", filename.rsplit(".", 1)[0])
    stem = re.sub(rf"^{re.escape(code)}-", "", stem, flags=re.IGNORECASE)
    return f"{slug}-{stem}.docx"


def is_docx(media_type: str) -> bool:
    return media_type == DOCX


def fill_party_docx(data: bytes, *, number: str, issued: date, filename: str) -> IssuedFile:
    """Fill the number and the date into an uploaded DOCX in the Party layout and take off
    its draft mark, wherever they are (body, tables, text boxes, first-page header)."""
    document = open_docx(io.BytesIO(data))
    roots = [document.element.body]
    for section in document.sections:
        for part in (section.header, section.first_page_header, section.even_page_header):
            if not part.is_linked_to_previous:
                roots.append(part._element)
    paragraphs = [p for root in roots for p in root.iter(qn("w:p"))]

    numbered = None
    number_line = _number_line(number.rsplit("/", 1)[-1])
    for paragraph in paragraphs:
        if _replace(paragraph, number_line, f"Số {number}", count=1):
            numbered = paragraph
            break
    if numbered is None:
        code = number.split("-", 1)[-1].split("/", 1)[0]
        return IssuedFile(data=None, note=NO_NUMBER_LINE.format(code=code))
    # The place-and-date line stands level with "Số": in the same header table, or near it.
    for paragraph in _near(numbered, paragraphs):
        if _replace(paragraph, _DATE, vietnamese_date(issued), count=1):
            break
    for paragraph in paragraphs:
        _replace(paragraph, _DRAFT_MARK, "")
    out = io.BytesIO()
    document.save(out)
    return IssuedFile(data=out.getvalue(), filename=issued_filename(number, filename))


def _near(numbered, paragraphs: list) -> list:
    table = next((a for a in numbered.iterancestors(qn("w:tbl"))), None)
    if table is not None:
        return list(table.iter(qn("w:p")))
    at = paragraphs.index(numbered)
    return paragraphs[max(0, at - 6) : at + 6]


def _replace(paragraph: etree._Element, pattern: re.Pattern, new: str, *, count: int = 0) -> bool:
    """Replace matches of `pattern` in a paragraph's text, across the runs it is split into;
    the new text takes the formatting of the run where the match starts."""
    if not len(paragraph):  # empty: nothing to replace (a file may hold a million of them)
        return False
    nodes = paragraph.xpath(_TEXT)  # python-docx elements know the "w" prefix
    if not nodes:
        return False
    texts = [unicodedata.normalize("NFC", node.text or "") for node in nodes]
    whole = "".join(texts)
    matches = [m for m in pattern.finditer(whole) if m.group().strip()]
    if count:
        matches = matches[:count]
    if not matches:
        return False
    for match in reversed(matches):
        start, end, offset = match.start(), match.end(), 0
        placed = False
        for i, text in enumerate(texts):
            lo, hi = offset, offset + len(text)
            offset = hi
            if hi <= start or lo >= end:
                continue
            keep_before = text[: max(0, start - lo)]
            keep_after = text[max(0, end - lo) :] if end < hi else ""
            texts[i] = keep_before + ("" if placed else new) + keep_after
            placed = True
    for node, text in zip(nodes, texts, strict=True):
        node.text = text
        node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return True
