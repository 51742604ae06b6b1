"""Meetings: attendance and vote checks, adoption numbering documents, minutes, close, package."""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile

import pytest

from ancuu_docs.meetings.models import Decision
from ancuu_docs.meetings.services import ordinal
from tests import samples

CONFERENCE, ATTENDANCE = samples.CONFERENCE, samples.ATTENDANCE
VOTE = {"method": "Giơ tay", "in_favour": 14, "against": 0, "abstaining": 0}


def _draft(api, title, doc_type="NQ", text=None, role="secretariat", **fields):
    data = samples.docx([text or title])
    response = api.upload(role, title=title, doc_type=doc_type, data=data, **fields)
    assert response.status_code == 201, response.json
    return response.json


def _meeting(api, **changes):
    response = api("secretariat", "POST", "/meetings", json={**CONFERENCE, **changes})
    assert response.status_code == 201, response.json
    return response.json


def _item(api, meeting_id, title, document_id=None, **extra):
    body = {
        "title": title,
        "presenter": "Trần Thị Hoa",
        "presenter_position": "Chánh Văn phòng Đảng ủy",
        "document_id": document_id,
        **extra,
    }
    response = api("secretariat", "POST", f"/meetings/{meeting_id}/agenda", json=body)
    assert response.status_code == 201, response.json
    return response.json["agenda"][-1]


@pytest.fixture
def conference(api):
    """A held conference with two items linked to drafts."""
    resolution = _draft(api, "Nghị quyết về xây dựng lối sống đô thị văn minh")
    programme = _draft(api, "Chương trình làm việc toàn khóa", doc_type="CTr")
    api.transition("secretariat", programme["id"], "in_review")
    meeting = _meeting(api)
    first = _item(
        api,
        meeting["id"],
        "Thông qua Nghị quyết về lối sống đô thị văn minh",
        resolution["id"],
        discussion="Đồng chí Phan Văn Đức đề nghị bổ sung chỉ tiêu.",
    )
    second = _item(api, meeting["id"], "Thông qua Chương trình làm việc toàn khóa", programme["id"])
    held = api("secretariat", "POST", f"/meetings/{meeting['id']}/attendance", json=ATTENDANCE)
    assert held.status_code == 200 and held.json["status"] == "held"
    return {"meeting": meeting, "items": [first, second], "docs": [resolution, programme]}


def test_ordinal_words():
    assert [ordinal(n) for n in (1, 2, 4, 5, 10, 11, 14, 15, 20, 21, 24, 25)] == [
        "thứ nhất",
        "thứ hai",
        "thứ tư",
        "thứ năm",
        "thứ mười",
        "thứ mười một",
        "thứ mười bốn",
        "thứ mười lăm",
        "thứ hai mươi",
        "thứ hai mươi mốt",
        "thứ hai mươi tư",
        "thứ hai mươi lăm",
    ]


def test_meeting_record(api):
    meeting = _meeting(api)
    assert meeting["title"] == (
        "Hội nghị lần thứ hai (mở rộng) Ban Chấp hành Đảng bộ phường khóa I, nhiệm kỳ 2025 - 2030"
    )
    assert meeting["status"] == "planned" and meeting["date_text"] == "ngày 05 tháng 11 năm 2025"
    assert meeting["chair"] == {"name": "Nguyễn Văn Hùng", "position": "Bí thư Đảng ủy phường"}
    standing = _meeting(api, body="standing", ordinal=7, expanded=False)
    assert (
        standing["title"] == "Hội nghị lần thứ bảy Ban Thường vụ Đảng ủy phường khóa I, nhiệm kỳ 2025 - 2030"
    )
    listed = api("member", "GET", "/meetings").json
    assert {m["id"] for m in listed} == {meeting["id"], standing["id"]}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"date": "05/11/2025"}, "date"),
        ({"start_time": "25:00"}, "start_time"),
        ({"total_members": 0}, "total_members"),
        ({"body": "chi-bo"}, "body"),
        ({"place": ""}, "place"),
        ({"ordinal": "hai"}, "ordinal"),
    ],
)
def test_meeting_input_is_checked(api, change, field):
    response = api("secretariat", "POST", "/meetings", json={**CONFERENCE, **change})
    assert response.status_code == 400 and response.json["error"]


