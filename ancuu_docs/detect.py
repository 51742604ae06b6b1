"""Reading a document's header from its first page's text: the Party layout (issuing bodies,
"Số 05-NQ/ĐU", "An Cựu, ngày 05 tháng 11 năm 2025", the type name, the subject) and the state
layout of People's Committees ("Số: 05/QĐ-UBND"). What is found prefills a registration for
the user to confirm; nothing here is trusted without them.

The text may come from OCR: diacritics may be lost or wrong ("DU" for "ĐU"), so the patterns
match on folded text and keep the original's characters.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from datetime import date

from .text import fold

# Type names as printed (upper case), folded, and their codes.
TYPE_NAMES = {
    "nghi quyet": "NQ",
    "chi thi": "CT",
    "ket luan": "KL",
    "quyet dinh": "QĐ",
    "quy dinh": "QĐ",
    "quy che": "QC",
    "bao cao": "BC",
    "chuong trinh": "CTr",
    "ke hoach": "KH",
    "thong bao": "TB",
    "huong dan": "HD",
    "to trinh": "TTr",
    "bien ban": "BB",
    "cong van": "CV",
}
_PARTY_NUMBER = re.compile(r"^\s*so\s*:?\s*(\d{1,4}\s*-\s*[a-z]{1,5}\s*/\s*[a-z]{1,10})\b")
# The slash after the number is sometimes lost by OCR ("51KH-UBND"): put back on output.
_STATE_NUMBER = re.compile(r"^\s*so\s*:\s*(\d{1,4}\s*/?\s*(?:\d{4}\s*/\s*)?[a-z]{1,6}\s*-\s*[a-z]{1,10})\b")
_DATE = re.compile(r"^\s*([^,]{2,40}),\s*ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")
_PARTY = "dang cong san viet nam"
_STATE = "cong hoa xa hoi chu nghia viet nam"


@dataclass(frozen=True)
class Detected:
    style: str = ""  # "party" or "state"
    superior_body: str = ""
    issuing_body: str = ""
    number: str = ""
    doc_type: str = ""
    place: str = ""
    issue_date: str = ""  # ISO
    subject: str = ""

    def as_json(self) -> dict:
        return {key: value for key, value in asdict(self).items() if value}


def detect(text: str, *, lines_max: int = 60) -> Detected:
    """What the first page's header says, as far as it can be read."""
    lines = [unicodedata.normalize("NFC", line).strip() for line in (text or "").splitlines()]
    lines = [line for line in lines if line][:lines_max]
    folded = [fold(line) for line in lines]
    found: dict[str, str] = {}
    if any(_PARTY in line for line in folded):
        found["style"] = "party"
    elif any(_STATE in line for line in folded):
        found["style"] = "state"
    for index, line in enumerate(folded):
        if "number" not in found:
            match = _STATE_NUMBER.match(line) or _PARTY_NUMBER.match(line)
            if match:
                found["number"] = _original(lines[index], match)
                found["style"] = found.get("style") or ("state" if ":" in line[:5] else "party")
        if "issue_date" not in found:
            match = _DATE.match(line)
            if match:
                day, month, year = (int(match.group(n)) for n in (2, 3, 4))
                try:
                    found["issue_date"] = date(year, month, day).isoformat()
                    found["place"] = lines[index][: len(match.group(1))].strip()
                except ValueError:
                    pass
    bodies = _bodies(lines, folded)
    found.update(bodies)
    kind = _type_line(folded)
    about = _about_line(lines, folded)
    if kind is not None and kind[1] != "CV":
        index, found["doc_type"] = kind
        found["subject"] = _subject(lines, folded, index)
    elif about is not None or kind is not None:
        found["doc_type"] = "CV"
        if about:
            found["subject"] = about
    # The number's symbol says the type ("87-CV/TU", "43/QĐ-HĐND") above any line read as one.
    symbol = _symbol_type(found.get("number", ""))
    if symbol:
        found["doc_type"] = symbol
    return Detected(**found)


# The type codes a number's symbol may carry, folded as OCR may read them ("QD" for "QĐ").
_CODES = {fold(code).upper(): code for code in TYPE_NAMES.values()}


def _symbol_type(number: str) -> str:
    """The type a number's symbol names: the code before the "/" of a Party number (87-CV/TU),
    after the "/" of a state one (43/QĐ-HĐND); "" when it names none we know."""
    plain = fold(number).upper()
    match = re.match(r"^\d+-([A-Z]+)/", plain) or re.match(r"^\d+/([A-Z]+)-", plain)
    return _CODES.get(match.group(1), "") if match else ""


def _about_line(lines: list[str], folded: list[str]) -> str | None:
    """A Công văn has no type line: its subject is the "V/v …" line under the number, written
    out as the register writes it ("về việc …")."""
    for line, plain in zip(lines, folded, strict=True):
        # "V/v", also as OCR reads it ("V/w", "V|v").
        match = re.match(r"^\s*v\s*[/|]\s*[vw]\s*[:.]?\s+", plain)
        if match and len(plain) > match.end():
            return "về việc " + line[match.end() :].strip()
    return None


def _original(line: str, match: re.Match) -> str:
    """The matched number in the original characters (folding keeps positions: one character
    for one), without spaces: "05 - NQ/ĐU" -> "05-NQ/ĐU"."""
    start, end = match.span(1)
    number = re.sub(r"\s+", "", line[start:end]).upper().replace("Ð", "Đ")  # eth, read for Đ
    number = re.sub(r"^(\d+)(?=[A-ZĐ]+-)", r"\1/", number)  # "51KH-UBND" -> "51/KH-UBND"
    return number.replace("CTR", "CTr").replace("TTR", "TTr")


def _bodies(lines: list[str], folded: list[str]) -> dict[str, str]:
    """The issuing bodies: the upper-case lines at the top, before "*" or the number. The
    right column's lines (the Party's or the state's name, the motto) may come between them when
    a two-column header is read row by row: they are passed over."""
    bodies = []
    for line, plain in zip(lines, folded, strict=True):
        if _PARTY in plain or _STATE in plain or plain.startswith("doc lap"):
            continue
        if plain.strip(" .:") in TYPE_NAMES:  # "CÔNG VĂN", "THÔNG BÁO": what it is, not who wrote it
            if bodies:
                break
            continue
        if plain.startswith("so") or line.startswith("*"):
            if bodies:
                break
            continue
        if line.isupper() and 3 < len(line) < 80:
            bodies.append(line)
        elif bodies:
            break
        if len(bodies) == 2:
            break
    if len(bodies) == 2:
        return {"superior_body": bodies[0], "issuing_body": bodies[1]}
    if len(bodies) == 1:
        return {"issuing_body": bodies[0]}
    return {}


def _type_line(folded: list[str]) -> tuple[int, str] | None:
    for index, plain in enumerate(folded):
        name = plain.strip(" .:")
        if name in TYPE_NAMES:
            return index, TYPE_NAMES[name]
    return None


def _subject(lines: list[str], folded: list[str], index: int) -> str:
    """The trích yếu: the lines after the type name up to the short rule ("-----") or the
    first body line, without the conference line of a resolution."""
    parts = []
    for line, plain in zip(lines[index + 1 : index + 6], folded[index + 1 : index + 6], strict=False):
        if set(line) <= set("-–_*. "):
            break
        if plain.startswith(("hoi nghi", "can cu", "thuc hien", "ngay ")) and parts:
            break
        if plain.startswith("hoi nghi"):
            continue
        parts.append(line)
        if not line.endswith(","):
            break
    return " ".join(parts).strip()
