"""The registers' own rows: the incoming book's arrival counter (entries are documents)."""

from __future__ import annotations

from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class ArrivalCounter(db.Model):
    """The last arrival number of an incoming register, per year: the general one and the
    secret one (`secret`) each have their own series; gapless like numbers."""

    __tablename__ = "arrival_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    secret: Mapped[bool] = mapped_column(primary_key=True, default=False, server_default="0")
    last_value: Mapped[int] = mapped_column(default=0)
