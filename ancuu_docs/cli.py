"""`flask --app app …` commands. Each calls the same services as the web and the API."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from .auth import services as user_services
from .auth.commands import NewUser
from .auth.models import Role, User
from .demo import content
from .demo.loader import DEMO_ACCOUNTS, database_is_empty, load_demo
from .documents.importing import BATCH, files_in, import_folder
from .documents.schemas import SIGNATURE_LABELS
from .drafting import services as drafting
from .drafting.builder import build_all
from .errors import DomainError
from .extensions import db
from .ocr import services as ocr_services
from .registers.archive_import import import_metadata, read_rows
from .search import indexing, worker
from .signatures import services as signature_services

users_cli = AppGroup("users", help="Quản lý người dùng.")
index_cli = AppGroup("index", help="Chỉ mục tìm kiếm.")
drafting_cli = AppGroup("drafting", help="Mẫu văn bản.")
demo_cli = AppGroup("demo", help="Dữ liệu mẫu.")
ocr_cli = AppGroup("ocr", help="Nhận dạng chữ (OCR) bản quét và ảnh.")

OCR_STATUS = {"queued": "đang chờ", "running": "đang chạy", "done": "xong", "failed": "lỗi"}


signatures_cli = AppGroup("signatures", help="Chữ ký số trên tệp PDF.")


@signatures_cli.command("verify")
@click.argument("document_id", type=int)
def signatures_verify(document_id: int) -> None:
    """Kiểm tra lại chữ ký số mọi phiên bản PDF của văn bản DOCUMENT_ID (theo instance/trust/)."""
    try:
        results = signature_services.recheck(document_id)
    except DomainError as err:
        raise fail(err) from None
    for n, rows in results:
        if not rows:
            click.echo(f"Phiên bản {n}: không có chữ ký số.")
        for row in rows:
            when = row.signed_at.strftime("%d/%m/%Y %H:%M") if row.signed_at else "?"
            click.echo(
                f"Phiên bản {n}, chữ ký {row.position}: {row.signer_name} ({row.organisation}), {when}: "
                f"{SIGNATURE_LABELS[row.status]}"
            )


@ocr_cli.command("status")
@click.option("--limit", default=50, show_default=True, help="Số việc gần nhất.")
def ocr_status(limit: int) -> None:
    """Các việc nhận dạng chữ gần nhất: văn bản, phiên bản, trạng thái, trang, lỗi."""
    rows = ocr_services.jobs(limit)
    if not rows:
        click.echo("Chưa có việc nhận dạng chữ nào.")
    for job in rows:
        pages = f"{job.pages_done}/{job.pages_total}" if job.pages_total else "-"
        reason = f" — {job.error}" if job.error else ""
        click.echo(
            f"#{job.id} văn bản {job.version.document_id} phiên bản {job.version.n}: "
            f"{OCR_STATUS[job.status]}, trang {pages}, lần thử {job.attempts}{reason}"
        )


@ocr_cli.command("redo")
@click.argument("document_id", type=int)
@click.option("--version", "n", type=int, help="Phiên bản (mặc định: phiên bản hiện tại).")
def ocr_redo(document_id: int, n: int | None) -> None:
    """Nhận dạng chữ lại phiên bản N của văn bản DOCUMENT_ID (worker sẽ chạy)."""
    try:
        job = ocr_services.redo(None, document_id, n)
    except DomainError as err:
        raise fail(err) from None
    click.echo(f"Đã xếp việc #{job.id}: văn bản {document_id} phiên bản {job.version.n}.")


@contextmanager
def progress(label: str, total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on a terminal; in a log (CI, cron), a line per step with the count."""
    if sys.stdout.isatty():
        with click.progressbar(length=total, label=label, show_pos=True, show_percent=True) as bar:
            yield bar.update
        return
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        percent = 100 * done // total if total else 100
        click.echo(f"{label}: {done}/{total} ({percent}%)")

    yield advance


class CommandFailed(click.ClickException):
    """A refusal printed as "Lỗi: …" (click's own prefix is English)."""

    def show(self, file=None) -> None:
        click.echo(f"Lỗi: {self.format_message()}", file=file or sys.stderr)


