"""Documents from outside, our own from before the system, and secret ones by metadata only."""

from __future__ import annotations

import threading

from ancuu_docs.documents.models import ArrivalCounter, Document, NumberCounter
from ancuu_docs.extensions import db
from tests import samples
from tests.conftest import uploads_files

DIRECTIVE = {
    "origin": "incoming",
    "doc_type": "CT",
    "title": "Chỉ thị về lãnh đạo cuộc bầu cử đại biểu Quốc hội khóa XVI và đại biểu Hội đồng nhân dân",
    "number": "46-CT/TW",
    "issuer": "Bộ Chính trị",
    "issue_date": "2025-06-16",
    "received_date": "2025-06-20",
    "urgency": "khan",
    "handler": "Trần Thị Hoa",
    "reply_due": "2025-07-15",
}


def register(api, role="secretariat", file=None, **fields):
    if file is None:
        return api(role, "POST", "/documents", json=fields)
    form = {**fields, "file": (samples.stream(file), "scan.pdf")}
    return api(role, "POST", "/documents", data=form, content_type="multipart/form-data")


def test_an_incoming_directive_is_registered_with_its_printed_number_and_an_arrival_number(api):
    response = register(api, file=samples.pdf(["Chi thi 46-CT/TW cua Bo Chinh tri ve bau cu"]), **DIRECTIVE)
    assert response.status_code == 201, response.json
    doc = response.json
    assert doc["origin"] == "incoming" and doc["number"] == "46-CT/TW" and doc["issuer"] == "Bộ Chính trị"
    assert (doc["arrival_year"], doc["arrival_number"]) == (2025, 1)
    assert doc["status"] == "approved" and doc["issue_date"] == "2025-06-16" and doc["current_version"] == 1
    assert doc["urgency"] == "khan" and doc["reply_due"] == "2025-07-15"
    # Our counter never numbers it.
    db.session.rollback()
    assert db.session.query(NumberCounter).count() == 0
    ours = api.upload("secretariat", doc_type="CT").json
    api.transition("secretariat", ours["id"], "in_review")
    assert api.transition("secretariat", ours["id"], "approved").json["number"] == "01-CT/ĐU"
    # A member finds it by its number as typed, and reads it.
    hits = api("member", "GET", "/search", query_string={"q": "46-ct/tw"}).json["hits"]
    assert [h["id"] for h in hits] == [doc["id"]]
    assert api("member", "GET", f"/documents/{doc['id']}").status_code == 200
    # The next arrival of the year is number 2; a new year starts again at 1.
    second = register(api, **{**DIRECTIVE, "number": "12-NQ/TU", "issuer": "Thành ủy Huế"}).json
    assert second["arrival_number"] == 2 and second["current_version"] is None  # metadata only
    next_year = register(
        api, **{**DIRECTIVE, "number": "01-HD/TU", "issue_date": "2026-01-05", "received_date": "2026-01-06"}
    )
    assert (next_year.json["arrival_year"], next_year.json["arrival_number"]) == (2026, 1)


def test_our_numbers_from_before_are_claimed_once_and_move_the_counter(api):
    old_term = {
        "origin": "internal",
        "doc_type": "NQ",
        "title": "Nghị quyết về quản lý đất đai",
        "number": "05-NQ/ĐU",
        "issue_date": "2023-04-10",
        "term": "2020-2025",
    }
    assert register(api, **old_term).status_code == 201
    again = register(api, **old_term)
    assert (
        again.status_code == 409
        and "Số 05-NQ/ĐU của nhiệm kỳ 2020-2025 đã có trong sổ." in again.json["error"]
    )
    current = {**old_term, "number": "07-NQ/ĐU", "issue_date": "2025-10-01", "term": "2025-2030"}
    registered = register(api, **current).json
    assert registered["number"] == "07-NQ/ĐU" and registered["origin"] == "internal"
    draft = api.upload("secretariat").json
    api.transition("secretariat", draft["id"], "in_review")
    assert api.transition("secretariat", draft["id"], "approved").json["number"] == "08-NQ/ĐU"
    wrong_type = register(api, **{**current, "number": "09-BC/ĐU"})
    assert wrong_type.status_code == 400 and "không khớp loại văn bản" in wrong_type.json["error"]
    other_body = register(api, **{**current, "number": "09-NQ/TU"})
    assert other_body.status_code == 400 and "đăng ký là văn bản đến" in other_body.json["error"]


