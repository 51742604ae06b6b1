from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired

from .. import parsing
from ..web import Checked
from .models import COMMITTEE_LABELS, ROLE_LABELS, Committee, Role
from .services import check_password


def role_choices() -> list[SelectChoice]:
    return [SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()]


_ROLE = Checked(parsing.choice, options=[r.value for r in Role], label="vai trò")


class LoginForm(FlaskForm):
    username = StringField("Tên đăng nhập", validators=[DataRequired("Cần nhập tên đăng nhập.")])
    password = PasswordField("Mật khẩu", validators=[DataRequired("Cần nhập mật khẩu.")])


class UserCreateForm(FlaskForm):
    username = StringField(
        "Tên đăng nhập", validators=[Checked(parsing.text, label="tên đăng nhập", limit=64, required=True)]
    )
    display_name = StringField("Họ và tên", validators=[Checked(parsing.text, label="họ tên", limit=200)])
    role = SelectField("Vai trò", choices=role_choices(), validate_choice=False, validators=[_ROLE])
    password = PasswordField("Mật khẩu", validators=[Checked(check_password)])


class UserUpdateForm(FlaskForm):
    role = SelectField("Vai trò", choices=role_choices(), validate_choice=False, validators=[_ROLE])
    committee = SelectField(
        "Cấp ủy",
        choices=[SelectChoice(c.value, label) for c, label in COMMITTEE_LABELS.items()],
        validate_choice=False,
        validators=[Checked(parsing.choice, options=[c.value for c in Committee], label="cấp ủy")],
    )
    active = BooleanField("Đang hoạt động")
    password = PasswordField(
        "Mật khẩu mới (để trống nếu không đổi)", validators=[Checked(check_password, required=False)]
    )


class OwnPasswordForm(FlaskForm):
    """Checked as a whole by the service (the current password, the new one twice), so every
    mistake is told at once."""

    current_password = PasswordField("Mật khẩu hiện tại")
    new_password = PasswordField("Mật khẩu mới")
    repeat_password = PasswordField("Nhập lại mật khẩu mới")