def test_attendance_must_add_up(api):
    meeting = _meeting(api)
    wrong = api(
        "secretariat",
        "POST",
        f"/meetings/{meeting['id']}/attendance",
        json={"present": 13, "absent": ATTENDANCE["absent"]},
    )
    assert wrong.status_code == 400
    assert "Có mặt 13 + vắng 1 phải bằng tổng số 15" in wrong.json["error"]
    no_reason = api(
        "secretariat",
        "POST",
        f"/meetings/{meeting['id']}/attendance",
        json={"present": 14, "absent": [{"name": "Lê Văn Cường", "reason": ""}]},
    )
    assert no_reason.status_code == 400
    assert api("secretariat", "GET", f"/meetings/{meeting['id']}").json["status"] == "planned"
    ok = api("secretariat", "POST", f"/meetings/{meeting['id']}/attendance", json=ATTENDANCE)
    assert (
        ok.json["present"] == 14 and ok.json["absent"] == ATTENDANCE["absent"] and ok.json["status"] == "held"
    )


def test_votes_must_add_up_to_those_present(api, conference):
    meeting_id, item = conference["meeting"]["id"], conference["items"][0]
    path = f"/meetings/{meeting_id}/agenda/{item['id']}/decision"
    response = api("secretariat", "POST", path, json={**VOTE, "in_favour": 13})
    assert response.status_code == 400
    assert "phải bằng số có mặt 14" in response.json["error"]
    response = api(
        "secretariat", "POST", path, json={**VOTE, "in_favour": 7, "against": 7, "outcome": "adopted"}
    )
    assert response.status_code == 400 and "chưa quá nửa" in response.json["error"]
    assert api("secretariat", "GET", f"/documents/{conference['docs'][0]['id']}").json["status"] == "draft"


def test_adoption_numbers_the_linked_document_in_the_same_transaction(api, conference):
    meeting_id, (first, second) = conference["meeting"]["id"], conference["items"]
    response = api("secretariat", "POST", f"/meetings/{meeting_id}/agenda/{first['id']}/decision", json=VOTE)
    assert response.status_code == 201
    item = response.json["agenda"][0]
    assert item["decision"]["outcome"] == "adopted"
    assert item["document"]["status"] == "approved" and item["document"]["number"] == "01-NQ/ĐU"
    doc = api("secretariat", "GET", f"/documents/{conference['docs'][0]['id']}").json
    assert doc["issue_date"] == "2025-11-05"  # the day of the conference
    rejected = api(
        "secretariat",
        "POST",
        f"/meetings/{meeting_id}/agenda/{second['id']}/decision",
        json={**VOTE, "in_favour": 5, "against": 9},
    )
    assert rejected.json["agenda"][1]["decision"]["outcome"] == "rejected"
    assert rejected.json["agenda"][1]["document"]["status"] == "in_review"
    again = api("secretariat", "POST", f"/meetings/{meeting_id}/agenda/{first['id']}/decision", json=VOTE)
    assert again.status_code == 409


def test_a_failed_approval_leaves_no_decision(app, api, conference):
    from ancuu_docs.extensions import db

    meeting_id, first = conference["meeting"]["id"], conference["items"][0]
    api.transition("secretariat", conference["docs"][0]["id"], "withdrawn")  # withdrawn before the vote
    response = api("secretariat", "POST", f"/meetings/{meeting_id}/agenda/{first['id']}/decision", json=VOTE)
    assert response.status_code == 409
    assert db.session.query(Decision).count() == 0
    assert api("secretariat", "GET", f"/meetings/{meeting_id}").json["agenda"][0]["decision"] is None


def test_minutes_carry_attendance_and_votes(api, conference):
    meeting_id, (first, second) = conference["meeting"]["id"], conference["items"]
    api(
        "secretariat",
        "POST",
        f"/meetings/{meeting_id}/agenda/{first['id']}/decision",
        json={**VOTE, "conclusion": "Hội nghị thống nhất thông qua"},
    )
    response = api("secretariat", "POST", f"/meetings/{meeting_id}/minutes")
    assert response.status_code == 201
    minutes = response.json
    assert minutes["doc_type"] == "BB" and minutes["status"] == "draft" and minutes["current_version"] == 1
    assert minutes["title"].startswith("Biên bản Hội nghị lần thứ hai (mở rộng)")
    from docx import Document

    file = api("secretariat", "GET", f"/documents/{minutes['id']}/versions/1/file").data
    document = Document(io.BytesIO(file))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Cấp ủy viên tổng số 15 đồng chí; có mặt 14 đồng chí; vắng 1 đồng chí." in text
    assert "- Vắng: đồng chí Lê Văn Cường (đi công tác)." in text
    assert "2.1. Thông qua Nghị quyết về lối sống đô thị văn minh" in text
    assert "Đồng chí Phan Văn Đức đề nghị bổ sung chỉ tiêu." in text
    assert "Đồng chí Trần Thị Hoa, Chánh Văn phòng Đảng ủy, trình bày" in text
    assert "- Chủ trì: đồng chí Nguyễn Văn Hùng - Bí thư Đảng ủy phường." in text
    assert (
        "4.1. Thông qua Nghị quyết về lối sống đô thị văn minh: biểu quyết bằng hình thức giơ tay; "
        "14/14 đồng chí có mặt tán thành, thống nhất 100%." in text
    )
    meeting = api("member", "GET", f"/meetings/{meeting_id}").json
    assert meeting["minutes"] is None  # a draft: members do not see it
    # Generating again after more decisions files the next version of the same document.
    api("secretariat", "POST", f"/meetings/{meeting_id}/agenda/{second['id']}/decision", json=VOTE)
    again = api("secretariat", "POST", f"/meetings/{meeting_id}/minutes").json
    assert again["id"] == minutes["id"] and again["current_version"] == 2