def fail(err: DomainError) -> click.ClickException:
    return CommandFailed(err.message)


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
        account = NewUser.of(username=username, role=role, password=password, display_name=display_name)
        user = user_services.create_user(None, account)
    except DomainError as err:
        raise fail(err) from None
    click.echo(f"Đã tạo người dùng {user.username} ({user.role}).")


@users_cli.command("token")
@click.argument("username")
def users_token(username: str) -> None:
    """Cấp mã API mới cho USERNAME (mã cũ hết hiệu lực); mã in ở dòng cuối."""
    user = user_services.find_user(username)
    if user is None:
        raise CommandFailed(f"Không có người dùng «{username}».")
    token = user_services.issue_token(None, user.id)
    click.echo(f"Mã API mới của {user.username} (chỉ hiện một lần):")
    click.echo(token)


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Chỉ nạp khi cơ sở dữ liệu chưa có người dùng.")
def demo_load(if_empty: bool) -> None:
    """Nạp dữ liệu mẫu: Hội nghị lần thứ hai (mở rộng) BCH Đảng bộ phường An Cựu."""
    if if_empty and not database_is_empty():
        click.echo("Cơ sở dữ liệu đã có dữ liệu; bỏ qua dữ liệu mẫu.")
    else:
        try:
            created = load_demo(progress=lambda label: click.echo(f"  + {label}"))
        except DomainError as err:
            raise fail(err) from None
        click.echo(f"Đã nạp {created} văn bản mẫu.")
    click.echo("Tài khoản mẫu (tên đăng nhập / mật khẩu / vai trò):")
    for username, password, role, _name in DEMO_ACCOUNTS:
        click.echo(f"  {username:<10} {password:<14} {Role(role).label}")


@index_cli.command("rebuild")
def index_rebuild() -> None:
    """Dựng lại toàn bộ chỉ mục rồi thay vào một lần (tìm kiếm vẫn chạy trong lúc dựng)."""
    total = indexing.count_entries()
    with progress("Dựng chỉ mục", total) as advance:
        generation = indexing.rebuild(progress=advance)
    click.echo(f"Đã dựng chỉ mục {generation} với {total} văn bản.")


@index_cli.command("check")
@click.option("--repair", is_flag=True, help="Sửa những chỗ sai lệch tìm thấy.")
def index_check(repair: bool) -> None:
    """So sánh chỉ mục với cơ sở dữ liệu: thiếu, cũ, thừa."""
    report = indexing.check(repair=repair)
    if report.unusable:
        click.echo(f"Chỉ mục không dùng được ({report.unusable}).")
    else:
        for label, keys in (("Thiếu", report.missing), ("Cũ", report.stale), ("Thừa", report.extra)):
            listed = f" ({', '.join(keys[:20])}{' …' if len(keys) > 20 else ''})" if keys else ""
            click.echo(f"{label}: {len(keys)}{listed}")
    if report.ok:
        click.echo("Chỉ mục khớp với cơ sở dữ liệu.")
    elif report.repaired:
        click.echo("Đã dựng lại chỉ mục." if report.unusable else "Đã sửa chỉ mục.")
    else:
        raise SystemExit(1)


@index_cli.command("sync")
def index_sync() -> None:
    """Đưa ngay mọi thay đổi đang chờ vào chỉ mục (thử lại cả những lần đã lỗi)."""
    indexing.ensure_index(verify=True)
    indexing.retry_all_now()
    done = indexing.flush_outbox()
    waiting = indexing.pending_jobs()
    click.echo(f"Đã cập nhật {done} văn bản; còn chờ {waiting}.")
    if waiting:
        raise SystemExit(1)


@index_cli.command("worker")
def index_worker() -> None:
    """Chạy tiến trình cập nhật chỉ mục (dừng bằng Ctrl+C hoặc SIGTERM)."""
    click.echo("Tiến trình cập nhật chỉ mục đang chạy (Ctrl+C để dừng).")
    # A long-running service: what it does (rebuilds, sweeps, retries) goes to its log.
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    worker.run()
    click.echo("Đã dừng tiến trình cập nhật chỉ mục.")


