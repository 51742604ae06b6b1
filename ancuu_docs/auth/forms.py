"""The sign-in and user admin forms: what each field looks like. The admin's values are parsed
by the commands' schemas (`commands.py`), the same the CLI uses."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired

from ..web import CommandForm
from .commands import NewUser, OwnPassword, UserChange
from .models import COMMITTEE_LABELS, ROLE_LABELS


def role_choices() -> list[SelectChoice]:
    return [SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()]


class LoginForm(FlaskForm):
    username = StringField("Tên đăng nhập", validators=[DataRequired("Cần nhập tên đăng nhập.")])
    password = PasswordField("Mật khẩu", validators=[DataRequired("Cần nhập mật khẩu.")])


class UserCreateForm(CommandForm):
    command = NewUser

    username = StringField("Tên đăng nhập")
    display_name = StringField("Họ và tên")
    role = SelectField("Vai trò", choices=role_choices(), validate_choice=False)
    password = PasswordField("Mật khẩu")


class UserUpdateForm(CommandForm):
    command = UserChange

    role = SelectField("Vai trò", choices=role_choices(), validate_choice=False)
    committee = SelectField(
        "Cấp ủy",
        choices=[SelectChoice(c.value, label) for c, label in COMMITTEE_LABELS.items()],
        validate_choice=False,
    )
    active = BooleanField("Đang hoạt động")
    password = PasswordField("Mật khẩu mới (để trống nếu không đổi)")


class OwnPasswordForm(CommandForm):
    """Checked as a whole by the service (the current password, the new one twice), so every
    mistake is told at once."""

    command = OwnPassword

    current_password = PasswordField("Mật khẩu hiện tại")
    new_password = PasswordField("Mật khẩu mới")
    repeat_password = PasswordField("Nhập lại mật khẩu mới")
