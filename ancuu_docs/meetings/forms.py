"""The meeting pages' forms: each field checked by the same parser the service uses; the
service then checks what spans fields (present + absent = members, votes = present)."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, FieldList, Form, FormField, SelectField, StringField, TextAreaField

from .. import parsing
from ..web import Checked, Confirmed
from .services import GUESTS_MAX, MEMBERS_MAX, TEXT_MAX


# Each field: its label on the page, and how messages name it (as the service's messages do).
def _text(label: str, named: str, *, required: bool = True, limit: int = TEXT_MAX, **render):
    return StringField(
        label, validators=[Checked(parsing.text, label=named, limit=limit, required=required)], **render
    )


def _number(label: str, named: str, *, low: int = 0, high: int = MEMBERS_MAX):
    return StringField(
        label,
        validators=[Checked(parsing.integer, label=named, low=low, high=high)],
        render_kw={"inputmode": "numeric"},
    )


def _time(label: str, named: str, *, required: bool = True, placeholder: str = ""):
    return StringField(
        label,
        validators=[Checked(parsing.time_of_day, label=named, required=required)],
        render_kw={"placeholder": placeholder},
    )


class MeetingForm(FlaskForm):
    body = SelectField("Cơ quan họp", choices=[], validate_choice=False)
    ordinal = _number("Lần họp", "lần họp", low=1, high=200)
    expanded = BooleanField("Hội nghị mở rộng")
    term = _text("Nhiệm kỳ", "nhiệm kỳ", required=False, limit=16)
    date = StringField(
        "Ngày họp", validators=[Checked(parsing.day, label="ngày họp")], render_kw={"type": "date"}
    )
    start_time = _time("Giờ bắt đầu", "giờ bắt đầu", placeholder="08:00")
    end_time = _time("Giờ kết thúc dự kiến", "giờ kết thúc", required=False, placeholder="11:30")
    place = _text("Địa điểm", "địa điểm", render_kw={"placeholder": "Hội trường Đảng ủy phường"})
    chair_name = _text("Chủ trì: họ tên", "họ tên chủ trì")
    chair_position = _text(
        "Chủ trì: chức vụ", "chức vụ chủ trì", render_kw={"placeholder": "Bí thư Đảng ủy phường"}
    )
    secretary_name = _text("Người ghi biên bản: họ tên", "họ tên người ghi biên bản")
    secretary_position = _text(
        "Người ghi biên bản: chức vụ",
        "chức vụ người ghi biên bản",
        render_kw={"placeholder": "Chánh Văn phòng Đảng ủy"},
    )
    total_members = _number("Tổng số cấp ủy viên", "tổng số cấp ủy viên", low=1)
    guests = _text("Khách mời (hội nghị mở rộng)", "khách mời", required=False, limit=GUESTS_MAX)


class AgendaForm(FlaskForm):
    title = _text("Nội dung", "nội dung", limit=500)
    presenter = _text("Người trình bày: họ tên", "người trình bày")
    presenter_position = _text(
        "Người trình bày: chức vụ",
        "chức vụ người trình bày",
        required=False,
        limit=200,
        render_kw={"placeholder": "Phó Bí thư Thường trực Đảng ủy"},
    )
    document_id = SelectField("Văn bản trình hội nghị", choices=[], validate_choice=False)
    discussion = TextAreaField(
        "Ý kiến thảo luận",
        validators=[Checked(parsing.text, label="ý kiến thảo luận", limit=20_000)],
        render_kw={"rows": 3},
    )
    requires_vote = BooleanField("Có biểu quyết", default=True)


class AbsentRow(Form):
    name = StringField("Họ tên", validators=[Checked(parsing.text, label="họ tên", limit=200)])
    reason = StringField("Lý do", validators=[Checked(parsing.text, label="lý do", limit=300)])


class AttendanceForm(FlaskForm):
    present = _number("Có mặt", "số có mặt")
    absent = FieldList(FormField(AbsentRow), label="Vắng mặt (họ tên, lý do)", min_entries=1)
    end_time = _time("Giờ kết thúc", "giờ kết thúc", required=False, placeholder="11:30")


class DecisionForm(FlaskForm):
    method = _text("Hình thức", "hình thức biểu quyết", limit=100)
    in_favour = _number("Tán thành", "số tán thành")
    against = _number("Không tán thành", "số không tán thành")
    abstaining = _number("Không biểu quyết", "số không biểu quyết")
    conclusion = _text("Kết luận", "kết luận", required=False, limit=5000)
    confirm = BooleanField(
        "Xác nhận kết quả (thông qua thì văn bản được ban hành, cấp số)",
        validators=[Confirmed("Hãy đánh dấu ô xác nhận: kết quả biểu quyết không sửa được.")],
    )


class CloseForm(FlaskForm):
    confirm = BooleanField(
        "Xác nhận kết thúc hội nghị và phê duyệt biên bản",
        validators=[Confirmed("Hãy đánh dấu ô xác nhận: kết thúc hội nghị không hoàn tác được.")],
    )
