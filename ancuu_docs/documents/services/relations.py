"""Relations between documents: amends, replaces, implements, refers to."""

from __future__ import annotations

from sqlalchemy import select

from ...audit.services import record
from ...auth.models import User
from ...database import unit_of_work
from ...errors import InvalidInput
from ...extensions import db
from ...signals import document_updated
from ..commands import NewRelation
from ..models import Document, DocumentRelation
from ..schemas import document_brief
from ..types import Origin, Relation
from .reading import get_document
from .versions import check_can_edit, lock_document


def add_relation(actor: User, document_id: int, link: NewRelation) -> DocumentRelation:
    """Record that a document amends, replaces, implements or refers to another one: a
    document of the registry, or an outside one by its number only ("46-CT/TW")."""
    doc = get_document(actor, document_id)
    check_can_edit(actor, doc, "thêm quan hệ")
    kind, number = link.relation, link.target_number
    target = None
    if link.target_id is not None:
        target = get_document(actor, link.target_id)
        if target.id == doc.id:
            raise InvalidInput("Văn bản không thể liên quan đến chính nó.", field="target_id")
    if kind == Relation.REPLACES and target is None:
        raise InvalidInput("Quan hệ «thay thế» cần một văn bản trong sổ.", field="target_id")
    if (
        kind in (Relation.REPLACES, Relation.AMENDS)
        and target is not None
        and target.origin != Origin.INTERNAL
    ):
        raise InvalidInput(
            "Văn bản của Đảng ủy chỉ thay thế, sửa đổi văn bản của Đảng ủy; với văn bản cấp trên dùng "
            "«thực hiện» hoặc «dẫn chiếu».",
            field="target_id",
        )

    with unit_of_work():
        locked = lock_document(document_id)
        row = DocumentRelation(
            source_id=locked.id,
            relation=kind,
            target_id=target.id if target else None,
            target_number=None if target else number,
            created_by_id=actor.id,
        )
        db.session.add(row)
        db.session.flush()
        described = {"relation": kind.value, "target": target.number or target.title if target else number}
        record(actor, "document.relation", locked, **described)
        document_updated.send(locked, actor=actor, changes=described)
    return row


def relations(actor: User, doc: Document) -> dict[str, list[dict]]:
    """Both directions, as readers see them: links to documents they may not read are left out."""
    outgoing = db.session.scalars(select(DocumentRelation).where(DocumentRelation.source_id == doc.id))
    incoming = db.session.scalars(select(DocumentRelation).where(DocumentRelation.target_id == doc.id))
    result: dict[str, list[dict]] = {"outgoing": [], "incoming": []}
    for link in outgoing:
        target = document_brief(actor, link.target)
        if link.target_id is not None and target is None:
            continue
        result["outgoing"].append(
            {
                "relation": link.relation,
                "label": Relation(link.relation).label,
                "document": target,
                "number": link.target_number or (target or {}).get("number"),
            }
        )
    for link in incoming:
        source = document_brief(actor, link.source)
        if source is None:
            continue
        result["incoming"].append(
            {
                "relation": link.relation,
                "label": Relation(link.relation).inverse_label,
                "document": source,
                "number": source["number"],
            }
        )
    return result