def test_close_needs_every_vote_then_approves_the_minutes(api, conference):
    meeting_id, (first, second) = conference["meeting"]["id"], conference["items"]
    api("secretariat", "POST", f"/meetings/{meeting_id}/agenda/{first['id']}/decision", json=VOTE)
    minutes = api("secretariat", "POST", f"/meetings/{meeting_id}/minutes").json
    early = api("secretariat", "POST", f"/meetings/{meeting_id}/close")
    assert early.status_code == 409 and "Chương trình làm việc toàn khóa" in early.json["error"]
    api.transition("secretariat", minutes["id"], "in_review")
    refused = api.transition("secretariat", minutes["id"], "approved")  # the same rule, from the minutes
    assert refused.status_code == 409
    assert api("secretariat", "GET", f"/documents/{minutes['id']}").json["number"] is None

    api("secretariat", "POST", f"/meetings/{meeting_id}/agenda/{second['id']}/decision", json=VOTE)
    closed = api("secretariat", "POST", f"/meetings/{meeting_id}/close")
    assert closed.status_code == 200 and closed.json["status"] == "closed"
    assert closed.json["minutes"]["status"] == "approved" and closed.json["minutes"]["number"] == "01-BB/ĐU"


def test_approving_the_minutes_closes_the_meeting(api, conference):
    meeting_id = conference["meeting"]["id"]
    for item in conference["items"]:
        api("secretariat", "POST", f"/meetings/{meeting_id}/agenda/{item['id']}/decision", json=VOTE)
    minutes = api("secretariat", "POST", f"/meetings/{meeting_id}/minutes").json
    api.transition("secretariat", minutes["id"], "in_review")
    assert api.transition("secretariat", minutes["id"], "approved").status_code == 200
    assert api("secretariat", "GET", f"/meetings/{meeting_id}").json["status"] == "closed"


def test_a_closed_meeting_refuses_changes(api, conference):
    meeting_id = conference["meeting"]["id"]
    for item in conference["items"]:
        api("secretariat", "POST", f"/meetings/{meeting_id}/agenda/{item['id']}/decision", json=VOTE)
    assert api("secretariat", "POST", f"/meetings/{meeting_id}/close").status_code == 200
    other = _draft(api, "Nghị quyết khác")
    attempts = [
        api(
            "secretariat",
            "POST",
            f"/meetings/{meeting_id}/agenda",
            json={"title": "Nội dung thêm", "presenter": "A", "document_id": other["id"]},
        ),
        api("secretariat", "POST", f"/meetings/{meeting_id}/attendance", json=ATTENDANCE),
        api("secretariat", "POST", f"/meetings/{meeting_id}/minutes"),
        api("secretariat", "POST", f"/meetings/{meeting_id}/close"),
    ]
    assert [r.status_code for r in attempts] == [409, 409, 409, 409]
    assert all("đã kết thúc" in r.json["error"] for r in attempts)
    assert len(api("secretariat", "GET", f"/meetings/{meeting_id}").json["agenda"]) == 2


def test_the_meetings_own_minutes_are_not_an_agenda_item(api, conference):
    meeting_id = conference["meeting"]["id"]
    minutes = api("secretariat", "POST", f"/meetings/{meeting_id}/minutes").json
    response = api(
        "secretariat",
        "POST",
        f"/meetings/{meeting_id}/agenda",
        json={"title": "Thông qua biên bản", "presenter": "A", "document_id": minutes["id"]},
    )
    assert response.status_code == 409 and "thông qua khi kết thúc hội nghị" in response.json["error"]


