"""Typed input at the edge: each command's fields declared once, as a pydantic model.

A command (register an entry, add a version, vote…) declares its fields with the field types
below; `parse(Command, source)` reads them from an API JSON object, a multipart or web form
(a MultiDict) or a WTForms form's `data` alike and returns the typed values, or raises
InvalidInput with every field's error at once (`extra["errors"]`), in Vietnamese. Services
take the typed command, never `object`.

Each field type runs one of `parsing`'s parsers, so the messages are the ones the product
has always given ("Cần nhập trích yếu."), never a library's English. Rules between fields
(a reply after the arrival) are a command's `check_together()`, said with the fields' own
errors; rules that need the database stay in the services.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, ClassVar, Self, TypeVar, get_origin

from pydantic import BaseModel, BeforeValidator, ConfigDict, PrivateAttr, ValidationError
from pydantic_core import PydanticCustomError

from . import parsing
from .errors import InvalidInput


@dataclass(frozen=True, slots=True)
class FieldParser(BeforeValidator):
    """A field type: a parser of `parsing` with its options, whose InvalidInput becomes the
    field's error; `required` tells the page to mark the field (and assistive technology to
    announce it)."""

    required: bool = False


def _field(parse: Callable[[object], Any], *, required: bool) -> FieldParser:
    def validate(value: object) -> Any:
        try:
            return parse(value)
        except InvalidInput as err:
            # A parser may name a part of the field ("absent-0-name": a row of a list).
            context = {"message": err.message, "field": err.field or ""}
            raise PydanticCustomError("invalid", "{message}", context) from None

    return FieldParser(validate, required=required)


def custom(parse: Callable[[object], Any], *, required: bool = False) -> FieldParser:
    """A field type of a command's own: `parse(value)` returns the value or raises
    InvalidInput with the message to show."""
    return _field(parse, required=required)


def unless_absent(field: FieldParser) -> FieldParser:
    """A field of a partial change: not sent (None) stays None, anything sent is parsed."""
    return FieldParser(lambda v: None if v is None else field.func(v), required=False)


def Text(label: str, *, limit: int, required: bool = False, one_line: bool = False) -> FieldParser:
    return _field(
        lambda v: parsing.text(v, field="", label=label, limit=limit, required=required, one_line=one_line),
        required=required,
    )


def Day(label: str, *, required: bool = False) -> FieldParser:
    return _field(lambda v: parsing.day(v, field="", label=label, required=required), required=required)


def Time(label: str, *, required: bool = False) -> FieldParser:
    """hh:mm, also written the Vietnamese way (14h00, 7g30)."""
    return _field(
        lambda v: parsing.time_of_day(v, field="", label=label, required=required), required=required
    )


def Integer(
    label: str, *, low: int | None = None, high: int | None = None, required: bool = False
) -> FieldParser:
    return _field(
        lambda v: parsing.integer(v, field="", label=label, low=low, high=high, required=required),
        required=required,
    )


def Flag(label: str, *, when_absent: bool = False) -> FieldParser:
    """Yes or no; nothing sent is `when_absent` (no: an unticked box sends nothing)."""
    return _field(lambda v: parsing.boolean(when_absent if v is None else v, label=label), required=False)


E = TypeVar("E", bound=Enum)


def Member(
    kind: type[E], label: str, *, blank: E | None = None, optional: bool = False, explain: str = ""
) -> FieldParser:
    """A member of the enum `kind` by its value; `blank` is what nothing sent means, None when
    `optional` (required otherwise)."""

    def parse(value: object) -> E | None:
        if parsing.blank(value) and (blank is not None or optional):
            return blank
        return parsing.member(value, kind, field="", label=label, explain=explain)

    return _field(parse, required=blank is None and not optional)


def Choice(options: Iterable[str], label: str, *, required: bool = True) -> FieldParser:
    """One of `options` (a type code: "NQ"); blank is None when not required."""
    options = list(options)

    def parse(value: object) -> str | None:
        if parsing.blank(value) and not required:
            return None
        return parsing.choice(value, options, field="", label=label)

    return _field(parse, required=required)


class Command(BaseModel):
    """The typed values of one command. Fields not sent are validated as None (so a required
    one says "Cần nhập …"); unknown keys are ignored, as forms carry their CSRF token."""

    # A field sent under another name (`from`, a Python keyword) declares it as its alias.
    model_config = ConfigDict(
        frozen=True,
        validate_default=True,
        extra="ignore",
        arbitrary_types_allowed=True,
        validate_by_name=True,
        validate_by_alias=False,
    )

    # The fields a page marks required: filled from the field types.
    required_fields: ClassVar[frozenset[str]] = frozenset()
    # The fields that were wrong (None here), while the rules between fields are checked.
    _wrong: frozenset[str] = PrivateAttr(default=frozenset())

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs) -> None:
        cls.required_fields = frozenset(
            name
            for name, info in cls.model_fields.items()
            if any(getattr(meta, "required", False) for meta in info.metadata)
        )

    @classmethod
    def of(cls, **values: Any) -> Self:
        """The command from Python values (a service calling another, the demo, the tests),
        parsed and refused as the API's JSON would be."""
        return parse(cls, values)

    def check_together(self) -> dict[str, str]:
        """Rules between fields: {field: message} of those broken. A field that was itself
        wrong is None here (`wrong()` tells)."""
        return {}

    def wrong(self, *names: str) -> bool:
        """Whether any of these fields was wrong: a rule reading it has nothing to say."""
        return any(name in self._wrong for name in names)


