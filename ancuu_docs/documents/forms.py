"""The document pages' forms: each field checked by the same parser the service uses."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectChoice, SelectField, StringField, TextAreaField

from .. import parsing
from ..web import Checked, Confirmed, choices
from .services.reading import SORT_LABELS
from .services.versions import COMMENT_MAX, SIGNER_MAX, SUMMARY_MAX, TITLE_MAX
from .types import DOC_TYPES, Relation, Status


def doc_type_choices() -> list[SelectChoice]:
    return [SelectChoice(code, f"{name} ({code})") for code, name in DOC_TYPES.items()]


_TITLE = Checked(parsing.text, label="trích yếu", limit=TITLE_MAX, required=True)
SUMMARY_CHECK = Checked(parsing.text, label="tóm tắt", limit=SUMMARY_MAX)
_COMMENT = Checked(parsing.text, label="ghi chú", limit=COMMENT_MAX)
_FILE = FileRequired("Cần chọn tệp để tải lên.")


class DocumentCreateForm(FlaskForm):
    title = StringField("Trích yếu", validators=[_TITLE])
    doc_type = SelectField(
        "Loại văn bản",
        choices=doc_type_choices(),
        validate_choice=False,
        validators=[Checked(parsing.choice, options=DOC_TYPES, label="loại văn bản")],
    )
    summary = TextAreaField("Tóm tắt", validators=[SUMMARY_CHECK])
    confidential = BooleanField("Hạn chế: chỉ Văn phòng đọc")
    # Required unless a file read by "Đọc thông tin từ tệp" is kept (the service checks).
    file = FileField("Tệp (.docx, .pdf, .odt, .txt; ảnh .jpg, .png, .tif)")
    staged = HiddenField()
    comment = StringField("Ghi chú phiên bản", validators=[_COMMENT])


class VersionForm(FlaskForm):
    file = FileField("Tệp phiên bản mới", validators=[_FILE])
    # 0: the first file of an entry registered without one.
    base_version = HiddenField(validators=[Checked(parsing.integer, label="phiên bản gốc", low=0)])
    comment = StringField("Ghi chú phiên bản", validators=[_COMMENT])


class MetadataForm(FlaskForm):
    title = StringField("Trích yếu", validators=[_TITLE])
    summary = TextAreaField("Tóm tắt", validators=[SUMMARY_CHECK])
    signer = StringField("Người ký", validators=[Checked(parsing.text, label="người ký", limit=SIGNER_MAX)])
    confidential = BooleanField("Hạn chế: chỉ Văn phòng đọc")


class RestoreForm(FlaskForm):
    base_version = HiddenField(validators=[Checked(parsing.integer, label="phiên bản gốc", low=1)])


class TransitionForm(FlaskForm):
    to = HiddenField(
        validators=[Checked(parsing.choice, options=[s.value for s in Status], label="trạng thái đích")]
    )
    # Asked (and checked by the view) only for the steps that cannot be undone.
    confirm = BooleanField("Xác nhận")


class ApprovalForm(FlaskForm):
    """Approving: the number is shown before; the date and the signer go into the file."""

    issue_date = StringField(
        "Ngày ban hành",
        validators=[Checked(parsing.day, label="ngày ban hành")],
        render_kw={"type": "date"},
    )
    signer = StringField(
        "Người ký", validators=[Checked(parsing.text, label="người ký", limit=SIGNER_MAX, required=True)]
    )
    confirm = BooleanField(
        "Tôi xác nhận phê duyệt và cấp số: số đã cấp không thu hồi được.",
        validators=[Confirmed("Hãy đánh dấu ô xác nhận trước khi phê duyệt và cấp số.")],
    )


class RelationForm(FlaskForm):
    relation = SelectField(
        "Quan hệ",
        choices=choices((r.value, r.label) for r in Relation),
        validate_choice=False,
        validators=[Checked(parsing.choice, options=[r.value for r in Relation], label="quan hệ")],
    )
    # Chosen by number and title from the register (the page fills the list), never typed as an id.
    target_id = SelectField(
        "Văn bản trong sổ",
        choices=[],
        validate_choice=False,
        validators=[Checked(parsing.integer, label="văn bản trong sổ", low=1, required=False)],
    )
    target_number = StringField(
        "hoặc số hiệu văn bản ngoài",
        validators=[Checked(parsing.text, label="số hiệu", limit=64)],
        render_kw={"placeholder": "46-CT/TW", "size": 12},
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