def test_a_secret_entry_with_a_file_is_refused_and_leaves_nothing(app, api):
    before = len(uploads_files(app))
    secret = {**DIRECTIVE, "number": "15-CV/TU", "security_level": "mat"}
    refused = register(api, file=samples.pdf(["noi dung mat"]), **secret)
    assert refused.status_code == 400 and "không được lưu trên hệ thống nối mạng" in refused.json["error"]
    db.session.rollback()
    assert db.session.query(Document).count() == 0 and len(uploads_files(app)) == before
    assert db.session.query(ArrivalCounter).count() == 0  # no arrival number spent
    entry = register(api, **secret)
    assert entry.status_code == 201 and entry.json["current_version"] is None
    adding = api.add_version("secretariat", entry.json["id"], samples.docx(["x"]), base_version=0)
    assert adding.status_code == 409 and "Văn bản mật chỉ đăng ký thông tin" in adding.json["error"]


def test_a_top_secret_entry_is_invisible_to_members_everywhere(api, login):
    entry = register(
        api, **{**DIRECTIVE, "number": "03-CV/TU", "title": "", "security_level": "tuyet_mat"}
    ).json
    assert entry["title"] == "" and entry["security_level"] == "tuyet_mat"
    page = login("secretariat").get(f"/documents/{entry['id']}").get_data(as_text=True)
    assert "(trích yếu không ghi)" in page and "Tuyệt mật" in page
    assert api("secretariat", "GET", f"/documents/{entry['id']}").status_code == 200
    for role in ("member", "clerk"):
        assert api(role, "GET", f"/documents/{entry['id']}").status_code == 404
        listed = api(role, "GET", "/documents").json["documents"]
        assert entry["id"] not in [d["id"] for d in listed]
        hits = api(role, "GET", "/search", query_string={"q": "03-CV/TU"}).json["hits"]
        assert entry["id"] not in [h["id"] for h in hits]
    office_hits = api("secretariat", "GET", "/search", query_string={"q": "03-CV/TU"}).json["hits"]
    assert [h["id"] for h in office_hits] == [entry["id"]]


def test_registration_is_the_offices_and_bad_input_is_400_per_field(api):
    assert register(api, role="clerk", **DIRECTIVE).status_code == 403
    assert register(api, role="member", **DIRECTIVE).status_code == 403
    response = register(
        api, origin="incoming", doc_type="XX", number="", issue_date="2099-01-01", received_date="hôm qua"
    )
    assert response.status_code == 400
    errors = response.json["errors"]
    assert set(errors) >= {"doc_type", "number", "issuer", "title", "received_date"}
    late = register(api, **{**DIRECTIVE, "issue_date": "2025-07-01", "received_date": "2025-06-20"})
    assert late.status_code == 400 and "Ngày đến không được trước ngày ban hành." in late.json["error"]


def test_concurrent_registrations_get_distinct_gapless_arrival_numbers(app, api):
    results, errors = [], []

    def one(i: int) -> None:
        with app.app_context():
            response = register(api, **{**DIRECTIVE, "number": f"{i}-CV/TU", "title": f"Công văn {i}"})
            (results if response.status_code == 201 else errors).append(response)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(1, 13)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, [e.json for e in errors]
    assert sorted(r.json["arrival_number"] for r in results) == list(range(1, 13))


def test_the_register_form_registers_an_incoming_scan_and_shows_errors_beside_fields(login, api):
    client = login("secretariat")
    page = client.get("/documents/register").get_data(as_text=True)
    assert '<option value="Bộ Chính trị">' in page and 'name="security_level"' in page
    bad = client.post("/documents/register", data={"origin": "incoming", "doc_type": "CT", "number": ""})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "Cần nhập số, ký hiệu." in text and "Cần nhập ngày ban hành." in text
    form = {
        **{k: v for k, v in DIRECTIVE.items()},
        "security_level": "none",
        "file": (samples.stream(samples.pdf(["Chi thi 46-CT/TW"])), "46-CT-TW.pdf"),
    }
    done = client.post(
        "/documents/register", data=form, content_type="multipart/form-data", follow_redirects=True
    )
    text = done.get_data(as_text=True)
    assert "Đã đăng ký văn bản số 46-CT/TW. Số đến 1/2025." in text
    assert (
        "Bộ Chính trị" in text and "Văn bản đến" in text and "Khẩn" in text and "Tải về phiên bản 1" in text
    )
    secret = {**form, "number": "15-CV/TU", "security_level": "mat"}
    secret["file"] = (samples.stream(samples.pdf(["mat"])), "mat.pdf")
    refused = client.post("/documents/register", data=secret, content_type="multipart/form-data")
    assert refused.status_code == 400
    assert "không được lưu trên hệ thống nối mạng" in refused.get_data(as_text=True)
    assert login("clerk").get("/documents/register").status_code == 403