@index_cli.command("ensure")
def index_ensure() -> None:
    """Dựng chỉ mục nếu chưa có hoặc khác phiên bản lược đồ."""
    built = indexing.ensure_index(verify=True)
    click.echo("Đã dựng chỉ mục." if built else "Chỉ mục đã sẵn sàng.")


@drafting_cli.command("build-templates")
def drafting_build_templates() -> None:
    """Dựng lại các mẫu DOCX có sẵn trong templates/docx/ từ ancuu_docs/drafting/builder.py."""
    for path in build_all(Path(current_app.config["TEMPLATE_FOLDER"])):
        click.echo(f"  {path}")


@drafting_cli.command("sample")
@click.argument("output", type=click.Path(dir_okay=False, writable=True))
def drafting_sample(output: str) -> None:
    """Ghi ra OUTPUT bản dự thảo nghị quyết mẫu (nội dung của dữ liệu mẫu), không lưu vào sổ."""
    spec = content.RESOLUTION_LIFESTYLE
    template, values = drafting.fill(spec["template"], spec["fields"])
    with open(output, "wb") as fh:
        fh.write(drafting.render_draft(template, values, version=1))
    click.echo(output)


@click.command("import")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--doc-type", help="Loại cho mọi tệp (NQ, BC, …); mặc định lấy từ đầu tên tệp: NQ-….")
@click.option(
    "--status",
    type=click.Choice(["draft", "in_review", "approved"]),
    default="draft",
    show_default=True,
    help="Trạng thái sau khi nhập; approved thì cấp số.",
)
@click.option("--user", "username", help="Người nhập (mặc định: quản trị đầu tiên).")
@click.option("--batch", default=BATCH, show_default=True, help="Số tệp mỗi lần ghi và cập nhật chỉ mục.")
@click.option(
    "--metadata",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Tệp CSV thông tin văn bản đã ban hành (file, origin, issuer, number, issue_date, …).",
)
def import_command(
    folder: Path, doc_type: str | None, status: str, username: str | None, batch: int, metadata: Path | None
) -> None:
    """Nhập mọi tệp trong FOLDER (DOCX, PDF, ODT, TXT) thành văn bản; chạy lại thì bỏ qua tệp đã có.
    Với --metadata: đăng ký từng dòng của tệp CSV (văn bản đến, văn bản cũ có số) với tệp trong FOLDER."""
    actor = _importing_user(username)
    try:
        if metadata is not None:
            total = len(read_rows(metadata))
            with progress("Đăng ký văn bản", total) as advance:
                report = import_metadata(actor, folder, metadata, progress=advance)
        else:
            total = len(files_in(folder))
            with progress("Nhập văn bản", total) as advance:
                report = import_folder(
                    actor, folder, doc_type=doc_type, status=status, batch=batch, progress=advance
                )
    except DomainError as err:
        raise fail(err) from None
    click.echo(f"Đã nhập {report.imported}, bỏ qua {report.skipped} (đã có), lỗi {len(report.failed)}.")
    for name, reason in report.failed:
        click.echo(f"  ✗ {name}: {reason}")
    if report.failed:
        raise SystemExit(1)


def _importing_user(username: str | None):
    if username:
        user = user_services.find_user(username)
        if user is None:
            raise CommandFailed(f"Không có người dùng «{username}».")
        return user
    user = db.session.scalar(
        select(User).where(User.role == Role.ADMIN, User.active.is_(True)).order_by(User.id)
    )
    if user is None:
        raise CommandFailed(
            "Chưa có tài khoản quản trị; tạo bằng `users create … --role admin` hoặc dùng --user."
        )
    return user


def register_cli(app: Flask) -> None:
    app.cli.add_command(import_command)
    app.cli.add_command(users_cli)
    app.cli.add_command(index_cli)
    app.cli.add_command(drafting_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(ocr_cli)
    app.cli.add_command(signatures_cli)
