"""What the user admin commands take, typed: a new account, a change to one, one's own new
password. Parsed at the edge (`schema.parse`) from the admin pages, the CLI and the tests."""

from __future__ import annotations

import re
from typing import Annotated

from ..errors import InvalidInput
from ..schema import Command, Flag, Member, Text, custom, unless_absent
from .models import Committee, Role

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
PASSWORD_MIN = 8
PASSWORD_MAX = 1024


def _username(value: object) -> str:
    username = (value if isinstance(value, str) else "").strip().lower()
    if not USERNAME.match(username):
        raise InvalidInput(
            "Tên đăng nhập gồm 3-64 ký tự: chữ thường không dấu, số, dấu chấm, gạch dưới, gạch ngang.",
            field="username",
        )
    return username


def check_password(password: object, *, field: str = "password", required: bool = True) -> str:
    """A new password: at least PASSWORD_MIN characters (blank allowed where not required)."""
    if password is not None and not isinstance(password, str):
        raise InvalidInput("Mật khẩu phải là chữ.", field=field)
    if not password and not required:
        return ""
    if not password or len(password) < PASSWORD_MIN:
        raise InvalidInput(f"Mật khẩu cần ít nhất {PASSWORD_MIN} ký tự.", field=field)
    if len(password) > PASSWORD_MAX:
        raise InvalidInput(f"Mật khẩu dài quá {PASSWORD_MAX} ký tự.", field=field)
    return password


_COMMITTEE = Member(
    Committee,
    "cấp ủy",
    explain="«» (không), «executive» (Ban Chấp hành), «standing» (Ban Thường vụ)",
)


class NewUser(Command):
    username: Annotated[str, custom(_username, required=True)] = ""
    # The username when none is given.
    display_name: Annotated[str, Text("họ tên", limit=200)] = ""
    role: Annotated[Role, Member(Role, "vai trò")] = None
    password: Annotated[str, custom(check_password, required=True)] = ""


class UserChange(Command):
    """What the admin changes on an account: the fields given, the others as they are (a blank
    password keeps the password)."""

    role: Annotated[Role | None, unless_absent(Member(Role, "vai trò"))] = None
    active: Annotated[bool | None, unless_absent(Flag("đang hoạt động"))] = None
    password: Annotated[str, custom(lambda v: check_password(v, required=False))] = ""
    committee: Annotated[Committee | None, unless_absent(_COMMITTEE)] = None


class OwnPassword(Command):
    """One's own new password, typed twice, after the current one. The service checks them
    together (the current one against the account, the new one's rules), every mistake at
    once."""

    current_password: Annotated[str, Text("mật khẩu hiện tại", limit=PASSWORD_MAX)] = ""
    new_password: Annotated[str, Text("mật khẩu mới", limit=PASSWORD_MAX)] = ""
    repeat_password: Annotated[str, Text("mật khẩu nhập lại", limit=PASSWORD_MAX)] = ""
