"""The register pages' forms: what each field looks like. The values are parsed by the
commands' schemas (`commands.py`), the same that parse the API's JSON."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField

from ..documents.forms import doc_type_choices
from ..documents.types import DOC_TYPES, Origin, SecurityLevel, Urgency
from ..web import CommandForm, choices
from .commands import (
    BookFilters,
    Cancellation,
    Dispatch,
    EntryCorrection,
    Handling,
    IssuerName,
    Registration,
)


def date_field(label: str) -> StringField:
    return StringField(label, render_kw={"type": "date"})


class RegistrationForm(CommandForm):
    """A document already issued: from another body (văn bản đến), or ours from before the
    system with its printed number; a secret one by its metadata only."""

    command = Registration

    origin = SelectField("Nguồn", choices=choices((o.value, o.label) for o in Origin), validate_choice=False)
    doc_type = SelectField("Loại văn bản", choices=doc_type_choices(), validate_choice=False)
    number = StringField("Số, ký hiệu (như in trên văn bản)", render_kw={"placeholder": "46-CT/TW"})
    issuer = StringField("Cơ quan ban hành (văn bản đến)", render_kw={"list": "issuers"})
    issue_date = date_field("Ngày ban hành")
    title = StringField("Trích yếu")
    summary = TextAreaField("Tóm tắt")
    term = StringField("Nhiệm kỳ")
    received_date = date_field("Ngày đến")
    urgency = SelectField(
        "Độ khẩn", choices=choices((u.value, u.label) for u in Urgency), validate_choice=False
    )
    handler = StringField("Người xử lý")
    reply_due = date_field("Hạn trả lời")
    security_level = SelectField(
        "Độ mật", choices=choices((s.value, s.label) for s in SecurityLevel), validate_choice=False
    )
    signer = StringField("Người ký")
    confidential = BooleanField("Hạn chế: chỉ Văn phòng đọc")
    new_issuer = BooleanField("Cơ quan khác, giữ tên như đã nhập")
    file = FileField("Tệp (bản quét, ảnh chụp, bản điện tử; không chọn với văn bản mật)")
    # The file chosen on an earlier round, staged (its intake's id): not chosen nor sent again.
    intake = HiddenField()


class RegisterFilterForm(CommandForm):
    """A book's filters, read from the query string."""

    command = BookFilters

    class Meta:
        csrf = False

    year = StringField("Năm", render_kw={"inputmode": "numeric", "size": 6})
    issuer = SelectField("Cơ quan ban hành", choices=[], validate_choice=False)
    doc_type = SelectField("Loại", choices=choices(DOC_TYPES.items(), blank="Tất cả"), validate_choice=False)
    overdue = BooleanField("Quá hạn trả lời")


class DispatchForm(CommandForm):
    """The outgoing book's columns of an issued document: recipients, copies, date sent."""

    command = Dispatch

    recipients = TextAreaField("Nơi nhận (mỗi dòng một nơi)", render_kw={"rows": 3})
    archive_holder = StringField("Đơn vị, người nhận bản lưu")
    copies = StringField("Số lượng bản", render_kw={"inputmode": "numeric", "size": 4})
    sent_date = date_field("Ngày gửi")
    note = TextAreaField("Ghi chú", render_kw={"rows": 2})


class HandlingForm(CommandForm):
    """An incoming document's working columns: who handles it, the deadline, the day replied."""

    command = Handling

    handler = StringField("Đơn vị hoặc người nhận")
    reply_due = date_field("Hạn giải quyết")
    replied_date = date_field("Ngày trả lời")
    note = TextAreaField("Ghi chú", render_kw={"rows": 2})


class EntryCorrectionForm(CommandForm):
    """Every column of a registered entry, as the office corrects it (the arrival number is
    shown, never changed)."""

    command = EntryCorrection

    number = StringField("Số và ký hiệu (như in trên văn bản)")
    issuer = StringField("Tác giả (cơ quan ban hành)", render_kw={"list": "issuers"})
    issue_date = date_field("Ngày tháng văn bản")
    received_date = date_field("Ngày đến")
    doc_type = SelectField("Loại văn bản", choices=doc_type_choices(), validate_choice=False)
    title = StringField("Trích yếu nội dung")
    summary = TextAreaField("Tóm tắt")
    signer = StringField("Người ký")
    urgency = SelectField(
        "Độ khẩn", choices=choices((u.value, u.label) for u in Urgency), validate_choice=False
    )
    security_level = SelectField(
        "Độ mật", choices=choices((s.value, s.label) for s in SecurityLevel), validate_choice=False
    )
    handler = StringField("Đơn vị hoặc người nhận")
    reply_due = date_field("Hạn giải quyết")
    note = TextAreaField("Ghi chú", render_kw={"rows": 2})
    confidential = BooleanField("Hạn chế: chỉ Văn phòng đọc")
    new_issuer = BooleanField("Cơ quan khác, giữ tên như đã nhập")


class CancellationForm(CommandForm):
    """Why a wrong entry is cancelled: written in its book."""

    command = Cancellation

    reason = TextAreaField("Lý do hủy", render_kw={"rows": 3})


class IntakeForm(FlaskForm):
    """The register page's script sends the chosen file alone, to be staged and read."""

    file = FileField("Tệp")


class IssuerForm(CommandForm):
    """A body's name on the list of those that send documents."""

    command = IssuerName

    name = StringField("Tên cơ quan")