def test_supersession_through_replaces(api):
    old = _draft(api, "Nghị quyết về quản lý đất đai (2024)")
    api.transition("secretariat", old["id"], "in_review")
    old = api.transition("secretariat", old["id"], "approved").json
    new = _draft(api, "Nghị quyết về quản lý đất đai (2025)")
    response = api(
        "secretariat",
        "POST",
        f"/documents/{new['id']}/relations",
        json={"relation": "replaces", "target_id": old["id"]},
    )
    assert response.status_code == 201
    assert response.json["relations"]["outgoing"][0]["document"]["id"] == old["id"]
    incoming = api("secretariat", "GET", f"/documents/{old['id']}").json["relations"]["incoming"]
    assert incoming[0]["label"] == "Bị thay thế bởi" and incoming[0]["document"]["id"] == new["id"]
    api.transition("secretariat", new["id"], "in_review")
    api.transition("secretariat", new["id"], "approved")
    replaced = api("member", "GET", f"/documents/{old['id']}").json
    assert replaced["status"] == "superseded" and replaced["number"] == old["number"]


def test_outside_references_by_number(api, login):
    plan = _draft(api, "Kế hoạch triển khai Chỉ thị 46", doc_type="KH")
    response = api(
        "secretariat",
        "POST",
        f"/documents/{plan['id']}/relations",
        json={"relation": "implements", "target_number": "46-CT/TW"},
    )
    outgoing = response.json["relations"]["outgoing"]
    assert outgoing == [
        {"relation": "implements", "label": "Triển khai thực hiện", "document": None, "number": "46-CT/TW"}
    ]
    page = login("secretariat").get(f"/documents/{plan['id']}").get_data(as_text=True)
    assert "Triển khai thực hiện" in page and "46-CT/TW" in page
    bad = api(
        "secretariat",
        "POST",
        f"/documents/{plan['id']}/relations",
        json={"relation": "likes", "target_number": "1"},
    )
    assert bad.status_code == 400
    outside = api(
        "secretariat",
        "POST",
        f"/documents/{plan['id']}/relations",
        json={"relation": "replaces", "target_number": "01-NQ/ĐU"},
    )
    assert outside.status_code == 400
    assert (
        api(
            "member",
            "POST",
            f"/documents/{plan['id']}/relations",
            json={"relation": "refers_to", "target_number": "1"},
        ).status_code
        == 404
    )


def test_package_manifest_matches_the_files(api, accounts, conference):
    meeting_id = conference["meeting"]["id"]
    secret = _draft(api, "Phương án nhân sự (mật)", doc_type="TB", confidential="true")
    secret_item = _item(api, meeting_id, "Cho ý kiến phương án nhân sự", secret["id"])
    for item in [*conference["items"], secret_item]:
        api("secretariat", "POST", f"/meetings/{meeting_id}/agenda/{item['id']}/decision", json=VOTE)
    api("secretariat", "POST", f"/meetings/{meeting_id}/minutes")
    api("secretariat", "POST", f"/meetings/{meeting_id}/close")

    response = api("secretariat", "GET", f"/meetings/{meeting_id}/package")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    manifest = json.loads(archive.read("manifest.json"))
    entries = manifest["documents"]
    assert [e["number"] for e in entries] == ["01-NQ/ĐU", "01-CTr/ĐU", "01-TB/ĐU", "01-BB/ĐU"]
    assert entries[-1]["minutes"] is True
    for entry in entries:
        data = archive.read(entry["file"])
        assert hashlib.sha256(data).hexdigest() == entry["sha256"] and len(data) == entry["size"]
        assert entry["version"] >= 1 and entry["title"]
    assert sorted(archive.namelist()) == sorted([e["file"] for e in entries] + ["manifest.json"])
    # The minutes name the restricted plan: a member's package has neither.
    member = zipfile.ZipFile(io.BytesIO(api("member", "GET", f"/meetings/{meeting_id}/package").data))
    assert [e["number"] for e in json.loads(member.read("manifest.json"))["documents"]] == [
        "01-NQ/ĐU",
        "01-CTr/ĐU",
    ]


@pytest.mark.parametrize("role", ["member", "clerk"])
def test_members_read_meetings_only_the_office_changes_them(api, conference, role):
    meeting_id, item = conference["meeting"]["id"], conference["items"][0]
    assert api(role, "GET", f"/meetings/{meeting_id}").status_code == 200
    for method, path, body in [
        ("POST", "/meetings", CONFERENCE),
        ("POST", f"/meetings/{meeting_id}/agenda", {"title": "x", "presenter": "y"}),
        ("POST", f"/meetings/{meeting_id}/attendance", ATTENDANCE),
        ("POST", f"/meetings/{meeting_id}/agenda/{item['id']}/decision", VOTE),
        ("POST", f"/meetings/{meeting_id}/minutes", {}),
        ("POST", f"/meetings/{meeting_id}/close", {}),
    ]:
        assert api(role, method, path, json=body).status_code == 403, path
    # Drafts linked to the agenda stay hidden from members.
    linked = api(role, "GET", f"/meetings/{meeting_id}").json["agenda"][0]["document"]
    assert linked is None


