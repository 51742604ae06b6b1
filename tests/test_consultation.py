"""Comments on drafts (lấy ý kiến): the office circulates a draft in review to a group with a
deadline; those asked read it in the page and answer per version; the office sees the tally."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from html import unescape

import pytest
from docx import Document as Docx

from ancuu_docs.auth import services as users
from ancuu_docs.auth.commands import NewUser, UserChange
from ancuu_docs.consultation.models import Consultation
from ancuu_docs.database import unit_of_work
from ancuu_docs.extensions import db
from ancuu_docs.timeutil import local_today, utcnow
from tests import samples
from tests.conftest import Account

COMMITTEE = {"uyvien-mot": "executive", "uyvien-hai": "executive", "thuongvu": "standing"}


@pytest.fixture
def committee(accounts) -> dict[str, Account]:
    """Three committee members (one of the standing committee) beside the plain member."""
    for username, committee in COMMITTEE.items():
        password = f"{username}-password"
        user = users.create_user(
            None,
            NewUser.of(
                username=username, role="member", password=password, display_name=f"Đồng chí {username}"
            ),
        )
        users.update_user(None, user.id, UserChange.of(committee=committee))
        accounts[username] = Account(user.id, username, password, users.issue_token(None, user.id), "member")
    return accounts


def _in_review(api, text="Dự thảo nghị quyết về chuyển đổi số, phiên bản một.") -> int:
    doc = api.upload("secretariat", title="Nghị quyết về chuyển đổi số", data=samples.docx([text])).json
    assert api.transition("secretariat", doc["id"], "in_review").status_code == 200
    return doc["id"]


def _deadline(days: int = 7) -> str:
    return (local_today() + timedelta(days=days)).isoformat()


def _open_api(api, doc_id: int, **body):
    """Opens a round through the API: the office asks, with a deadline a week away unless told."""
    return api(
        "secretariat", "POST", f"/documents/{doc_id}/consultations", json={"deadline": _deadline(), **body}
    )


def _open(client, doc_id: int, **fields):
    return client.post(f"/documents/{doc_id}/consultations/new", data={"deadline": _deadline(), **fields})


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def test_two_members_answer_and_the_office_sees_the_tally(api, login, committee):
    doc_id = _in_review(api)
    office = login("secretariat")
    form_page = _text(office.get(f"/documents/{doc_id}"))
    assert "Lấy ý kiến về dự thảo" in form_page
    opened = _open(office, doc_id, group="executive", question="Đề nghị góp ý vào dự thảo.")
    assert opened.status_code == 302, _text(opened)
    consultation_url = opened.headers["Location"]

    # Not asked: the plain member never sees the draft, nor the consultation.
    outsider = login("member")
    assert outsider.get(f"/documents/{doc_id}").status_code == 404
    assert outsider.get(consultation_url).status_code == 404
    assert api("member", "GET", f"/documents/{doc_id}").status_code == 404

    # Asked: each reads the draft in the page and answers under it, through the page's form.
    first = login("uyvien-mot")
    page = _text(first.get(f"/documents/{doc_id}"))
    assert "Dự thảo nghị quyết về chuyển đổi số, phiên bản một." in page
    assert "Ý kiến của đồng chí về phiên bản 1" in page
    answered = first.post(
        f"{consultation_url}/answers", data={"choice": "agree", "comment": "", "version": "1"}
    )
    assert answered.status_code == 302
    second = login("thuongvu")
    answered = second.post(
        f"{consultation_url}/answers",
        data={"choice": "other", "comment": "Bổ sung chỉ tiêu về chữ ký số.", "version": "1"},
    )
    assert answered.status_code == 302

    tally = _text(office.get(consultation_url))
    counts = dict(re.findall(r'class="count-(\w+)">(\d+)<', tally))
    assert counts == {"agree": "1", "disagree": "0", "other": "1", "missing": "1"}
    assert "Chưa trả lời: Đồng chí uyvien-hai" in tally
    assert "Bổ sung chỉ tiêu về chữ ký số." in tally
    # Someone asked sees their own answer, not the others'.
    own = _text(second.get(consultation_url))
    assert "Bổ sung chỉ tiêu về chữ ký số." in own and "count-agree" not in own
    # The audit log says it in words, with the names.
    log = _text(office.get("/audit"))
    assert "Cho ý kiến về dự thảo" in log and "Gửi dự thảo lấy ý kiến" in log


def test_a_new_version_asks_again_and_keeps_the_old_answers(api, login, committee):
    doc_id = _in_review(api)
    office = login("secretariat")
    consultation_url = _open(office, doc_id, group="standing").headers["Location"]
    member = login("thuongvu")
    member.post(
        f"{consultation_url}/answers", data={"choice": "disagree", "comment": "Chưa rõ.", "version": "1"}
    )
    new = api.add_version("secretariat", doc_id, samples.docx(["Phiên bản hai của dự thảo."]), base_version=1)
    assert new.status_code == 201
    # An answer for the version read before is refused: there is a newer one to read.
    stale = member.post(
        f"{consultation_url}/answers", data={"choice": "agree", "comment": "", "version": "1"}
    )
    assert stale.status_code == 409 and "đã có phiên bản 2" in _text(stale)
    page = _text(member.get(f"/documents/{doc_id}"))
    assert "Dự thảo đã có phiên bản mới (2)" in page and "Phiên bản hai của dự thảo." in page
    assert (
        member.post(
            f"{consultation_url}/answers", data={"choice": "agree", "comment": "", "version": "2"}
        ).status_code
        == 302
    )
    body = api("secretariat", "GET", f"/consultations/{consultation_url.rsplit('/', 1)[1]}").json
    by_version = {t["version"]: t["counts"] for t in body["tally"]}
    assert by_version == {
        2: {"agree": 1, "disagree": 0, "other": 0},
        1: {"agree": 0, "disagree": 1, "other": 0},
    }


def test_answers_change_until_the_deadline_and_never_disappear(api, login, committee):
    doc_id = _in_review(api)
    opened = _open_api(api, doc_id, group="named", users=[committee["uyvien-mot"].id], deadline=_deadline(1))
    assert opened.status_code == 201, opened.json
    cid = opened.json["id"]
    assert [a["name"] for a in opened.json["asked"]] == ["Đồng chí uyvien-mot"]
    for choice, comment in (("disagree", "Chưa đồng ý mục 2."), ("agree", "Đã rõ sau khi trao đổi.")):
        answer = api(
            "uyvien-mot",
            "POST",
            f"/consultations/{cid}/answers",
            json={"choice": choice, "comment": comment, "version": 1},
        )
        assert answer.status_code == 201, answer.json
    mine = api("uyvien-mot", "GET", f"/consultations/{cid}").json
    assert mine["my_answers"]["1"]["choice"] == "agree" and "tally" not in mine
    office = api("secretariat", "GET", f"/consultations/{cid}").json
    version = office["tally"][0]
    assert version["counts"] == {"agree": 1, "disagree": 0, "other": 0}
    assert [a["comment"] for a in version["history"]] == ["Chưa đồng ý mục 2.", "Đã rõ sau khi trao đổi."]
    # Others asked in nothing: not found; the plain member: not found either.
    assert api("uyvien-hai", "GET", f"/consultations/{cid}").status_code == 404
    assert (
        api(
            "member", "POST", f"/consultations/{cid}/answers", json={"choice": "agree", "version": 1}
        ).status_code
        == 404
    )
    # After the deadline nothing more is taken.
    with unit_of_work():
        db.session.get(Consultation, cid).deadline = utcnow() - timedelta(minutes=1)
    late = api(
        "uyvien-mot",
        "POST",
        f"/consultations/{cid}/answers",
        json={"choice": "other", "comment": "Muộn", "version": 1},
    )
    assert late.status_code == 409 and "đã kết thúc" in late.json["error"]
    assert len(api("secretariat", "GET", f"/consultations/{cid}").json["tally"][0]["history"]) == 2


def test_the_office_closes_early_and_the_member_still_reads_what_they_commented_on(api, login, committee):
    doc_id = _in_review(api)
    cid = _open_api(api, doc_id, group="executive").json["id"]
    assert api("uyvien-hai", "POST", f"/consultations/{cid}/close").status_code == 403
    closed = login("secretariat").post(f"/consultations/{cid}/close")
    assert closed.status_code == 302
    assert api("secretariat", "GET", f"/consultations/{cid}").json["open"] is False
    assert (
        api(
            "uyvien-hai", "POST", f"/consultations/{cid}/answers", json={"choice": "agree", "version": 1}
        ).status_code
        == 409
    )
    assert login("uyvien-hai").get(f"/documents/{doc_id}").status_code == 200
    # A new round may be opened once the last one is over; two at once may not.
    again = _open_api(api, doc_id, group="standing")
    assert again.status_code == 201
    twice = _open_api(api, doc_id, group="standing")
    assert twice.status_code == 409


def test_the_open_form_shows_every_error_beside_its_field(api, login, committee):
    doc_id = _in_review(api)
    office = login("secretariat")
    refused = office.post(
        f"/documents/{doc_id}/consultations/new",
        data={"group": "named", "deadline": (local_today() - timedelta(days=1)).isoformat()},
    )
    assert refused.status_code == 400
    page = _text(refused)
    assert "Chọn ít nhất một người để hỏi ý kiến." in page
    assert "Hạn góp ý đã qua: chọn từ hôm nay trở đi." in page
    assert db.session.query(Consultation).count() == 0
    draft = api.upload("secretariat", title="Dự thảo chưa gửi").json["id"]
    not_in_review = _open(office, draft, group="executive")
    assert not_in_review.status_code == 409 and "gửi xem xét trước" in _text(not_in_review)
    # Only the office opens one.
    assert login("uyvien-mot").get(f"/documents/{doc_id}/consultations/new").status_code == 403


def test_another_view_needs_its_comment(api, login, committee):
    doc_id = _in_review(api)
    consultation_url = _open(login("secretariat"), doc_id, group="executive").headers["Location"]
    refused = login("uyvien-mot").post(
        f"{consultation_url}/answers", data={"choice": "other", "comment": "", "version": "1"}
    )
    assert refused.status_code == 400 and "Ý kiến khác: cần ghi rõ ý kiến." in _text(refused)
    nothing = login("uyvien-mot").post(f"{consultation_url}/answers", data={"comment": "", "version": "1"})
    assert nothing.status_code == 400 and "Ý kiến «» không hợp lệ" in _text(nothing)


def test_the_summary_docx_has_the_tally_and_every_comment(api, login, committee):
    doc_id = _in_review(api)
    cid = _open_api(api, doc_id, group="executive").json["id"]
    api("uyvien-mot", "POST", f"/consultations/{cid}/answers", json={"choice": "agree", "version": 1})
    api(
        "uyvien-hai",
        "POST",
        f"/consultations/{cid}/answers",
        json={"choice": "disagree", "comment": "Đề nghị bỏ mục 3.", "version": 1},
    )
    response = login("secretariat").get(f"/consultations/{cid}/summary.docx")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    summary = Docx(io.BytesIO(response.data))
    text = "\n".join(p.text for p in summary.paragraphs)
    assert "TỔNG HỢP Ý KIẾN" in text and "Nghị quyết về chuyển đổi số" in text
    assert "2 đồng chí trả lời. Đồng ý: 1, Không đồng ý: 1, Ý kiến khác: 0." in text
    assert "Chưa trả lời (1): Đồng chí thuongvu." in text
    rows = [[c.text for c in row.cells] for row in summary.tables[-1].rows]
    assert ["1", "Đồng chí uyvien-hai", "Không đồng ý", "Đề nghị bỏ mục 3."] in rows
    assert api("uyvien-mot", "GET", f"/consultations/{cid}/summary.docx").status_code == 403
    assert api("secretariat", "GET", f"/consultations/{cid}/summary.docx").status_code == 200


def test_a_round_ends_with_the_review_and_its_tally_stays_on_the_version_asked(api, login, committee):
    doc_id = _in_review(api)
    cid = _open_api(api, doc_id, group="standing").json["id"]
    api("thuongvu", "POST", f"/consultations/{cid}/answers", json={"choice": "agree", "version": 1})
    # Sent back to draft: the round ends (audited, with why), nothing more is taken.
    assert api.transition("secretariat", doc_id, "draft").status_code == 200
    ended = api("secretariat", "GET", f"/consultations/{cid}").json
    assert ended["open"] is False and ended["closed_at"]
    log = unescape(login("secretariat").get("/audit?action=consultation.close").get_data(as_text=True))
    assert "Lý do: văn bản chuyển sang «Dự thảo»" in log
    # A later version was never put to them: the tally stays on version 1.
    api.add_version("secretariat", doc_id, samples.docx(["Bản sửa sau khi lấy ý kiến."]), base_version=1)
    tally = api("secretariat", "GET", f"/consultations/{cid}").json["tally"]
    assert [t["version"] for t in tally] == [1] and tally[0]["counts"]["agree"] == 1
    assert tally[0]["not_answered"] == []


def test_restricted_drafts_are_never_circulated_and_restricting_hides_them_again(api, committee):
    doc_id = _in_review(api)
    api("secretariat", "PATCH", f"/documents/{doc_id}", json={"confidential": True})
    refused = _open_api(api, doc_id, group="executive")
    assert refused.status_code == 409 and "hạn chế" in refused.json["error"]
    api("secretariat", "PATCH", f"/documents/{doc_id}", json={"confidential": False})
    opened = _open_api(api, doc_id, group="executive")
    assert opened.status_code == 201
    assert api("uyvien-mot", "GET", f"/documents/{doc_id}").status_code == 200
    api("secretariat", "PATCH", f"/documents/{doc_id}", json={"confidential": True})
    assert api("uyvien-mot", "GET", f"/documents/{doc_id}").status_code == 404
    assert api("uyvien-mot", "GET", "/documents").json["total"] == 0


def test_a_round_on_a_draft_restricted_later_is_gone_for_those_asked(api, login, committee):
    """Its page, the list, their home page: nothing names it; an answer is refused as if the
    round did not exist. The office still sees it."""
    doc_id = _in_review(api)
    question = "Đề nghị cho ý kiến về chỉ tiêu chuyển đổi số"
    round_id = _open_api(api, doc_id, group="executive", question=question).json["id"]
    assert [c["id"] for c in api("uyvien-mot", "GET", "/consultations").json] == [round_id]
    assert "Nghị quyết về chuyển đổi số" in _text(login("uyvien-mot").get("/"))
    api("secretariat", "PATCH", f"/documents/{doc_id}", json={"confidential": True})
    assert api("uyvien-mot", "GET", "/consultations").json == []
    assert api("uyvien-mot", "GET", f"/consultations/{round_id}").status_code == 404
    answer = {"choice": "agree", "version": 1}
    assert api("uyvien-mot", "POST", f"/consultations/{round_id}/answers", json=answer).status_code == 404
    member = login("uyvien-mot")
    assert member.get(f"/consultations/{round_id}").status_code == 404
    assert member.post(f"/consultations/{round_id}/answers", data=answer).status_code == 404
    assert "chuyển đổi số" not in _text(member.get("/"))
    assert api("secretariat", "GET", f"/consultations/{round_id}").status_code == 200


def test_those_asked_find_the_draft_by_search_and_no_one_else(api, committee):
    def total(role):
        response = api(role, "GET", "/search", query_string={"q": "chuyển đổi số"})
        assert response.status_code == 200
        return response.json["total"]

    doc_id = _in_review(api)
    assert total("uyvien-mot") == 0
    assert _open_api(api, doc_id, group="executive").status_code == 201
    assert (total("uyvien-mot"), total("uyvien-hai"), total("member")) == (1, 1, 0)
    api("secretariat", "PATCH", f"/documents/{doc_id}", json={"confidential": True})
    assert total("uyvien-mot") == 0


def test_bad_input_is_a_clear_400(api, committee):
    doc_id = _in_review(api)
    too_many = _open_api(api, doc_id, group="named", users=list(range(1, 1002)))
    assert too_many.status_code == 400 and too_many.json["errors"]["users"] == "Chọn tối đa 1000 người."
    cid = _open_api(api, doc_id, group="executive").json["id"]
    control = api(
        "uyvien-mot",
        "POST",
        f"/consultations/{cid}/answers",
        json={"choice": "other", "comment": "Ý\x0bkiến", "version": 1},
    )
    assert control.status_code == 400 and control.json["error"] == "Góp ý chứa ký tự điều khiển không hợp lệ."
    for body in (
        {"choice": ["agree"], "version": 1},
        {"choice": "agree", "version": "một"},
        {"choice": "agree", "version": {}},
    ):
        assert api("uyvien-mot", "POST", f"/consultations/{cid}/answers", json=body).status_code == 400
    assert api("secretariat", "GET", f"/consultations/{cid}/summary.docx").status_code == 200
