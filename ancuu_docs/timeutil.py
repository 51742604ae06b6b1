"""Time in one place: stored in UTC, shown in Vietnam's time, dates in the Party style."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

VIETNAM = timezone(timedelta(hours=7), "ICT")


def utcnow() -> datetime:
    # Naive UTC, as SQLite stores it; every stored time is UTC.
    return datetime.now(UTC).replace(tzinfo=None)


def local_today() -> date:
    return datetime.now(VIETNAM).date()


def to_local(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC).astimezone(VIETNAM)


def day_start_utc(day: date) -> datetime:
    """The first moment of a Vietnamese calendar day, as stored (naive UTC)."""
    return datetime.combine(day, datetime.min.time()) - VIETNAM.utcoffset(None)


def format_local(value: datetime | None) -> str:
    return to_local(value).strftime("%d/%m/%Y %H:%M") if value else ""


def format_local_date(value: datetime | None) -> str:
    return to_local(value).strftime("%d/%m/%Y") if value else ""


def vietnamese_date(value: date) -> str:
    """`ngày 05 tháng 11 năm 2025`: days 1-9 and months 1-2 zero-padded, other months not."""
    month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"
