"""The drafting forms: the fill form generated from a template's field declaration, and the
admins' template upload forms. Declared fields are checked by the same `check_value` the
API's `clean_values` uses; the rest are parsed by the commands' schemas (`commands.py`)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    FieldList,
    Form,
    FormField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.form import BaseForm
from wtforms.validators import StopValidation

from ..documents.forms import doc_type_choices
from ..web import CommandForm, choices
from .commands import NewTemplate, TemplateVersion
from .fields import FieldSpec, check_value

BLANK_ROWS = 3  # empty lines offered under the filled ones in a table field


class SpecCheck:
    """Validator: the declared field's own check."""

    def __init__(self, spec: FieldSpec):
        self.spec = spec

    def __call__(self, form, field) -> None:
        try:
            check_value(self.spec, field.data)
        except ValueError as exc:
            raise StopValidation(str(exc)) from None


def _field(spec: FieldSpec):
    validators = [SpecCheck(spec)]
    if spec.type == "long_text":
        return TextAreaField(spec.label, validators, render_kw={"rows": 6, "placeholder": spec.placeholder})
    if spec.type == "date":
        return StringField(spec.label, validators, render_kw={"type": "date"})
    if spec.type == "number":
        return StringField(spec.label, validators, render_kw={"inputmode": "numeric"})
    if spec.type == "choice":
        options = choices((option, option) for option in spec.options())
        return SelectField(spec.label, validators, choices=options, validate_choice=False)
    if spec.type == "rows":
        row = type("Row", (Form,), {c.name: StringField(c.label) for c in spec.columns})
        return FieldList(FormField(row), spec.label, validators)
    return StringField(spec.label, validators, render_kw={"placeholder": spec.placeholder})


def declared_fields(specs: list[FieldSpec], formdata=None, data: dict | None = None) -> BaseForm:
    """A form of the declared fields, keyed by their names (any name a declaration allows,
    even one a form class uses for itself)."""
    form = BaseForm([(spec.name, _field(spec)) for spec in specs])
    form.process(formdata, data=data or {})
    for spec in specs:
        if spec.type == "rows":  # blank lines under the filled ones, to type more
            rows = form[spec.name]
            filled = sum(1 for entry in rows.entries if any((entry.data or {}).values()))
            while len(rows.entries) < filled + BLANK_ROWS:
                rows.append_entry()
    return form


class FillForm(FlaskForm):
    title = StringField(
        "Trích yếu lưu trong sổ văn bản",
        render_kw={"maxlength": 500, "placeholder": "Để trống: lấy theo loại văn bản và trích yếu"},
    )
    target = SelectField("Lưu thành", choices=[], validate_choice=False)
    # The button pressed: <button name="action" value="preview|generate">.
    action = StringField()


class TemplateCreateForm(CommandForm):
    command = NewTemplate

    key = StringField("Mã mẫu (chữ thường không dấu, gạch ngang)")
    name = StringField("Tên mẫu")
    doc_type = SelectField("Loại văn bản", choices=doc_type_choices(), validate_choice=False)
    file = FileField("Tệp mẫu (.docx)", validators=[FileRequired("Cần chọn tệp để tải lên.")])
    fields = TextAreaField("Khai báo trường (JSON)")


class TemplateVersionForm(CommandForm):
    command = TemplateVersion

    file = FileField("Tệp mẫu (.docx)", validators=[FileRequired("Cần chọn tệp để tải lên.")])
    fields = TextAreaField("Khai báo trường (JSON; để trống để giữ khai báo hiện tại)", render_kw={"rows": 6})
    comment = StringField("Ghi chú")
