"""The registers' own rows: the incoming books' arrival counters (entries are documents), and the
list of bodies that send documents."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import utcnow


class ArrivalCounter(db.Model):
    """The last arrival number of an incoming register, per year: the general one and the
    secret one (`secret`) each have their own series; gapless like numbers."""

    __tablename__ = "arrival_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    secret: Mapped[bool] = mapped_column(primary_key=True, default=False, server_default="0")
    last_value: Mapped[int] = mapped_column(default=0)


class Issuer(db.Model):
    """A body that sends documents to the ward, named as the office writes it; the admin keeps
    the list. `key` is the name folded (no marks, one space between words, lower case): two names
    with one key ("Thành ủy Huế", "Thành uỷ  Huế") are one body."""

    __tablename__ = "issuers"
    audit_type = "issuer"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
