"""The registers' own rows: the incoming book's arrival counter (entries are documents)."""

from __future__ import annotations

from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class ArrivalCounter(db.Model):
    """The last arrival number of the incoming register, per year; gapless like numbers."""

    __tablename__ = "arrival_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(default=0)
