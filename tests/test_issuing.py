"""Issuing: approval puts the number, the issue date and the signer in the document's own file,
as a new version "Bản ban hành" without the "DỰ THẢO" mark; the drafts keep theirs."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from docx import Document

from ancuu_docs.documents.models import NumberCounter
from ancuu_docs.extensions import db
from ancuu_docs.timeutil import local_today
from tests import samples
from tests.test_drafting import CODES, FIELDS, _template_docx, _upload_template, generate

DATE_LINE = "An Cựu, ngày 05 tháng 11 năm 2025"


def all_text(data: bytes) -> str:
    """Every paragraph of a DOCX: body, tables (nested too), every header of every section."""
    document = Document(io.BytesIO(data))
    roots = [document.element.body]
    for section in document.sections:
        roots += [h._element for h in (section.header, section.first_page_header, section.even_page_header)]
    lines = []
    for root in roots:
        for p in root.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"):
            lines.append("".join(t.text or "" for t in p.iter("{*}t")))
    return "\n".join(lines)


def version_file(api, doc_id: int, n: int) -> bytes:
    return api("secretariat", "GET", f"/documents/{doc_id}/versions/{n}/file").data


def approve(api, doc_id: int, **body):
    return api("secretariat", "POST", f"/documents/{doc_id}/transitions", json={"to": "approved", **body})


@pytest.mark.parametrize("key", list(FIELDS))
def test_each_template_is_issued_with_its_number_date_and_signer(api, key):
    draft = generate(api, key)  # a clerk drafts it and sends it to review
    assert api.transition("clerk", draft["id"], "in_review").status_code == 200
    response = approve(api, draft["id"], issue_date="2025-11-05", signer="Lê Thị Mai")
    assert response.status_code == 200, response.json
    doc = response.json
    number = f"01-{CODES[key]}/ĐU"
    assert doc["number"] == number and doc["issue_date"] == "2025-11-05" and doc["signer"] == "Lê Thị Mai"
    assert doc["current_version"] == 2
    issued_version = doc["versions"][-1]
    assert issued_version["comment"] == "Bản ban hành"
    assert issued_version["filename"].startswith(f"01-{CODES[key]}-DU-")

    issued = all_text(version_file(api, doc["id"], 2))
    assert f"Số {number}" in issued and DATE_LINE in issued
    assert "DỰ THẢO" not in issued
    if key != "minutes":  # the minutes are signed by their secretary and chair
        assert "Lê Thị Mai" in issued and "Nguyễn Văn Hùng" not in issued
    draft_text = all_text(version_file(api, doc["id"], 1))
    assert "DỰ THẢO 1" in draft_text and number not in draft_text  # the draft keeps its mark


def _drafted(api, **fields) -> dict:
    body = {"template": "resolution", "fields": {**FIELDS["resolution"], **fields}}
    response = api("clerk", "POST", "/drafts", json=body)
    assert response.status_code == 201, response.json
    api.transition("clerk", response.json["id"], "in_review")
    return response.json


def test_approval_defaults_to_today_and_the_configured_secretary(app, api):
    app.config["SECRETARY_NAME"] = "Phan Văn Đức"
    draft = _drafted(api, signer_name="")  # the draft names nobody
    doc = approve(api, draft["id"]).json
    assert doc["issue_date"] == local_today().isoformat() and doc["signer"] == "Phan Văn Đức"
    assert "Phan Văn Đức" in all_text(version_file(api, doc["id"], 2))


def test_the_signer_the_draft_names_comes_before_the_configured_secretary(app, api, login):
    app.config["SECRETARY_NAME"] = "Nguyễn Văn Hùng"
    draft = _drafted(api, signer_title="PHÓ BÍ THƯ", signer_name="Đặng Văn Minh")
    page = login("secretariat").get(f"/documents/{draft['id']}/approve").get_data(as_text=True)
    assert 'value="Đặng Văn Minh"' in page  # the page proposes whom the draft names
    doc = approve(api, draft["id"]).json  # the API names nobody either
    assert doc["signer"] == "Đặng Văn Minh"
    issued = all_text(version_file(api, doc["id"], 2))
    assert "PHÓ BÍ THƯ" in issued and "Đặng Văn Minh" in issued and "Nguyễn Văn Hùng" not in issued


def test_a_docx_that_cannot_be_opened_refuses_the_approval(api):
    """A DOCX the extractor reads but Word's package structure is broken: the issued file
    cannot be made, so nothing is approved and no number is spent."""
    broken = io.BytesIO()
    original = samples.stream(samples.docx(["Nghị quyết về kinh tế số"]))
    with zipfile.ZipFile(original) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            if item.filename != "word/_rels/document.xml.rels":
                data = source.read(item.filename)
                if item.filename == "[Content_Types].xml":
                    data = data.replace(b"officedocument.wordprocessingml.document.main", b"x")
                target.writestr(item, data)
    upload = api.upload("secretariat", data=broken.getvalue())
    assert upload.status_code == 201, upload.json
    api.transition("secretariat", upload.json["id"], "in_review")
    refused = approve(api, upload.json["id"])
    assert refused.status_code == 409
    assert "Không tạo được bản ban hành từ tệp DOCX của phiên bản 1" in refused.json["error"]
    doc = api("secretariat", "GET", f"/documents/{upload.json['id']}").json
    assert doc["status"] == "in_review" and doc["number"] is None


@pytest.mark.parametrize("split_runs", [True, False])
def test_an_uploaded_party_docx_gets_its_number_filled_and_its_draft_mark_removed(api, split_runs):
    upload = api.upload("secretariat", data=samples.party_docx(split_runs=split_runs), filename="nq-v2.docx")
    doc_id = upload.json["id"]
    api.transition("secretariat", doc_id, "in_review")
    doc = approve(api, doc_id, issue_date="2025-11-05").json
    assert doc["number"] == "01-NQ/ĐU" and doc["current_version"] == 2 and doc["issue_note"] is None
    issued_file = version_file(api, doc_id, 2)
    issued = all_text(issued_file)
    assert "Số 01-NQ/ĐU" in issued and DATE_LINE in issued
    assert "DỰ THẢO 2" not in issued  # in the first-page header and above the title alike
    # The body's own words stay, in lower case and in an upper-case heading.
    assert "thông qua dự thảo nghị quyết" in issued and "II- GÓP Ý DỰ THẢO VĂN KIỆN" in issued
    header = Document(io.BytesIO(issued_file)).tables[0]
    assert header.cell(3, 0).text == "Số 01-NQ/ĐU"
    assert header.cell(3, 1).paragraphs[0].runs[0].italic  # the line keeps its formatting
    assert "DỰ THẢO 2" in all_text(version_file(api, doc_id, 1))


def test_a_typed_number_is_replaced_and_a_citation_is_not(api):
    data = samples.party_docx(number_typed="3", draft_mark="Dự thảo lần 2")
    doc_id = api.upload("secretariat", data=data).json["id"]
    api.transition("secretariat", doc_id, "in_review")
    doc = approve(api, doc_id, issue_date="2025-11-05").json
    issued = all_text(version_file(api, doc_id, doc["current_version"]))
    assert "Số 01-NQ/ĐU" in issued and "Số 3-NQ/ĐU" not in issued  # ours is the number
    assert "Dự thảo lần 2" not in issued  # the mark in any case, where it stands alone
    assert "theo Nghị quyết Số 12-NQ/TU của Thành ủy" in issued  # a citation is not our line


def test_an_uploaded_docx_without_a_number_line_keeps_its_bytes_and_says_so(api, login):
    doc_id = api.upload("secretariat", data=samples.docx(["Thông báo kết luận"])).json["id"]
    api.transition("secretariat", doc_id, "in_review")
    before = api("secretariat", "GET", f"/documents/{doc_id}").json["versions"][0]["sha256"]
    doc = approve(api, doc_id).json
    assert doc["number"] == "01-NQ/ĐU" and doc["current_version"] == 1
    assert doc["versions"][0]["sha256"] == before
    assert "không có dòng «Số …-NQ/…»" in doc["issue_note"]
    page = login("member").get(f"/documents/{doc_id}").get_data(as_text=True)
    history = page.split("Các phiên bản", 1)[1]
    assert "Ban hành số 01-NQ/ĐU" in history and "Tệp DOCX không có dòng «Số …-NQ/…»" in history


def test_a_pdf_keeps_its_bytes(api):
    pdf = samples.pdf(["Nghi quyet da ky so"])
    doc_id = api.upload("secretariat", data=pdf, filename="nq.pdf").json["id"]
    api.transition("secretariat", doc_id, "in_review")
    doc = approve(api, doc_id).json
    assert doc["number"] == "01-NQ/ĐU" and doc["current_version"] == 1 and doc["issue_note"] is None
    assert version_file(api, doc_id, 1) == pdf


def test_an_issue_that_cannot_be_rendered_refuses_the_approval_and_uses_no_number(app, api, tmp_path):
    draft = generate(api, "resolution")
    api.transition("clerk", draft["id"], "in_review")
    folder = Path(app.config["TEMPLATE_FOLDER"])
    app.config["TEMPLATE_FOLDER"] = str(tmp_path)  # the template that made the draft is gone
    refused = approve(api, draft["id"])
    assert refused.status_code == 409
    assert "Mẫu «resolution» dùng để soạn văn bản này không còn" in refused.json["error"]
    doc = api("secretariat", "GET", f"/documents/{draft['id']}").json
    assert doc["status"] == "in_review" and doc["number"] is None and doc["current_version"] == 1
    db.session.rollback()
    assert db.session.get(NumberCounter, ("2025-2030", "NQ")) is None
    app.config["TEMPLATE_FOLDER"] = str(folder)
    assert approve(api, draft["id"]).json["number"] == "01-NQ/ĐU"  # the number was not spent


def test_a_custom_template_is_issued_from_the_version_that_made_the_draft(api, login):
    admin = login("admin")
    source = _template_docx(
        "{% if draft %}DỰ THẢO {{ version }}{% endif %}",
        "Số {{ number_line }}",
        "{{ org.place }}, {{ date | vn_date }}",
        "THÔNG BÁO {{ subject }}",
        "{{ signer_name }}",
    )
    fields = (
        '[{"name": "date", "label": "Ngày", "type": "date", "required": true},'
        ' {"name": "subject", "label": "Trích yếu", "type": "text", "required": true},'
        ' {"name": "signer_name", "label": "Người ký", "type": "text"}]'
    )
    assert _upload_template(admin, source, fields=fields).status_code == 302
    made = api(
        "clerk",
        "POST",
        "/drafts",
        json={
            "template": "thong-bao",
            "fields": {"date": "2025-10-01", "subject": "kết luận hội nghị", "signer_name": "Người cũ"},
        },
    ).json
    # A later version of the template changes the wording; the draft was made with version 1.
    later = _template_docx("BẢN MỚI {{ subject }}", "Số {{ number_line }}")
    response = admin.post(
        "/admin/templates/thong-bao",
        data={"file": (io.BytesIO(later), "mau-2.docx"), "fields": ""},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    api.transition("clerk", made["id"], "in_review")
    doc = approve(api, made["id"], issue_date="2025-11-05", signer="Lê Thị Mai").json
    issued = all_text(version_file(api, doc["id"], 2))
    assert "Số 01-TB/ĐU" in issued and DATE_LINE in issued and "Lê Thị Mai" in issued
    assert "THÔNG BÁO kết luận hội nghị" in issued and "BẢN MỚI" not in issued
    assert "DỰ THẢO" not in issued and "Người cũ" not in issued


def test_a_restored_generated_version_is_issued_from_its_template(api):
    draft = generate(api, "report")
    api.add_version("secretariat", draft["id"], samples.docx(["Bản sửa tay"]), base_version=1)
    restored = api(
        "secretariat", "POST", f"/documents/{draft['id']}/versions/1/restore", data={"base_version": "2"}
    )
    assert restored.status_code == 201
    api.transition("secretariat", draft["id"], "in_review")
    doc = approve(api, draft["id"], issue_date="2025-11-05").json
    assert doc["current_version"] == 4
    assert "Số 01-BC/ĐU" in all_text(version_file(api, doc["id"], 4))


def test_the_issued_number_shows_in_lists_search_and_sorted_by_issue_date(api, login):
    issued = {}
    # Approved out of date order: the later issue first, so "latest changed" and "latest
    # issued" give opposite orders.
    for day, subject in (("2025-11-05", "về đô thị văn minh"), ("2025-10-20", "về chuyển đổi số")):
        fields = {**FIELDS["resolution"], "subject": subject}
        draft = api("clerk", "POST", "/drafts", json={"template": "resolution", "fields": fields}).json
        api.transition("clerk", draft["id"], "in_review")
        issued[day] = approve(api, draft["id"], issue_date=day).json
    assert [issued["2025-11-05"]["number"], issued["2025-10-20"]["number"]] == ["01-NQ/ĐU", "02-NQ/ĐU"]
    by_change = api("member", "GET", "/documents", query_string={"sort": "updated"}).json["documents"]
    assert [d["number"] for d in by_change] == ["02-NQ/ĐU", "01-NQ/ĐU"]
    # By default a list is in the order of the dates it shows: the issue date.
    by_default = api("member", "GET", "/documents").json["documents"]
    assert [d["number"] for d in by_default] == ["01-NQ/ĐU", "02-NQ/ĐU"]
    by_number = api("member", "GET", "/documents", query_string={"sort": "number"}).json["documents"]
    assert [d["number"] for d in by_number] == ["02-NQ/ĐU", "01-NQ/ĐU"]
    by_issue = api("member", "GET", "/documents", query_string={"sort": "issued"}).json["documents"]
    assert [d["number"] for d in by_issue] == ["01-NQ/ĐU", "02-NQ/ĐU"]
    bad = api("member", "GET", "/documents", query_string={"sort": "size"})
    assert bad.status_code == 400 and "Cách sắp xếp «size» không có." in bad.json["error"]
    page = login("member").get("/documents?sort=issued").get_data(as_text=True)
    assert page.index("Số 01-NQ/ĐU") < page.index("Số 02-NQ/ĐU")
    assert "Ban hành 05/11/2025" in page and "Ban hành 20/10/2025" in page
    hits = api("member", "GET", "/search", query_string={"q": "01-NQ/ĐU"}).json["hits"]
    assert hits[0]["number"] == "01-NQ/ĐU" and hits[0]["issue_date"] == "2025-11-05"
    text_hits = api("member", "GET", "/search", query_string={"q": "Số 01-NQ/ĐU"}).json["hits"]
    assert text_hits[0]["id"] == issued["2025-11-05"]["id"]


def test_the_api_refuses_bad_dates_and_signers(api):
    draft = generate(api, "resolution")
    api.transition("clerk", draft["id"], "in_review")
    for body, message in (
        ({"issue_date": "2099-01-01"}, "Ngày ban hành không được sau hôm nay."),
        ({"issue_date": "2024-06-30"}, "Ngày ban hành không được trước nhiệm kỳ 2025-2030"),
        ({"issue_date": "05/11/2025"}, "Ngày ban hành không hợp lệ"),
        ({"signer": ["A"]}, "Người ký"),
        ({"signer": "x" * 201}, "Người ký"),
    ):
        response = approve(api, draft["id"], **body)
        assert response.status_code == 400 and message in response.json["error"], body
    assert api("secretariat", "GET", f"/documents/{draft['id']}").json["number"] is None


def test_a_conference_issues_what_it_adopts_and_its_minutes(api):
    draft = generate(api, "resolution")
    meeting = api("secretariat", "POST", "/meetings", json=samples.CONFERENCE).json
    item = {
        "title": "Thông qua Nghị quyết về xây dựng lối sống đô thị văn minh",
        "presenter": "Trần Thị Hoa",
        "presenter_position": "Chánh Văn phòng Đảng ủy",
        "document_id": draft["id"],
    }
    item_id = api("secretariat", "POST", f"/meetings/{meeting['id']}/agenda", json=item).json["agenda"][0][
        "id"
    ]
    api("secretariat", "POST", f"/meetings/{meeting['id']}/attendance", json=samples.ATTENDANCE)
    vote = {"method": "Giơ tay", "in_favour": 13, "against": 1, "abstaining": 0}
    decided = api("secretariat", "POST", f"/meetings/{meeting['id']}/agenda/{item_id}/decision", json=vote)
    assert decided.status_code == 201, decided.json
    doc = api("secretariat", "GET", f"/documents/{draft['id']}").json
    assert doc["number"] == "01-NQ/ĐU" and doc["issue_date"] == "2025-11-05" and doc["current_version"] == 2
    issued = all_text(version_file(api, doc["id"], 2))
    assert "Số 01-NQ/ĐU" in issued and DATE_LINE in issued and "DỰ THẢO" not in issued

    minutes = api("secretariat", "POST", f"/meetings/{meeting['id']}/minutes").json
    draft_minutes = all_text(version_file(api, minutes["id"], 1))
    assert "13/14 đồng chí có mặt tán thành (92,86%)" in draft_minutes
    assert "Đồng chí Trần Thị Hoa, Chánh Văn phòng Đảng ủy, trình bày" in draft_minutes
    closed = api("secretariat", "POST", f"/meetings/{meeting['id']}/close")
    assert closed.status_code == 200, closed.json
    minutes = api("secretariat", "GET", f"/documents/{minutes['id']}").json
    assert minutes["number"] == "01-BB/ĐU" and minutes["current_version"] == 2
    issued_minutes = all_text(version_file(api, minutes["id"], 2))
    assert "Số 01-BB/ĐU" in issued_minutes and "DỰ THẢO" not in issued_minutes

    package = api("member", "GET", f"/meetings/{meeting['id']}/package")
    archive = zipfile.ZipFile(io.BytesIO(package.data))
    manifest = json.loads(archive.read("manifest.json"))
    assert [(d["number"], d["version"]) for d in manifest["documents"]] == [("01-NQ/ĐU", 2), ("01-BB/ĐU", 2)]
    first = manifest["documents"][0]["file"]
    assert first.startswith("01-01-NQ-DU-") and "Số 01-NQ/ĐU" in all_text(archive.read(first))


# ------------------------------------------------------------------ the write lock held short


def _in_background(app, account, path, body):
    """A request from another browser, in a thread of its own; its answer in `done`."""
    import threading

    done = {}

    def call():
        with app.app_context():
            client = app.test_client()
            response = client.post(f"/api/v1{path}", json=body, headers=account.headers)
            done["status"], done["json"] = response.status_code, response.json
            db.session.remove()

    thread = threading.Thread(target=call)
    thread.start()
    return thread, done


def _slow_to_issue(api, title: str) -> int:
    """A draft in the Party layout that takes seconds to issue: 60,000 short paragraphs."""
    data = samples.padded_docx(samples.party_docx(), 60_000, "Mục")
    doc = api.upload("secretariat", title=title, data=data)
    assert doc.status_code == 201, doc.json
    assert api.transition("secretariat", doc.json["id"], "in_review").status_code == 200
    return doc.json["id"]


def test_an_upload_goes_through_while_a_slow_file_is_being_issued(app, api, accounts):
    """The issued file is rendered before the approving transaction: the write lock (all of
    SQLite's) is not held for the seconds it takes, and another user's upload is filed
    meanwhile, not after."""
    import time

    from ancuu_docs.documents.models import Document

    slow = _slow_to_issue(api, "Nghị quyết dài")
    thread, approval = _in_background(
        app, accounts["secretariat"], f"/documents/{slow}/transitions", {"to": "approved"}
    )
    time.sleep(0.7)  # the approval is rendering its file (seconds)
    upload = api.upload("clerk", title="Báo cáo tuần", doc_type="BC")
    db.session.rollback()
    still_in_review = db.session.get(Document, slow).status == "in_review"
    thread.join(timeout=120)
    assert upload.status_code == 201, upload.json
    assert still_in_review, "the upload waited for the approval to commit"
    assert approval["status"] == 200 and approval["json"]["number"] == "01-NQ/ĐU"


def test_a_number_given_while_a_file_was_being_issued_is_never_in_that_file(app, api, accounts):
    """Two approvals of one type: the slow one rendered its file as 01, the quick one took 01
    meanwhile; the slow one is issued as 02, and its file says 02."""
    import time

    slow = _slow_to_issue(api, "Nghị quyết dài")
    quick = api.upload("secretariat", title="Nghị quyết ngắn", data=samples.party_docx()).json["id"]
    api.transition("secretariat", quick, "in_review")
    thread, approval = _in_background(
        app, accounts["secretariat"], f"/documents/{slow}/transitions", {"to": "approved"}
    )
    time.sleep(0.7)
    assert approve(api, quick).json["number"] == "01-NQ/ĐU"
    thread.join(timeout=120)
    assert approval["status"] == 200 and approval["json"]["number"] == "02-NQ/ĐU"
    issued = all_text(version_file(api, slow, approval["json"]["current_version"]))
    assert "Số 02-NQ/ĐU" in issued and "01-NQ" not in issued
    db.session.rollback()
    assert db.session.get(NumberCounter, ("2025-2030", "NQ")).last_value == 2