def test_meetings_are_found_by_search(api, conference):
    result = api("member", "GET", "/search", query_string={"q": "hoi nghi lan thu hai mo rong"}).json
    meeting_hits = [h for h in result["hits"] if h["kind"] == "meeting"]
    assert meeting_hits and meeting_hits[0]["url"] == f"/meetings/{conference['meeting']['id']}"
    agenda = api("member", "GET", "/search", query_string={"q": "Phan Văn Đức bổ sung chỉ tiêu"}).json
    assert [h["kind"] for h in agenda["hits"]] == ["meeting"]


def test_meeting_pages(login, api, conference):
    client = login("secretariat")
    meeting_id = conference["meeting"]["id"]
    page = client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert "Hội nghị lần thứ hai (mở rộng)" in page and "Ghi biểu quyết" in page
    item = conference["items"][0]
    wrong = client.post(
        f"/meetings/{meeting_id}/agenda/{item['id']}/decision",
        data={"method": "Giơ tay", "in_favour": "3", "against": "0", "abstaining": "0", "confirm": "y"},
    )
    assert wrong.status_code == 400 and "phải bằng số có mặt 14" in wrong.get_data(as_text=True)
    ok = client.post(
        f"/meetings/{meeting_id}/agenda/{item['id']}/decision",
        data={"method": "Giơ tay", "in_favour": "14", "against": "0", "abstaining": "0", "confirm": "y"},
    )
    assert ok.status_code == 302
    assert "Số 01-NQ/ĐU" in client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    created = client.post("/meetings/new", data={**CONFERENCE, "ordinal": "3", "expanded": ""})
    assert created.status_code == 302
    twice = client.post("/meetings/new", data={**CONFERENCE, "ordinal": "3", "expanded": ""})
    assert twice.status_code == 409
    assert "Đã có Hội nghị lần thứ ba Ban Chấp hành" in twice.get_data(as_text=True)
    missing = client.post("/meetings/new", data={**CONFERENCE, "chair_name": ""})
    assert missing.status_code == 400 and "Cần nhập họ tên chủ trì." in missing.get_data(as_text=True)
    member = login("member")
    assert member.get("/meetings").status_code == 200
    assert member.get("/meetings/new").status_code == 403
    assert "Ghi biểu quyết" not in member.get(f"/meetings/{meeting_id}").get_data(as_text=True)


def test_exactly_half_in_favour_is_not_a_majority(api):
    """Adoption needs more than half of all members: 7 of 14 is not enough, 8 of 14 is."""
    meeting = _meeting(api, total_members=14)
    doc = _draft(api, "Nghị quyết về chuyển đổi số")
    half = _item(api, meeting["id"], "Thông qua Nghị quyết về chuyển đổi số", doc["id"])
    other = _item(api, meeting["id"], "Thông qua Kế hoạch tổ chức Tết")
    held = api(
        "secretariat", "POST", f"/meetings/{meeting['id']}/attendance", json={"present": 14, "absent": []}
    )
    assert held.status_code == 200, held.json

    split = {"method": "Giơ tay", "in_favour": 7, "against": 7, "abstaining": 0}
    path = f"/meetings/{meeting['id']}/agenda/{half['id']}/decision"
    forced = api("secretariat", "POST", path, json={**split, "outcome": "adopted"})
    assert forced.status_code == 400 and "chưa quá nửa tổng số 14" in forced.json["error"]
    decided = api("secretariat", "POST", path, json=split).json
    assert decided["agenda"][0]["decision"]["outcome"] == "rejected"
    assert api("secretariat", "GET", f"/documents/{doc['id']}").json["status"] == "draft"

    more = {"method": "Giơ tay", "in_favour": 8, "against": 6, "abstaining": 0}
    decided = api(
        "secretariat", "POST", f"/meetings/{meeting['id']}/agenda/{other['id']}/decision", json=more
    )
    assert decided.json["agenda"][1]["decision"]["outcome"] == "adopted"


def test_a_meeting_about_a_confidential_document_is_not_found_by_members(api):
    secret = _draft(api, "Phương án di dời chợ Cống", confidential="true")
    meeting = _meeting(api)
    _item(api, meeting["id"], "Thông qua phương án di dời chợ Cống", secret["id"])
    for role, found in (("member", False), ("clerk", False), ("secretariat", True)):
        hits = api(role, "GET", "/search", query_string={"q": "di dời chợ Cống"}).json["hits"]
        assert any(h["kind"] == "meeting" for h in hits) is found, role


