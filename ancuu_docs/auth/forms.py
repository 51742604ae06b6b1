from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired

from .models import ROLE_LABELS


def role_choices() -> list[SelectChoice]:
    return [SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()]


class LoginForm(FlaskForm):
    username = StringField("Tên đăng nhập", validators=[DataRequired("Cần nhập tên đăng nhập.")])
    password = PasswordField("Mật khẩu", validators=[DataRequired("Cần nhập mật khẩu.")])


class UserCreateForm(FlaskForm):
    username = StringField("Tên đăng nhập")
    display_name = StringField("Họ và tên")
    role = SelectField("Vai trò", choices=role_choices())
    password = PasswordField("Mật khẩu")


class UserUpdateForm(FlaskForm):
    role = SelectField("Vai trò", choices=role_choices())
    active = BooleanField("Đang hoạt động")
    password = PasswordField("Mật khẩu mới (để trống nếu không đổi)")
