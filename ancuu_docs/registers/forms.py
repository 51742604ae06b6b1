"""The register pages' forms: registering a document already issued, a book's filters, and the
books' working columns on a document page."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField

from .. import parsing
from ..documents.forms import SUMMARY_CHECK, doc_type_choices
from ..documents.services.versions import SIGNER_MAX, TITLE_MAX
from ..documents.types import DOC_TYPES, Origin, SecurityLevel, Urgency
from ..web import Parsed, choices


def date_field(label: str, *, required: bool = False) -> StringField:
    return StringField(
        label,
        validators=[Parsed(parsing.day, label=label.lower(), required=required)],
        render_kw={"type": "date"},
    )


class RegistrationForm(FlaskForm):
    """A document already issued: from another body (văn bản đến), or ours from before the
    system with its printed number; a secret one by its metadata only."""

    origin = SelectField(
        "Nguồn",
        choices=choices((o.value, o.label) for o in Origin),
        validate_choice=False,
        validators=[Parsed(parsing.choice, options=[o.value for o in Origin], label="nguồn văn bản")],
    )
    doc_type = SelectField(
        "Loại văn bản",
        choices=doc_type_choices(),
        validate_choice=False,
        validators=[Parsed(parsing.choice, options=DOC_TYPES, label="loại văn bản")],
    )
    number = StringField(
        "Số, ký hiệu (như in trên văn bản)",
        validators=[Parsed(parsing.text, label="số, ký hiệu", limit=64, required=True)],
        render_kw={"placeholder": "46-CT/TW"},
    )
    issuer = StringField(
        "Cơ quan ban hành (văn bản đến)",
        validators=[Parsed(parsing.text, label="cơ quan ban hành", limit=200)],
        render_kw={"list": "issuers"},
    )
    issue_date = date_field("Ngày ban hành", required=True)
    title = StringField("Trích yếu", validators=[Parsed(parsing.text, label="trích yếu", limit=TITLE_MAX)])
    summary = TextAreaField("Tóm tắt", validators=[SUMMARY_CHECK])
    term = StringField("Nhiệm kỳ", validators=[Parsed(parsing.text, label="nhiệm kỳ", limit=16)])
    received_date = date_field("Ngày đến")
    urgency = SelectField(
        "Độ khẩn",
        choices=choices((u.value, u.label) for u in Urgency),
        validate_choice=False,
        validators=[Parsed(parsing.choice, options=[u.value for u in Urgency], label="độ khẩn")],
    )
    handler = StringField("Người xử lý", validators=[Parsed(parsing.text, label="người xử lý", limit=200)])
    reply_due = date_field("Hạn trả lời")
    security_level = SelectField(
        "Độ mật",
        choices=choices((s.value, s.label) for s in SecurityLevel),
        validate_choice=False,
        validators=[Parsed(parsing.choice, options=[s.value for s in SecurityLevel], label="độ mật")],
    )
    signer = StringField("Người ký", validators=[Parsed(parsing.text, label="người ký", limit=SIGNER_MAX)])
    confidential = BooleanField("Hạn chế: chỉ Văn phòng đọc")
    file = FileField("Tệp (bản quét, bản điện tử; không chọn với văn bản mật)")
    # A file read by "Đọc thông tin từ tệp", kept for the registration (its SHA-256).
    staged = HiddenField()


class RegisterFilterForm(FlaskForm):
    """A register's filters, read from the query string; the service checks the values."""

    class Meta:
        csrf = False

    year = StringField("Năm", render_kw={"inputmode": "numeric", "size": 6})
    issuer = SelectField("Cơ quan ban hành", choices=[], validate_choice=False)
    doc_type = SelectField("Loại", choices=choices(DOC_TYPES.items(), blank="Tất cả"), validate_choice=False)
    overdue = BooleanField("Quá hạn trả lời")


class DispatchForm(FlaskForm):
    """The outgoing register's columns of an issued document: recipients, copies, date sent."""

    recipients = TextAreaField(
        "Nơi nhận (mỗi dòng một nơi)",
        validators=[Parsed(parsing.text, label="nơi nhận", limit=5000)],
        render_kw={"rows": 3},
    )
    copies = StringField(
        "Số bản",
        validators=[Parsed(parsing.integer, label="số bản", low=1, high=10_000, required=False)],
        render_kw={"inputmode": "numeric", "size": 4},
    )
    sent_date = date_field("Ngày gửi")


class HandlingForm(FlaskForm):
    """An incoming document's working columns: who handles it, the deadline, the day replied."""

    handler = StringField("Người xử lý", validators=[Parsed(parsing.text, label="người xử lý", limit=200)])
    reply_due = date_field("Hạn trả lời")
    replied_date = date_field("Ngày trả lời")