def test_agenda_form_records_whether_the_item_is_voted_on(login, api):
    meeting = _meeting(api)
    client = login("secretariat")
    path = f"/meetings/{meeting['id']}/agenda"
    assert (
        client.post(path, data={"title": "Báo cáo tình hình", "presenter": "Trần Thị Hoa"}).status_code == 302
    )
    voted = {"title": "Thông qua Nghị quyết", "presenter": "Trần Thị Hoa", "requires_vote": "y"}
    assert client.post(path, data=voted).status_code == 302
    agenda = api("secretariat", "GET", f"/meetings/{meeting['id']}").json["agenda"]
    assert [item["requires_vote"] for item in agenda] == [False, True]


def test_meeting_forms_show_every_error_at_once(login, api):
    client = login("secretariat")
    response = client.post(
        "/meetings/new",
        data={**CONFERENCE, "expanded": "", "date": "5/11", "start_time": "25:00", "place": ""},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for message in (
        "Ngày họp không hợp lệ (dạng YYYY-MM-DD).",
        "Giờ bắt đầu không hợp lệ (dạng hh:mm).",
        "Cần nhập địa điểm.",
    ):
        assert message in page
    api_answer = api("secretariat", "POST", "/meetings", json={**CONFERENCE, "date": "5/11", "place": ""})
    assert api_answer.status_code == 400 and set(api_answer.json["errors"]) == {"date", "place"}

    meeting = _meeting(api)
    wrong = client.post(
        f"/meetings/{meeting['id']}/attendance",
        data={"present": "13", "absent-0-name": "Lê Văn Cường", "absent-0-reason": ""},
    )
    page = wrong.get_data(as_text=True)
    assert wrong.status_code == 400 and "Mỗi người vắng mặt cần cả họ tên và lý do." in page


def _form(page: str, action: str) -> str:
    form = re.search(rf'<form[^>]*action="{re.escape(action)}"[^>]*>(.*?)</form>', page, re.S)
    assert form, f"no form posting to {action}"
    return form.group(1)


def _field_names(page: str, action: str) -> set[str]:
    """The fields of the form that posts to `action` on a page."""
    return set(re.findall(r'name="([^"]+)"', _form(page, action)))


def _ticked(page: str, action: str, name: str) -> dict:
    """What a browser sends for a ticked checkbox: every input of that name, hidden ones
    included, in page order (a hidden "0" before the box is what the view would read)."""
    inputs = re.findall(rf'<input[^>]*name="{name}"[^>]*>', _form(page, action))
    assert inputs, f"no input {name}"
    values = [re.search(r'value="([^"]*)"', i).group(1) if "value=" in i else "on" for i in inputs]
    return {name: values}


def test_a_conference_adopts_a_document_through_the_web_forms(login, api):
    """What the secretariat does on the day, form by form: the conference, a voted item linked
    to a clerk's draft (chosen by its title), attendance, the vote, the minutes, closing."""
    from tests.test_drafting import FIELDS
    from tests.test_issuing import all_text

    clerk = login("clerk")
    drafted = clerk.post(
        "/drafts/resolution", data={**FIELDS["resolution"], "action": "generate", "target": "", "title": ""}
    )
    assert drafted.status_code == 302
    doc_id = int(drafted.headers["Location"].rsplit("/", 1)[1])
    assert clerk.post(f"/documents/{doc_id}/transitions", data={"to": "in_review"}).status_code == 302

    office = login("secretariat")
    created = office.post("/meetings/new", data={**CONFERENCE, "expanded": "y"})
    assert created.status_code == 302
    meeting_path = created.headers["Location"]
    page = office.get(meeting_path).get_data(as_text=True)
    # The draft is offered by its type and title, never as a number to type; the resolution
    # form opens already naming this conference.
    option = re.search(rf'<option value="{doc_id}">([^<]*)</option>', page).group(1)
    assert option == "Nghị quyết «Nghị quyết về xây dựng lối sống đô thị văn minh» (đang xem xét)"
    assert "meeting=H%E1%BB%99i+ngh%E1%BB%8B+l%E1%BA%A7n+th%E1%BB%A9+hai" in page
    assert "Ghi biểu quyết" not in page and "Biên bản và kết thúc" not in page  # not yet held
    agenda = {
        "title": "Thông qua Nghị quyết về xây dựng lối sống đô thị văn minh",
        "presenter": "Trần Thị Hoa",
        "presenter_position": "Chánh Văn phòng Đảng ủy",
        "document_id": str(doc_id),
        "discussion": "Đồng chí Phan Văn Đức đề nghị bổ sung chỉ tiêu.",
    }
    assert set(agenda) <= _field_names(page, f"{meeting_path}/agenda")
    # "Có biểu quyết" ticked, sent as the page's inputs are (no hidden value before the box).
    agenda.update(_ticked(page, f"{meeting_path}/agenda", "requires_vote"))
    assert office.post(f"{meeting_path}/agenda", data=agenda).status_code == 302

    page = office.get(meeting_path).get_data(as_text=True)
    assert '<th scope="col">Họ tên người vắng</th>' in page and '<th scope="col">Lý do vắng</th>' in page
    attendance = {"present": "14", "absent-0-name": "Lê Văn Cường", "absent-0-reason": "đi công tác"}
    assert set(attendance) <= _field_names(page, f"{meeting_path}/attendance")
    assert office.post(f"{meeting_path}/attendance", data=attendance).status_code == 302

    page = office.get(meeting_path).get_data(as_text=True)
    assert "Ghi thành phần, chuyển sang «Đã họp»" not in page  # held: attendance is a correction now
    item_id = re.search(r'action="' + re.escape(meeting_path) + r'/agenda/(\d+)/decision"', page).group(1)
    vote = {"method": "Giơ tay", "in_favour": "13", "against": "1", "abstaining": "0"}
    decision_path = f"{meeting_path}/agenda/{item_id}/decision"
    assert set(vote) | {"confirm"} <= _field_names(page, decision_path)
    unconfirmed = office.post(decision_path, data=vote)
    assert unconfirmed.status_code == 400
    assert "Hãy đánh dấu ô xác nhận: kết quả biểu quyết không sửa được." in unconfirmed.get_data(as_text=True)
    assert api("secretariat", "GET", f"/documents/{doc_id}").json["status"] == "in_review"
    assert office.post(decision_path, data={**vote, "confirm": "y"}).status_code == 302

    doc = api("secretariat", "GET", f"/documents/{doc_id}").json
    assert doc["status"] == "approved" and doc["number"] == "01-NQ/ĐU" and doc["issue_date"] == "2025-11-05"
    assert doc["versions"][-1]["comment"] == "Bản ban hành"
    issued = api("secretariat", "GET", f"/documents/{doc_id}/versions/{doc['current_version']}/file").data
    text = all_text(issued)
    assert "Số 01-NQ/ĐU" in text and "An Cựu, ngày 05 tháng 11 năm 2025" in text and "DỰ THẢO" not in text

    page = office.get(meeting_path).get_data(as_text=True)
    assert "Sửa thành phần dự họp" not in page  # a vote is recorded: attendance is settled
    assert office.post(f"{meeting_path}/minutes", data={}).status_code == 302
    page = office.get(meeting_path).get_data(as_text=True)
    options = re.findall(r"<option[^>]*>([^<]*)</option>", page)
    assert not any("Biên bản" in option for option in options)  # its own minutes are not on offer
    refused = office.post(f"{meeting_path}/close", data={})
    assert refused.status_code == 400 and "kết thúc hội nghị không hoàn tác được" in refused.get_data(
        as_text=True
    )
    assert office.post(f"{meeting_path}/close", data={"confirm": "y"}).status_code == 302
    meeting = api("secretariat", "GET", meeting_path).json
    assert meeting["status"] == "closed" and meeting["minutes"]["number"] == "01-BB/ĐU"
    page = office.get(meeting_path).get_data(as_text=True)
    assert "Thêm nội dung" not in page and "Ghi thành phần" not in page and "Kết thúc hội nghị" not in page


def test_upgrading_a_database_with_a_repeated_ordinal_says_which(tmp_path, capfd):
    """Earlier versions let "lần thứ hai" be recorded twice; the migration that forbids it
    names the repeats instead of failing on the constraint."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from ancuu_docs import create_app
    from ancuu_docs.extensions import db

    app = create_app({"SECRET_KEY": "t", "UPLOAD_FOLDER": str(tmp_path / "up")}, instance_path=tmp_path)
    with app.app_context():
        upgrade(revision="0006")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO users (id, username, display_name, role, password_hash, active, created_at) "
                    "VALUES (1, 'hoa', 'Hoa', 'secretariat', 'x', 1, '2025-11-05 00:00:00')"
                )
            )
            for meeting_id in (1, 2):
                connection.execute(
                    text(
                        "INSERT INTO meetings (id, term, body, ordinal, expanded, date, start_time, place, "
                        "chair_name, chair_position, secretary_name, secretary_position, total_members, "
                        "guests, status, created_by_id, created_at, updated_at) VALUES (:id, '2025-2030', "
                        "'executive', 2, 0, '2025-11-05', '08:00:00', 'x', 'a', 'b', 'c', 'd', 15, '', "
                        "'planned', 1, '2025-11-05 00:00:00', '2025-11-05 00:00:00')"
                    ),
                    {"id": meeting_id},
                )
        with pytest.raises(SystemExit):  # Flask-Migrate logs the error and exits
            upgrade()
        assert (
            "có hội nghị trùng lần họp (nhiệm kỳ 2025-2030, executive, lần 2: 2 hội nghị)"
            in capfd.readouterr().err
        )
        db.engine.dispose()


def _member_sees(api, login, meeting_id) -> str:
    """Everything a member reads about a meeting: its page, its JSON, the home page, search."""
    client = login("member")
    parts = [
        client.get(f"/meetings/{meeting_id}").get_data(as_text=True),
        json.dumps(api("member", "GET", f"/meetings/{meeting_id}").json, ensure_ascii=False),
        client.get("/").get_data(as_text=True),
        json.dumps(api("member", "GET", "/search", query_string={"q": "nhân sự"}).json, ensure_ascii=False),
    ]
    return "\n".join(parts)


def test_a_restricted_draft_is_never_named_to_members_nor_by_the_minutes(api, login, conference):
    """The agenda item keeps its place ("Nội dung hạn chế"), the minutes that name the draft
    are restricted with it: members neither read nor find them, nor get them in the package."""
    meeting_id = conference["meeting"]["id"]
    plan = _draft(api, "Phương án nhân sự khóa mới", doc_type="TB", confidential="true")
    item = _item(
        api, meeting_id, "Cho ý kiến Phương án nhân sự khóa mới", plan["id"], discussion="Thảo luận nhân sự."
    )
    for each in [*conference["items"], item]:
        api("secretariat", "POST", f"/meetings/{meeting_id}/agenda/{each['id']}/decision", json=VOTE)
    minutes = api("secretariat", "POST", f"/meetings/{meeting_id}/minutes").json
    assert minutes["confidential"] is True
    assert api("secretariat", "POST", f"/meetings/{meeting_id}/close").status_code == 200
    assert api("secretariat", "GET", f"/documents/{minutes['id']}").json["status"] == "approved"

    seen = _member_sees(api, login, meeting_id)
    assert "nhân sự" not in seen.lower() and "Nội dung hạn chế" in seen
    assert api("member", "GET", f"/documents/{minutes['id']}").status_code == 404
    assert api("member", "GET", "/search", query_string={"q": "biên bản"}).json["total"] == 0
    office = api("secretariat", "GET", f"/meetings/{meeting_id}").json
    assert office["agenda"][-1]["title"] == "Cho ý kiến Phương án nhân sự khóa mới"


def test_restricting_a_draft_later_restricts_the_minutes_that_name_it(api, login, conference):
    meeting_id = conference["meeting"]["id"]
    plan = _draft(api, "Phương án nhân sự khóa mới", doc_type="TB")
    _item(api, meeting_id, "Cho ý kiến Phương án nhân sự khóa mới", plan["id"])
    minutes = api("secretariat", "POST", f"/meetings/{meeting_id}/minutes").json
    assert minutes["confidential"] is False
    api("secretariat", "PATCH", f"/documents/{plan['id']}", json={"confidential": True})
    assert api("secretariat", "GET", f"/documents/{minutes['id']}").json["confidential"] is True
    assert "nhân sự" not in _member_sees(api, login, meeting_id).lower()
    # Drafted again, the minutes stay restricted.
    again = api("secretariat", "POST", f"/meetings/{meeting_id}/minutes").json
    assert again["id"] == minutes["id"] and again["confidential"] is True


def test_the_next_conference_on_a_members_home_page_unnames_a_restricted_item(api, login):
    from datetime import timedelta

    from ancuu_docs.timeutil import local_today

    plan = _draft(api, "Phương án nhân sự khóa mới", doc_type="TB", confidential="true")
    meeting = _meeting(api, ordinal=3, date=(local_today() + timedelta(days=7)).isoformat())
    _item(api, meeting["id"], "Cho ý kiến Phương án nhân sự khóa mới", plan["id"])
    _item(api, meeting["id"], "Sơ kết công tác quý IV")
    home = login("member").get("/").get_data(as_text=True)
    assert "Sơ kết công tác quý IV" in home and "Nội dung hạn chế" in home and "nhân sự" not in home
    assert "Phương án nhân sự khóa mới" in login("secretariat").get("/").get_data(as_text=True)
