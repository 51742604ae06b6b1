"""Lifecycle draft -> in_review -> approved, numbering on approval, approved is read-only."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from ancuu_docs.database import locked_counter, unit_of_work
from ancuu_docs.documents import services
from ancuu_docs.documents.commands import Move, NewDocument
from ancuu_docs.documents.models import Document, NumberCounter
from ancuu_docs.extensions import db
from tests import samples
from tests.conftest import ON_POSTGRESQL
from tests.processes import wait_for


def _approve(api, doc_id, role="secretariat"):
    assert api.transition(role, doc_id, "in_review").status_code == 200
    return api.transition(role, doc_id, "approved")


def test_full_lifecycle_numbers_the_document_on_approval(api):
    doc = api.upload("secretariat").json
    assert doc["status"] == "draft" and doc["number"] is None

    response = api.transition("secretariat", doc["id"], "in_review")
    assert response.status_code == 200 and response.json["status"] == "in_review"
    assert response.json["number"] is None

    response = api.transition("secretariat", doc["id"], "approved")
    assert response.status_code == 200
    assert response.json["status"] == "approved"
    assert response.json["number"] == "01-NQ/ĐU"
    assert response.json["issue_date"] is not None


def test_numbers_run_per_type_with_two_digits(api):
    numbers = []
    for doc_type in ("NQ", "NQ", "BC", "NQ", "CTr"):
        doc = api.upload(
            "secretariat", doc_type=doc_type, data=samples.docx([f"Văn bản {len(numbers)}"])
        ).json
        numbers.append(_approve(api, doc["id"]).json["number"])
    assert numbers == ["01-NQ/ĐU", "02-NQ/ĐU", "01-BC/ĐU", "03-NQ/ĐU", "01-CTr/ĐU"]


def test_numbers_run_per_term(app, api):
    first = api.upload("secretariat", data=samples.docx(["Khóa I"])).json
    assert _approve(api, first["id"]).json["number"] == "01-NQ/ĐU"
    app.config["PARTY_TERM"] = "2030-2035"
    second = api.upload("secretariat", data=samples.docx(["Khóa II"])).json
    assert second["term"] == "2030-2035"
    assert _approve(api, second["id"]).json["number"] == "01-NQ/ĐU"


def test_a_number_is_never_reused(api):
    first = api.upload("secretariat", data=samples.docx(["Một"])).json
    _approve(api, first["id"])
    withdrawn = api.upload("secretariat", data=samples.docx(["Hai"])).json
    api.transition("secretariat", withdrawn["id"], "in_review")
    assert api.transition("secretariat", withdrawn["id"], "withdrawn").json["number"] is None
    third = api.upload("secretariat", data=samples.docx(["Ba"])).json
    assert _approve(api, third["id"]).json["number"] == "02-NQ/ĐU"
    # Approving again is refused, so the document never gets a second number.
    again = api.transition("secretariat", third["id"], "approved")
    assert again.status_code == 409
    assert api("secretariat", "GET", f"/documents/{third['id']}").json["number"] == "02-NQ/ĐU"


def test_returned_for_rework_and_withdrawn(api):
    doc = api.upload("secretariat").json
    api.transition("secretariat", doc["id"], "in_review")
    assert api.transition("secretariat", doc["id"], "draft").json["status"] == "draft"
    assert api.transition("secretariat", doc["id"], "withdrawn").json["status"] == "withdrawn"
    # Withdrawn is final.
    response = api.transition("secretariat", doc["id"], "in_review")
    assert response.status_code == 409
    assert "Đã rút" in response.json["error"]


def test_illegal_transitions_are_refused(api):
    doc = api.upload("secretariat").json
    response = api.transition("secretariat", doc["id"], "approved")  # draft cannot skip review
    assert response.status_code == 409
    assert api("secretariat", "GET", f"/documents/{doc['id']}").json["status"] == "draft"
    response = api.transition("secretariat", doc["id"], "published")
    assert response.status_code == 400
    response = api("secretariat", "POST", f"/documents/{doc['id']}/transitions", data="no json")
    assert response.status_code == 400


def test_approved_document_is_read_only(api):
    doc = api.upload("secretariat").json
    _approve(api, doc["id"])
    response = api.add_version(
        "secretariat", doc["id"], samples.docx(["Sửa sau khi ban hành"]), base_version=1
    )
    assert response.status_code == 409
    response = api("secretariat", "PATCH", f"/documents/{doc['id']}", json={"title": "Tên mới"})
    assert response.status_code == 409
    restored = api(
        "secretariat", "POST", f"/documents/{doc['id']}/versions/1/restore", json={"base_version": 1}
    )
    assert restored.status_code == 409
    after = api("secretariat", "GET", f"/documents/{doc['id']}").json
    assert after["title"] == doc["title"] and after["current_version"] == 1


def test_metadata_edit_before_approval(api):
    doc = api.upload("secretariat").json
    response = api(
        "secretariat",
        "PATCH",
        f"/documents/{doc['id']}",
        json={"title": "Nghị quyết về đô thị văn minh", "signer": "Nguyễn Văn A", "confidential": True},
    )
    assert response.status_code == 200
    assert response.json["title"] == "Nghị quyết về đô thị văn minh"
    assert response.json["signer"] == "Nguyễn Văn A" and response.json["confidential"] is True
    response = api("secretariat", "PATCH", f"/documents/{doc['id']}", json={"title": "  "})
    assert response.status_code == 400


def test_two_concurrent_approvals_get_distinct_numbers(app, accounts):
    """Two threads, each with its own database connection, approve at the same moment."""
    office = accounts["secretariat"].user
    ids = []
    for i in range(6):
        doc = services.create_document(
            office,
            NewDocument.of(title=f"Nghị quyết {i}", doc_type="NQ"),
            services.Upload(samples.docx([f"Nghị quyết {i}"]), "nq.docx"),
        )
        services.transition(office, doc.id, Move.of(to="in_review"))
        ids.append(doc.id)
    db.session.remove()

    barrier = threading.Barrier(len(ids))
    errors: list[BaseException] = []

    def approve(doc_id: int) -> None:
        with app.app_context():
            try:
                actor = accounts["secretariat"].user
                barrier.wait()
                services.transition(actor, doc_id, Move.of(to="approved"))
            except BaseException as exc:  # reported below, with the failing thread's error
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=approve, args=(doc_id,)) for doc_id in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    numbers = sorted(db.session.get(Document, doc_id).number for doc_id in ids)
    assert numbers == [f"{n:02d}-NQ/ĐU" for n in range(1, len(ids) + 1)]


def test_a_clerk_sends_their_own_draft_to_review_and_may_take_it_back(api, login):
    own = api.upload("clerk", title="Dự thảo kế hoạch của văn thư", doc_type="KH").json
    others = api.upload("secretariat", title="Dự thảo của văn phòng", doc_type="KH").json
    assert api.transition("clerk", own["id"], "in_review").status_code == 200
    assert api.transition("clerk", own["id"], "approved").status_code == 403  # the office approves
    assert api.transition("clerk", own["id"], "withdrawn").status_code == 403
    assert api.transition("clerk", own["id"], "draft").status_code == 200  # taken back
    assert api.transition("clerk", others["id"], "in_review").status_code == 404  # not theirs to see
    api.transition("secretariat", others["id"], "in_review")
    assert api.transition("clerk", others["id"], "draft").status_code == 404  # in review: still not theirs
    # The page offers the clerk exactly the steps they may take, and the button works.
    client = login("clerk")
    page = client.get(f"/documents/{own['id']}").get_data(as_text=True)
    assert "Gửi xem xét" in page and "Phê duyệt và cấp số" not in page and "Rút văn bản" not in page
    pressed = client.post(f"/documents/{own['id']}/transitions", data={"to": "in_review"})
    assert pressed.status_code == 302
    assert api("clerk", "GET", f"/documents/{own['id']}").json["status"] == "in_review"
    page = client.get(f"/documents/{own['id']}").get_data(as_text=True)
    assert "Trả lại để sửa" in page and "Phê duyệt và cấp số" not in page


@pytest.mark.skipif(not ON_POSTGRESQL, reason="SQLite locks the whole database: the row lock is PostgreSQL's")
def test_the_counter_row_is_locked_until_its_transaction_ends(app):
    """Two connections take the same counter: the second waits on the first's row lock (seen
    in pg_stat_activity), then reads the value the first committed, so none is given twice."""
    with unit_of_work():  # the counter exists already, as after the term's first number
        locked_counter(NumberCounter, term="2025-2030", doc_type="NQ")
    held, taken, release = threading.Event(), [], threading.Event()

    def take(wait_for_release: bool) -> None:
        with app.app_context():
            try:
                with unit_of_work():
                    counter = locked_counter(NumberCounter, term="2025-2030", doc_type="NQ")
                    if wait_for_release:
                        held.set()
                        release.wait(30)
                    counter.last_value += 1
                    taken.append(counter.last_value)
            finally:
                db.session.remove()

    first = threading.Thread(target=take, args=(True,))
    first.start()
    assert held.wait(30)
    second = threading.Thread(target=take, args=(False,))
    second.start()
    waiting = text(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    try:
        assert wait_for(lambda: db.session.scalar(waiting) == 1), "the second connection never waited"
        assert taken == []
    finally:
        release.set()
        for thread in (first, second):
            thread.join(30)
    assert taken == [1, 2]
