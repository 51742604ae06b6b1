"""One parser per kind of input, for forms, the API, the CLI and services alike.

Each takes what arrived (a form string, a JSON value, None) and returns the typed value or
raises InvalidInput naming the field, in Vietnamese. `Checks` runs several and reports
every field's error at once (`extra["errors"]`), so a page shows each beside its field and
the API answers them all in one 400.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, time
from enum import Enum
from typing import TypeVar

from flask import request

from .errors import InvalidInput, TooLarge

# Dates outside these years are typing mistakes (and overflow date arithmetic).
YEARS = (1900, 2999)
# Row ids, and any number stored in an integer column.
ID_MAX = 2**31 - 1
TRUE_WORDS = frozenset({"1", "true", "yes", "on", "có", "y"})
FALSE_WORDS = frozenset({"", "0", "false", "no", "off", "không", "n"})
_TIME = re.compile(r"(\d{1,2})[:hg](\d{2})")
# C0 control characters other than tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f]")


def blank(value: object) -> bool:
    """Nothing given: None, or a string of spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def _missing(value: object, *, required: bool, field: str, label: str) -> bool:
    """True when nothing was given and that is allowed; InvalidInput when it is not."""
    if not blank(value):
        return False
    if required:
        raise InvalidInput(f"Cần nhập {label}.", field=field)
    return True


def _capital(label: str) -> str:
    return label[:1].upper() + label[1:]


def integer(
    value: object,
    *,
    field: str,
    label: str,
    low: int | None = None,
    high: int | None = None,
    required: bool = True,
    default: int | None = None,
) -> int | None:
    if _missing(value, required=required and default is None, field=field, label=label):
        return default
    if isinstance(value, bool):
        raise InvalidInput(f"{_capital(label)} phải là số nguyên.", field=field)
    try:
        number = int(str(value).strip())
    except ValueError:
        raise InvalidInput(f"{_capital(label)} phải là số nguyên.", field=field) from None
    high = ID_MAX if high is None else high  # no number a column cannot hold
    if low is not None and not low <= number <= high:
        raise InvalidInput(f"{_capital(label)} phải từ {low} đến {high}.", field=field)
    if number > high:
        raise InvalidInput(f"{_capital(label)} không được quá {high}.", field=field)
    if number < -ID_MAX:
        raise InvalidInput(f"{_capital(label)} không được nhỏ hơn {-ID_MAX}.", field=field)
    return number


def boolean(value: object, *, field: str = "", label: str = "giá trị") -> bool:
    """Yes or no, as forms and JSON say it; anything else ("maybe") is refused, not read as no."""
    if isinstance(value, bool):
        return value
    word = str(value if value is not None else "").strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise InvalidInput(f"{_capital(label)} phải là có hoặc không (true/false).", field=field or None)


def text(
    value: object,
    *,
    field: str,
    label: str,
    limit: int,
    required: bool = False,
    one_line: bool = False,
) -> str:
    if value is not None and not isinstance(value, str):
        raise InvalidInput(f"{_capital(label)} phải là chữ.", field=field)
    if value is not None and "\x00" in value:
        raise InvalidInput(f"{_capital(label)} chứa ký tự không hợp lệ (NUL).", field=field)
    if value is not None and _CONTROL.search(value):
        # Invisible, and refused by XML: a title or comment with one could never go into a DOCX.
        raise InvalidInput(f"{_capital(label)} chứa ký tự điều khiển không hợp lệ.", field=field)
    result = (value or "").strip()
    if required and not result:
        raise InvalidInput(f"Cần nhập {label}.", field=field)
    if len(result) > limit:
        raise InvalidInput(f"{_capital(label)} dài quá {limit} ký tự.", field=field)
    if one_line and "\n" in result:
        raise InvalidInput(f"{_capital(label)} chỉ được một dòng.", field=field)
    return result


def day(value: object, *, field: str, label: str, required: bool = True) -> date | None:
    """An ISO date (YYYY-MM-DD), as date inputs and JSON send it."""
    if isinstance(value, date):
        return value
    if _missing(value, required=required, field=field, label=label):
        return None
    try:
        parsed = date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidInput(f"{_capital(label)} không hợp lệ (dạng YYYY-MM-DD).", field=field) from None
    if not YEARS[0] <= parsed.year <= YEARS[1]:
        raise InvalidInput(f"{_capital(label)} phải trong các năm {YEARS[0]}–{YEARS[1]}.", field=field)
    return parsed


def time_of_day(value: object, *, field: str, label: str, required: bool = True) -> time | None:
    """hh:mm, also written the Vietnamese way (14h00, 7g30)."""
    if isinstance(value, time):
        return value
    if _missing(value, required=required, field=field, label=label):
        return None
    match = _TIME.fullmatch(str(value).strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise InvalidInput(f"{_capital(label)} không hợp lệ (dạng hh:mm).", field=field)
    return time(int(match.group(1)), int(match.group(2)))


def choice(value: object, options: Iterable[str], *, field: str, label: str, explain: str = "") -> str:
    options = list(options)
    chosen = str(value or "").strip()
    if chosen not in options:
        hint = explain or ", ".join(options)
        raise InvalidInput(f"{_capital(label)} «{chosen}» không hợp lệ. Dùng: {hint}.", field=field)
    return chosen


E = TypeVar("E", bound=Enum)


def member(value: object, kind: type[E], *, field: str, label: str, explain: str = "") -> E:
    """The member of the enum `kind` whose value is `value`, or InvalidInput naming the values."""
    return kind(choice(value, [m.value for m in kind], field=field, label=label, explain=explain))


JSON_MAX_BYTES = 1024 * 1024


def json_object() -> dict:
    """The request's JSON body, which must be an object of at most JSON_MAX_BYTES."""
    if (request.content_length or 0) > JSON_MAX_BYTES:
        raise TooLarge(f"Nội dung JSON vượt quá {JSON_MAX_BYTES // 1024} KB.")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidInput("Nội dung yêu cầu phải là một đối tượng JSON.")
    return body


def query_int(name: str, default: int, *, low: int = 1, high: int = 10_000) -> int:
    """An integer from the query string (page, per_page)."""
    return integer(
        request.args.get(name), field=name, label=f"tham số «{name}»", low=low, high=high, default=default
    )


class Checks:
    """Run parsers and gather every error, then raise them together.

    check = Checks()
    title = check(parsing.text, data.get("title"), field="title", label="trích yếu", limit=500)
    ...
    check.done()   # InvalidInput with extra={"errors": {field: message}} if any failed
    """

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def __call__(self, parser, *args, **kwargs):
        try:
            return parser(*args, **kwargs)
        except InvalidInput as err:
            self.errors.setdefault(err.field or "_", err.message)
            return None

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, message)

    def done(self) -> None:
        if self.errors:
            field, message = next(iter(self.errors.items()))
            if len(self.errors) > 1:
                message = "Thông tin chưa hợp lệ: " + " ".join(self.errors.values())
            raise InvalidInput(message, field=field, extra={"errors": dict(self.errors)})
