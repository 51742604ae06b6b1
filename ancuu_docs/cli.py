"""`flask --app app …` commands. Each calls the same services as the web and the API."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from .auth import services as user_services
from .auth.models import Role
from .errors import DomainError

users_cli = AppGroup("users", help="Quản lý người dùng.")
demo_cli = AppGroup("demo", help="Dữ liệu mẫu.")


def _fail(err: DomainError) -> click.ClickException:
    return click.ClickException(err.message)


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True, help="Vai trò.")
@click.option("--password", help="Mật khẩu; hỏi khi không cho.")
@click.option("--name", "display_name", help="Họ và tên hiển thị.")
def users_create(username: str, role: str, password: str | None, display_name: str | None) -> None:
    """Tạo người dùng USERNAME."""
    if password is None:
        password = click.prompt("Mật khẩu", hide_input=True, confirmation_prompt=True)
    try:
        user = user_services.create_user(
            None, username=username, role=role, password=password, display_name=display_name
        )
    except DomainError as err:
        raise _fail(err) from None
    click.echo(f"Đã tạo người dùng {user.username} ({user.role}).")


@users_cli.command("token")
@click.argument("username")
def users_token(username: str) -> None:
    """Cấp mã API mới cho USERNAME (mã cũ hết hiệu lực); mã in ở dòng cuối."""
    user = user_services.find_user(username)
    if user is None:
        raise click.ClickException(f"Không có người dùng «{username}».")
    token = user_services.issue_token(None, user.id)
    click.echo(f"Mã API mới của {user.username} (chỉ hiện một lần):")
    click.echo(token)


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Chỉ nạp khi cơ sở dữ liệu chưa có người dùng.")
def demo_load(if_empty: bool) -> None:
    """Nạp dữ liệu mẫu: Hội nghị lần thứ hai (mở rộng) BCH Đảng bộ phường An Cựu."""
    from .demo.loader import DEMO_ACCOUNTS, database_is_empty, load_demo

    if if_empty and not database_is_empty():
        click.echo("Cơ sở dữ liệu đã có dữ liệu; bỏ qua dữ liệu mẫu.")
    else:
        try:
            created = load_demo(progress=lambda label: click.echo(f"  + {label}"))
        except DomainError as err:
            raise _fail(err) from None
        click.echo(f"Đã nạp {created} tài liệu mẫu.")
    click.echo("Tài khoản mẫu (tên đăng nhập / mật khẩu / vai trò):")
    for username, password, role, _name in DEMO_ACCOUNTS:
        click.echo(f"  {username:<10} {password:<14} {Role(role).label}")


def register_cli(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
