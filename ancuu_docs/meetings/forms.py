"""The meeting pages' forms: what each field looks like. The values are parsed by the
commands' schemas (`commands.py`), the same that parse the API's JSON; the services then check
what spans the meeting (present + absent = members, votes = present)."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, FieldList, Form, FormField, SelectField, StringField, TextAreaField

from ..web import CommandForm, Confirmed
from .commands import Attendance, NewAgendaItem, NewMeeting, Vote

_NUMBER = {"inputmode": "numeric"}


class MeetingForm(CommandForm):
    command = NewMeeting

    body = SelectField("Cơ quan họp", choices=[], validate_choice=False)
    ordinal = StringField("Lần họp", render_kw=_NUMBER)
    expanded = BooleanField("Hội nghị mở rộng")
    term = StringField("Nhiệm kỳ")
    date = StringField("Ngày họp", render_kw={"type": "date"})
    start_time = StringField("Giờ bắt đầu", render_kw={"placeholder": "08:00"})
    end_time = StringField("Giờ kết thúc dự kiến", render_kw={"placeholder": "11:30"})
    place = StringField("Địa điểm", render_kw={"placeholder": "Hội trường Đảng ủy phường"})
    chair_name = StringField("Chủ trì: họ tên")
    chair_position = StringField("Chủ trì: chức vụ", render_kw={"placeholder": "Bí thư Đảng ủy phường"})
    secretary_name = StringField("Người ghi biên bản: họ tên")
    secretary_position = StringField(
        "Người ghi biên bản: chức vụ", render_kw={"placeholder": "Chánh Văn phòng Đảng ủy"}
    )
    total_members = StringField("Tổng số cấp ủy viên", render_kw=_NUMBER)
    guests = StringField("Khách mời (hội nghị mở rộng)")


class AgendaForm(CommandForm):
    command = NewAgendaItem

    title = StringField("Nội dung")
    presenter = StringField("Người trình bày: họ tên")
    presenter_position = StringField(
        "Người trình bày: chức vụ", render_kw={"placeholder": "Phó Bí thư Thường trực Đảng ủy"}
    )
    document_id = SelectField("Văn bản trình hội nghị", choices=[], validate_choice=False)
    discussion = TextAreaField("Ý kiến thảo luận", render_kw={"rows": 3})
    requires_vote = BooleanField("Có biểu quyết", default=True)


class AbsentRow(Form):
    name = StringField("Họ tên")
    reason = StringField("Lý do")


class AttendanceForm(CommandForm):
    command = Attendance

    present = StringField("Có mặt", render_kw=_NUMBER)
    absent = FieldList(FormField(AbsentRow), label="Vắng mặt (họ tên, lý do)", min_entries=1)
    end_time = StringField("Giờ kết thúc", render_kw={"placeholder": "11:30"})


class DecisionForm(CommandForm):
    command = Vote

    method = StringField("Hình thức")
    in_favour = StringField("Tán thành", render_kw=_NUMBER)
    against = StringField("Không tán thành", render_kw=_NUMBER)
    abstaining = StringField("Không biểu quyết", render_kw=_NUMBER)
    conclusion = StringField("Kết luận")
    confirm = BooleanField(
        "Xác nhận kết quả (thông qua thì văn bản được ban hành, cấp số)",
        validators=[Confirmed("Hãy đánh dấu ô xác nhận: kết quả biểu quyết không sửa được.")],
    )


class CloseForm(FlaskForm):
    confirm = BooleanField(
        "Xác nhận kết thúc hội nghị và phê duyệt biên bản",
        validators=[Confirmed("Hãy đánh dấu ô xác nhận: kết thúc hội nghị không hoàn tác được.")],
    )
