"""Field declarations of a template, and checking what a clerk filled in against them.

A declaration is JSON: [{"name", "label", "type", "required", …}] with type one of
text, long_text, date, number, choice (with "choices" or "choices_from" a setting) and
rows (with "columns": [{"name", "label"}]). The form is generated from it, and the same
check serves the page and the API.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from flask import current_app

from ..errors import InvalidInput

TYPES = ("text", "long_text", "date", "number", "choice", "rows")
TYPE_LABELS = {
    "text": "chữ",
    "long_text": "đoạn văn",
    "date": "ngày",
    "number": "số",
    "choice": "lựa chọn",
    "rows": "bảng",
}
NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
LIMITS = {"text": 500, "long_text": 20_000}
CELL_LIMIT = 1000
ROWS_LIMIT = 200


@dataclass(frozen=True)
class Column:
    name: str
    label: str


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    type: str
    required: bool = False
    default: object = None
    hint: str = ""
    placeholder: str = ""
    choices: tuple[str, ...] = ()
    choices_from: str = ""
    columns: tuple[Column, ...] = field(default_factory=tuple)

    def options(self) -> list[str]:
        if self.choices_from:
            return list(current_app.config.get(self.choices_from, []))
        return list(self.choices)

    def as_json(self) -> dict:
        data = {"name": self.name, "label": self.label, "type": self.type, "required": self.required}
        if self.type == "choice":
            data["choices"] = self.options()
        if self.type == "rows":
            data["columns"] = [{"name": c.name, "label": c.label} for c in self.columns]
        if self.default is not None:
            data["default"] = self.default
        return data


def parse_declaration(raw: object) -> list[FieldSpec]:
    """Field specs from a declaration, or InvalidInput saying what is wrong with it."""
    if not isinstance(raw, list):
        raise InvalidInput("Khai báo trường phải là một danh sách JSON.", field="fields")
    specs, seen = [], set()
    for i, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise InvalidInput(f"Trường thứ {i} phải là một đối tượng JSON.", field="fields")
        name = str(item.get("name", ""))
        kind = str(item.get("type", "text"))
        if not NAME.match(name):
            raise InvalidInput(
                f"Tên trường «{name}» không hợp lệ (chữ thường không dấu, số, gạch dưới).", field="fields"
            )
        if name in seen:
            raise InvalidInput(f"Trường «{name}» khai báo hai lần.", field="fields")
        if kind not in TYPES:
            raise InvalidInput(
                f"Kiểu «{kind}» của trường «{name}» không có. Dùng: {', '.join(TYPES)}.", field="fields"
            )
        columns = tuple(
            Column(str(c.get("name", "")), str(c.get("label", c.get("name", ""))))
            for c in item.get("columns", [])
            if isinstance(c, dict)
        )
        if kind == "rows" and (not columns or not all(NAME.match(c.name) for c in columns)):
            raise InvalidInput(f"Trường bảng «{name}» cần danh sách cột hợp lệ.", field="fields")
        choices = tuple(str(c) for c in item.get("choices", []))
        if kind == "choice" and not choices and not item.get("choices_from"):
            raise InvalidInput(f"Trường lựa chọn «{name}» cần danh sách lựa chọn.", field="fields")
        seen.add(name)
        specs.append(
            FieldSpec(
                name=name,
                label=str(item.get("label") or name),
                type=kind,
                required=bool(item.get("required", False)),
                default=item.get("default"),
                hint=str(item.get("hint", "")),
                placeholder=str(item.get("placeholder", "")),
                choices=choices,
                choices_from=str(item.get("choices_from", "")),
                columns=columns,
            )
        )
    return specs


def sample_values(specs: list[FieldSpec]) -> dict:
    """Plausible values of every declared field, to try a template before accepting it."""
    values: dict[str, object] = {}
    for spec in specs:
        if spec.type == "date":
            values[spec.name] = date(2025, 11, 5)
        elif spec.type == "number":
            values[spec.name] = 1
        elif spec.type == "rows":
            values[spec.name] = [{c.name: f"{c.label} mẫu" for c in spec.columns}]
        elif spec.type == "choice":
            values[spec.name] = (spec.options() or ["Lựa chọn"])[0]
        else:
            values[spec.name] = f"{spec.label} mẫu"
    return values


def clean_values(specs: list[FieldSpec], raw: dict, *, use_defaults: bool = True) -> dict:
    """Typed values, or InvalidInput with `errors` per field (all of them at once)."""
    errors: dict[str, str] = {}
    clean: dict[str, object] = {}
    known = {spec.name for spec in specs}
    for name in raw:
        if name not in known:
            errors[name] = "Mẫu không có trường này."
    for spec in specs:
        value = raw.get(spec.name)
        if (value is None or value == "") and use_defaults and spec.default is not None:
            value = spec.default
        try:
            clean[spec.name] = check_value(spec, value)
        except ValueError as exc:
            errors[spec.name] = str(exc)
    if errors:
        raise InvalidInput(
            "Thông tin chưa hợp lệ: " + "; ".join(f"{k}: {v}" for k, v in errors.items()),
            extra={"errors": errors},
        )
    return clean


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def check_value(spec: FieldSpec, value: object) -> object:
    """One field's typed value, or ValueError with the message shown beside it."""
    if _empty(value):
        if spec.required:
            raise ValueError(f"Cần nhập «{spec.label}».")
        return [] if spec.type == "rows" else ("" if spec.type in ("text", "long_text", "choice") else None)
    if spec.type in ("text", "long_text"):
        if not isinstance(value, str):
            raise ValueError("Phải là chữ.")
        text = value.strip() if spec.type == "text" else value.strip("\n").rstrip()
        if len(text) > LIMITS[spec.type]:
            raise ValueError(f"Dài quá {LIMITS[spec.type]} ký tự.")
        if spec.type == "text" and "\n" in text:
            raise ValueError("Chỉ một dòng.")
        return text
    if spec.type == "date":
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValueError("Ngày không hợp lệ (dạng YYYY-MM-DD).") from None
    if spec.type == "number":
        try:
            number = int(str(value).strip())
        except ValueError:
            raise ValueError("Phải là số nguyên.") from None
        if number < 0:
            raise ValueError("Không được âm.")
        return number
    if spec.type == "choice":
        if str(value) not in spec.options():
            raise ValueError(f"Chọn một trong: {', '.join(spec.options())}.")
        return str(value)
    return _clean_rows(spec, value)


def _clean_rows(spec: FieldSpec, value: object) -> list[dict]:
    if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
        raise ValueError("Phải là danh sách các dòng.")
    rows = []
    for row in value:
        cells = {c.name: str(row.get(c.name) or "").strip() for c in spec.columns}
        if not any(cells.values()):
            continue  # a blank line of the form
        if any(len(v) > CELL_LIMIT for v in cells.values()):
            raise ValueError(f"Một ô dài quá {CELL_LIMIT} ký tự.")
        unknown = set(row) - {c.name for c in spec.columns}
        if unknown:
            raise ValueError(f"Cột không có: {', '.join(sorted(unknown))}.")
        rows.append(cells)
    if len(rows) > ROWS_LIMIT:
        raise ValueError(f"Tối đa {ROWS_LIMIT} dòng.")
    if spec.required and not rows:
        raise ValueError(f"Cần ít nhất một dòng cho «{spec.label}».")
    return rows