C = TypeVar("C", bound=Command)


def parse(command: type[C], source: Mapping[str, Any] | None, **given: Any) -> C:
    """The command's typed values from `source` (JSON object, form MultiDict, form data), with
    `given` values (the document id of the URL, say) taken as they are."""
    source = source if source is not None else {}
    values = {
        name: _value(source, info.alias or name, info.annotation)
        for name, info in command.model_fields.items()
    }
    values.update(given)
    check = parsing.Checks()
    try:
        parsed = command.model_validate(values)
    except ValidationError as err:
        wrong = set()
        for problem in err.errors(include_url=False):
            wrong.add(problem["loc"][0] if problem["loc"] else "_")
            problem["loc"] = tuple(_sent_as(command, part) for part in problem["loc"])
            named = (problem.get("ctx") or {}).get("field")
            field = named or ".".join(str(part) for part in problem["loc"]) or "_"
            check.add(field, _message(problem))
        # The rules between fields are said too, from the fields that were valid, so the
        # page shows every mistake at once (each field keeps its own message first).
        parsed = command.model_construct(**_valid_values(command, values, wrong))
        parsed._wrong = frozenset(wrong)
    for field, message in parsed.check_together().items():
        check.add(field, message)
    check.done()
    return parsed


def _sent_as(command: type[Command], name: object) -> object:
    """The name a field is sent under (its alias), for the error beside it."""
    info = command.model_fields.get(name) if isinstance(name, str) else None
    return (info.alias or name) if info is not None else name


def _value(source: Mapping[str, Any], name: str, kind: Any) -> Any:
    """A field's value as sent: every value of a list field of a form (a MultiDict), else the
    one value (None when not sent)."""
    if hasattr(source, "getlist") and get_origin(kind) in (list, tuple) and name in source:
        return source.getlist(name)
    return source.get(name)


def _valid_values(command: type[Command], values: dict, wrong: set[str]) -> dict:
    """The typed values of the fields not in `wrong` (None for those), through their parsers;
    a field without a parser (a value the edge gives) as it is."""
    typed = {}
    for name, info in command.model_fields.items():
        parser = next((meta for meta in info.metadata if isinstance(meta, FieldParser)), None)
        if name in wrong:
            typed[name] = None
        else:
            typed[name] = values.get(name) if parser is None else parser.func(values.get(name))
    return typed


def _message(problem: dict) -> str:
    """Our parsers' own Vietnamese message; a value of a kind no parser takes (a list where a
    word was expected, by an API client) gets a plain one."""
    if problem["type"] == "invalid":
        return problem["ctx"]["message"]
    return "Giá trị không hợp lệ."
