from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SelectChoice, SelectField, StringField, TextAreaField

from .types import DOC_TYPES


def doc_type_choices() -> list[SelectChoice]:
    return [SelectChoice(code, f"{name} ({code})") for code, name in DOC_TYPES.items()]


class DocumentCreateForm(FlaskForm):
    title = StringField("Trích yếu")
    doc_type = SelectField("Loại tài liệu", choices=doc_type_choices())
    summary = TextAreaField("Tóm tắt")
    confidential = BooleanField("Tài liệu mật")
    file = FileField("Tệp (.docx, .pdf, .odt, .txt)")
    comment = StringField("Ghi chú phiên bản")


class VersionForm(FlaskForm):
    file = FileField("Tệp phiên bản mới")
    base_version = HiddenField()
    comment = StringField("Ghi chú phiên bản")


class MetadataForm(FlaskForm):
    title = StringField("Trích yếu")
    summary = TextAreaField("Tóm tắt")
    signer = StringField("Người ký")
    confidential = BooleanField("Tài liệu mật")


class RestoreForm(FlaskForm):
    base_version = HiddenField()
