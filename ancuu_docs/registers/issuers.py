"""The bodies that send documents to the ward, as a list the admin keeps (first filled from the
`ISSUERS` setting). A name typed when registering that is a close variant of a listed one
("Thành uỷ Huế", "thành ủy  huế", "Thanh uy Hue" for "Thành ủy Huế") is asked about before it is
written; the books' filter takes every variant of a name as that body."""

from __future__ import annotations

from difflib import SequenceMatcher

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..audit.services import record
from ..auth.models import User
from ..auth.policy import Action, can
from ..database import unit_of_work
from ..documents.intake import intake_json
from ..errors import Conflict, Forbidden, NotFound
from ..extensions import db
from ..text import fold
from .commands import IssuerName
from .models import Issuer

# Keys this alike (after folding) name the same body, typed a little differently.
CLOSE = 0.92
ASK = (
    "Có phải «{known}»? Tên này gần giống một cơ quan trong danh sách. Chọn «{known}», hoặc đánh "
    "dấu «Cơ quan khác, giữ tên như đã nhập»."
)


def key_of(name: str) -> str:
    """The name folded: no marks, đ as d, lower case, one space between words."""
    return " ".join(fold(name).split())


def listed() -> list[Issuer]:
    """The list, in name order; filled from the settings the first time it is asked for."""
    rows = list(db.session.scalars(select(Issuer).order_by(Issuer.name)))
    if rows or not current_app.config["ISSUERS"]:
        return rows
    try:
        with unit_of_work():
            for name in current_app.config["ISSUERS"]:
                db.session.add(Issuer(name=name, key=key_of(name)))
    except IntegrityError:  # another request filled it meanwhile
        db.session.rollback()
    return list(db.session.scalars(select(Issuer).order_by(Issuer.name)))


def names() -> list[str]:
    return [issuer.name for issuer in listed()]


def variant_of(name: str) -> str | None:
    """The listed name `name` is a variant of, when it is one but not written as listed."""
    key = key_of(name)
    if not key:
        return None
    best, best_ratio = None, 0.0
    for issuer in listed():
        if issuer.name == name.strip():
            return None
        ratio = 1.0 if issuer.key == key else SequenceMatcher(None, issuer.key, key).ratio()
        if ratio > best_ratio:
            best, best_ratio = issuer.name, ratio
    return best if best_ratio >= CLOSE else None


def question(name: str, *, confirmed: bool) -> str | None:
    """What to ask of a typed issuer that looks like a listed one (None: nothing to ask)."""
    known = None if confirmed else variant_of(name)
    return ASK.format(known=known) if known else None


def listed_names() -> dict[str, str]:
    """{key: listed name}: read once, for naming many bodies as the list names them."""
    return {issuer.key: issuer.name for issuer in listed()}


def grouped_name(name: str, known: dict[str, str] | None = None) -> str:
    """The listed name of `name`'s body when it is a variant of one, else `name` (`known`: the
    list as `listed_names` gives it, when several names are grouped)."""
    return (listed_names() if known is None else known).get(key_of(name), name)


def as_listed(fields: dict[str, str]) -> dict[str, str]:
    """What a header says, its issuer named as the list names that body ("THÀNH ỦY HUẾ" on
    the page is "Thành ủy Huế")."""
    if fields.get("issuer"):
        return {**fields, "issuer": grouped_name(fields["issuer"])}
    return fields


def intake_answer(staged) -> dict:
    """A staged file's answer (documents' `intake_json`) with its issuer as listed."""
    answer = intake_json(staged)
    return {**answer, "fields": as_listed(answer["fields"])}


def _check_admin(actor: User) -> None:
    if not can(actor, Action.MANAGE_USERS):
        raise Forbidden("Chỉ quản trị sửa danh sách cơ quan gửi văn bản.")


def add(actor: User, command: IssuerName) -> Issuer:
    _check_admin(actor)
    with unit_of_work():
        issuer = Issuer(name=command.name, key=key_of(command.name))
        _refuse_same(issuer.key)
        db.session.add(issuer)
        db.session.flush()
        record(actor, "issuer.add", issuer, issuer_name=issuer.name)
    return issuer


def rename(actor: User, issuer_id: int, command: IssuerName) -> Issuer:
    _check_admin(actor)
    with unit_of_work():
        issuer = get(issuer_id)
        key = key_of(command.name)
        _refuse_same(key, but=issuer.id)
        before = issuer.name
        issuer.name, issuer.key = command.name, key
        record(actor, "issuer.rename", issuer, changes={"issuer_name": {"from": before, "to": command.name}})
    return issuer


def remove(actor: User, issuer_id: int) -> None:
    """Off the list; documents keep the name they were registered with."""
    _check_admin(actor)
    with unit_of_work():
        issuer = get(issuer_id)
        record(actor, "issuer.remove", issuer, issuer_name=issuer.name)
        db.session.delete(issuer)


def get(issuer_id: int) -> Issuer:
    issuer = db.session.get(Issuer, issuer_id)
    if issuer is None:
        raise NotFound("Không có cơ quan này trong danh sách.")
    return issuer


def _refuse_same(key: str, *, but: int | None = None) -> None:
    same = db.session.scalars(select(Issuer).where(Issuer.key == key, Issuer.id != (but or 0))).first()
    if same is not None:
        raise Conflict(f"Danh sách đã có «{same.name}» (cùng tên, khác cách viết).", field="name")
