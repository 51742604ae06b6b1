"""`flask --app app backup PATH`, `restore PATH` and `storage check [--repair]`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup
from flask_migrate import upgrade

from .. import storage_check
from ..cli import fail, progress
from ..errors import DomainError
from ..search import indexing
from . import backup as backups
from . import restore as restores

storage_cli = AppGroup("storage", help="Tệp đã lưu trong uploads/.")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path) -> None:
    """Sao lưu vào một tệp PATH: cơ sở dữ liệu, tệp đã lưu, mẫu, cài đặt (không có khóa bí mật)."""
    total = backups.stored_file_count() + 1
    try:
        with progress("Sao lưu", total) as advance:
            report = backups.create_backup(path, progress=advance)
    except DomainError as err:
        raise fail(err) from None
    size = report.size / 1024 / 1024
    click.echo(f"Đã sao lưu ({report.database}, {report.files} tệp, {size:.1f} MB) vào {report.path}.")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--with-trust-roots",
    is_flag=True,
    help="Cài cả các chứng thư gốc tin cậy (instance/trust/) trong bản sao lưu.",
)
def restore_command(path: Path, with_trust_roots: bool) -> None:
    """Khôi phục bản sao lưu PATH vào cài đặt này (phải còn trống), rồi dựng lại chỉ mục."""
    try:
        with progress("Kiểm tra bản sao lưu", restores.member_count(path)) as advance:
            manifest = restores.verify(path, progress=advance)
        click.echo(f"Bản sao lưu nguyên vẹn: {len(manifest['members'])} tệp khớp mã SHA-256.")
        with progress("Khôi phục tệp", manifest["stored_files"]) as advance:
            report = restores.restore(path, manifest, progress=advance, with_trust_roots=with_trust_roots)
    except DomainError as err:
        raise fail(err) from None
    upgrade()  # an archive from an older release gets this release's schema
    total = indexing.count_entries()
    with progress("Dựng chỉ mục", total) as advance:
        indexing.rebuild(progress=advance)
    click.echo(f"Đã khôi phục cơ sở dữ liệu ({report.database}) và {report.files} tệp; chỉ mục đã dựng lại.")
    for name in report.installed:
        click.echo(f"  Đã cài {name}.")
    for reason in report.skipped:
        click.echo(f"  Bỏ qua {reason}.")
    for key, (archived, now) in report.changed_settings.items():
        click.echo(f"  Cài đặt {key} khác bản sao lưu: lúc sao lưu {archived!r}, nay {now!r}.")


@storage_cli.command("check")
@click.option(
    "--repair", is_flag=True, help="Bỏ các tệp không thuộc văn bản nào (không bao giờ xóa bản ghi)."
)
@click.option(
    "--grace-hours",
    type=float,
    help="Chỉ coi là thừa các tệp cũ hơn chừng này giờ (mặc định theo STORAGE_ORPHAN_GRACE_SECONDS).",
)
def storage_check_command(repair: bool, grace_hours: float | None) -> None:
    """So tệp trong uploads/ với cơ sở dữ liệu: tệp thừa (không bản ghi nào trỏ tới), bản ghi mất tệp."""
    grace = None if grace_hours is None else grace_hours * 3600
    report = storage_check.check(repair=repair, grace_seconds=grace)
    click.echo(f"Tệp có bản ghi: {report.files}; tệp mới chưa có bản ghi (đang tải lên): {report.young}.")
    for label, items in (("Tệp thừa", report.orphans), ("Tệp ghi dở", report.leftovers)):
        click.echo(f"{label}: {len(items)}")
        for item in items[:50]:
            click.echo(f"  {item}")
    click.echo(f"Bản ghi mất tệp: {len(report.missing)}")
    for table, row_id, digest in report.missing[:50]:
        click.echo(f"  {table} #{row_id}: {digest}")
    if repair:
        click.echo(
            f"Đã chuyển {len(report.orphans)} tệp thừa vào uploads/{storage_check.TRASH}/ "
            f"(xóa hẳn sau thời gian chờ), xóa {len(report.leftovers)} tệp ghi dở, "
            f"trả lại {len(report.restored)} tệp, xóa hẳn {report.purged} tệp trong thùng rác."
        )
    if report.missing or (not repair and not report.ok):
        raise SystemExit(1)
    if report.ok:
        click.echo("Tệp đã lưu khớp với cơ sở dữ liệu.")


def register(app: Flask) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(storage_cli)
