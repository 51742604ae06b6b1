"""The document pages' forms: what each field looks like. The values are parsed by the
commands' schemas (`commands.py`), the same that parse the API's JSON."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectChoice, SelectField, StringField, TextAreaField

from ..web import CommandForm, Confirmed, choices
from .commands import Approval, MetadataChange, Move, NewDocument, NewRelation, NewVersion, Restore
from .services.reading import SORT_LABELS
from .types import DOC_TYPES, Relation, Status


def doc_type_choices() -> list[SelectChoice]:
    return [SelectChoice(code, f"{name} ({code})") for code, name in DOC_TYPES.items()]


_FILE = FileRequired("Cần chọn tệp để tải lên.")


class DocumentCreateForm(CommandForm):
    command = NewDocument

    title = StringField("Trích yếu")
    doc_type = SelectField("Loại văn bản", choices=doc_type_choices(), validate_choice=False)
    summary = TextAreaField("Tóm tắt")
    confidential = BooleanField("Hạn chế: chỉ Văn phòng đọc")
    # Required unless a file read by "Đọc thông tin từ tệp" is kept (the service checks).
    file = FileField("Tệp (.docx, .pdf, .odt, .txt; ảnh .jpg, .png, .tif)")
    staged = HiddenField()
    comment = StringField("Ghi chú phiên bản")


class VersionForm(CommandForm):
    command = NewVersion

    file = FileField("Tệp phiên bản mới", validators=[_FILE])
    # 0: the first file of an entry registered without one.
    base_version = HiddenField()
    comment = StringField("Ghi chú phiên bản")


class MetadataForm(CommandForm):
    command = MetadataChange

    title = StringField("Trích yếu")
    summary = TextAreaField("Tóm tắt")
    signer = StringField("Người ký")
    confidential = BooleanField("Hạn chế: chỉ Văn phòng đọc")


class RestoreForm(CommandForm):
    command = Restore

    base_version = HiddenField()


class TransitionForm(CommandForm):
    command = Move

    to = HiddenField()
    # Asked (and checked by the view) only for the steps that cannot be undone.
    confirm = BooleanField("Xác nhận")


class ApprovalForm(CommandForm):
    """Approving: the number is shown before; the date and the signer go into the file."""

    command = Approval

    issue_date = StringField("Ngày ban hành", render_kw={"type": "date"})
    signer = StringField("Người ký")
    confirm = BooleanField(
        "Tôi xác nhận phê duyệt và cấp số: số đã cấp không thu hồi được.",
        validators=[Confirmed("Hãy đánh dấu ô xác nhận trước khi phê duyệt và cấp số.")],
    )


class RelationForm(CommandForm):
    command = NewRelation

    relation = SelectField(
        "Quan hệ", choices=choices((r.value, r.label) for r in Relation), validate_choice=False
    )
    # Chosen by number and title from the register (the page fills the list), never typed as an id.
    target_id = SelectField("Văn bản trong sổ", choices=[], validate_choice=False)
    target_number = StringField(
        "hoặc số hiệu văn bản ngoài", render_kw={"placeholder": "46-CT/TW", "size": 12}
    )


class DocumentFilterForm(FlaskForm):
    """The list's filters, read from the query string; the service checks the values."""

    class Meta:
        csrf = False

    doc_type = SelectField("Loại", choices=choices(DOC_TYPES.items(), blank="Tất cả"), validate_choice=False)
    status = SelectField(
        "Trạng thái",
        choices=choices(((s.value, s.label) for s in Status), blank="Tất cả"),
        validate_choice=False,
    )
    term = SelectField("Nhiệm kỳ", choices=[], validate_choice=False)
    sort = SelectField("Sắp xếp", choices=choices(SORT_LABELS.items()), validate_choice=False)
