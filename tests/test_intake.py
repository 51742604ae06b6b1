"""Metadata from any file: a file staged for a registration (`/intake`) has its header read, at
once when it has text, by OCR of its first page in the background when it is a scan; the
registration then takes it by its id, and the register page keeps it across its round trips."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from html import unescape

from ancuu_docs import storage
from ancuu_docs.documents import intake
from ancuu_docs.documents.models import Intake
from ancuu_docs.extensions import db
from ancuu_docs.timeutil import utcnow
from tests import samples
from tests.header_set import INCOMING, as_pdf, first_page
from tests.tools import needs

CONG_VAN = next(e for e in INCOMING if e["number"] == "87-CV/TU")
QUYET_DINH = next(e for e in INCOMING if e["number"] == "1058-QĐ/TU")


def _stage(api, data, filename, role="secretariat"):
    form = {"file": (samples.stream(data), filename)}
    return api(role, "POST", "/intake", data=form, content_type="multipart/form-data")


def _read(api, intake_id, timeout=180.0, role="secretariat"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = api(role, "GET", f"/intake/{intake_id}")
        if answer.status_code != 200 or answer.json["state"] != "reading":
            return answer
        time.sleep(0.5)
    raise AssertionError("the staged file's header was not read in time")


def test_a_text_pdf_header_is_read_at_once_and_registered_from_its_intake(api):
    sent = as_pdf(CONG_VAN)
    staged = _stage(api, sent, "cong-van-87.pdf")
    assert staged.status_code == 202 and staged.json["state"] == "done"
    answer = api("secretariat", "GET", f"/intake/{staged.json['id']}").json
    assert answer["fields"] == {
        "issuer": "Thành ủy Huế",  # as listed; never "CÔNG VĂN"
        "number": "87-CV/TU",
        "issue_date": "2025-03-10",
        "doc_type": "CV",  # from the number's -CV/
        "title": "về việc triển khai công tác bầu cử",
        "place": "Huế",
    }
    fields = answer["fields"]
    registered = api(
        "secretariat",
        "POST",
        "/documents",
        json={
            "origin": "incoming",
            "intake": staged.json["id"],
            "issuer": "Thành ủy Huế",
            **{key: fields[key] for key in ("number", "issue_date", "doc_type", "title")},
        },
    )
    assert registered.status_code == 201, registered.json
    doc = registered.json
    assert doc["doc_type"] == "CV" and doc["versions"][0]["filename"] == "cong-van-87.pdf"
    assert storage.read(doc["versions"][0]["sha256"]) == sent
    assert api("secretariat", "GET", f"/intake/{staged.json['id']}").status_code == 404  # used once


@needs("ocrmypdf", "tesseract-vie")
def test_a_scans_header_is_read_by_ocr_of_its_first_page_and_registered_from_it(api):
    scan = samples.scanned_pdf([first_page(QUYET_DINH), ["Trang hai của quyết định, không đọc."]])
    staged = _stage(api, scan, "qd-1058.pdf")
    assert staged.status_code == 202 and staged.json["state"] == "reading"  # answered before OCR
    answer = _read(api, staged.json["id"])
    assert answer.json["state"] == "done", answer.json
    fields = answer.json["fields"]
    assert (fields["number"], fields["doc_type"], fields["issue_date"]) == ("1058-QĐ/TU", "QĐ", "2025-10-03")
    assert fields["issuer"] == "Thành ủy Huế" and "Đảng bộ phường An Cựu" in fields["title"]
    registered = api(
        "secretariat",
        "POST",
        "/documents",
        data={"origin": "incoming", "intake": str(staged.json["id"]), **fields},
        content_type="multipart/form-data",
    )
    assert registered.status_code == 201, registered.json
    assert storage.read(registered.json["versions"][0]["sha256"]) == scan  # the scan as sent


def test_an_intake_is_its_stagers_alone_and_bad_files_are_refused(api):
    assert _stage(api, as_pdf(CONG_VAN), "cv.pdf", role="member").status_code == 403
    staged = _stage(api, as_pdf(CONG_VAN), "cv.pdf").json
    assert api("admin", "GET", f"/intake/{staged['id']}").status_code == 404
    theirs = api("admin", "POST", "/documents", json={**_incoming(), "intake": staged["id"]})
    assert theirs.status_code == 400 and theirs.json["error"].startswith("Không còn tệp đã chọn")
    none = api("secretariat", "POST", "/intake", data={}, content_type="multipart/form-data")
    assert none.status_code == 400 and "file" in none.json["error"]
    empty = _stage(api, b"", "rong.pdf")
    assert empty.status_code == 400 and empty.json["error"] == "Tệp rỗng."
    assert db.session.query(Intake).count() == 1


def _incoming() -> dict:
    return {
        "origin": "incoming",
        "doc_type": "CV",
        "number": "87-CV/TU",
        "issuer": "Thành ủy Huế",
        "issue_date": "2025-03-10",
        "title": "về việc triển khai công tác bầu cử",
    }


def test_a_staged_file_unused_for_a_day_is_removed(app, api):
    old = _stage(api, as_pdf(CONG_VAN), "cu.pdf").json
    fresh = _stage(api, as_pdf(QUYET_DINH), "moi.pdf").json
    digest = db.session.get(Intake, old["id"]).sha256
    db.session.get(Intake, old["id"]).created_at = utcnow() - timedelta(hours=24, minutes=1)
    db.session.commit()
    assert intake.remove_unused() == 1
    assert db.session.get(Intake, old["id"]) is None and not storage.exists(digest)
    assert api("secretariat", "GET", f"/intake/{fresh['id']}").json["state"] == "done"


def test_the_register_page_keeps_a_chosen_file_across_an_error_and_fills_from_it(login, api):
    client = login("secretariat")
    form = {
        "origin": "incoming",
        "doc_type": "NQ",
        "title": "",
        "security_level": "none",
        "action": "detect",
        "file": (samples.stream(as_pdf(CONG_VAN)), "cong-van-87.pdf"),
    }
    read = client.post("/documents/register", data=form, content_type="multipart/form-data")
    page = unescape(read.get_data(as_text=True))
    assert read.status_code == 200 and page.count("Đọc từ tệp: hãy kiểm tra lại.") == 5
    assert 'value="Thành ủy Huế"' in page  # the body as the list names it
    assert '<option selected value="CV">' in page  # the type box is never empty: replaced
    assert 'value="87-CV/TU"' in page
    staged = re.search(r'name="intake" type="hidden" value="(\d+)"', page).group(1)
    assert "Tệp đã chọn: cong-van-87.pdf (giữ lại, không cần chọn lại)" in page
    refused = client.post(
        "/documents/register",
        data={**_incoming(), "title": "", "intake": staged, "action": "register", "security_level": "none"},
    )
    text = unescape(refused.get_data(as_text=True))
    assert refused.status_code == 400 and '<p class="error" role="alert">Cần nhập trích yếu.</p>' in text
    assert "Tệp đã chọn: cong-van-87.pdf" in text and f'value="{staged}"' in text
    done = client.post(
        "/documents/register",
        data={**_incoming(), "intake": staged, "action": "register", "security_level": "none"},
    )
    assert done.status_code == 302
    doc = api("secretariat", "GET", done.headers["Location"]).json
    assert doc["versions"][0]["filename"] == "cong-van-87.pdf"
    # A file chosen with a refused submit (no read asked) is kept too.
    again = client.post(
        "/documents/register",
        data={
            **_incoming(),
            "number": "88-CV/TU",
            "title": "",
            "action": "register",
            "security_level": "none",
            "file": (samples.stream(as_pdf(QUYET_DINH)), "qd.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert again.status_code == 400 and "Tệp đã chọn: qd.pdf" in unescape(again.get_data(as_text=True))


def test_one_page_asks_what_is_added_and_leads_to_its_form(login):
    office = login("secretariat")
    page = unescape(office.get("/documents/add").get_data(as_text=True))
    links = re.findall(r'<a class="button" href="([^"]+)">', page)
    assert links == [
        "/drafts",
        "/documents/new",
        "/documents/register?origin=incoming",
        "/documents/register?origin=internal",
        "/documents/register?origin=incoming&security_level=mat",
    ]
    assert '<a href="/documents/add">Thêm văn bản</a>' in page  # the menu's one way in
    secret = unescape(office.get(links[-1]).get_data(as_text=True))
    assert '<option selected value="mat">' in secret and '<option selected value="incoming">' in secret
    ours = unescape(office.get(links[3]).get_data(as_text=True))
    assert '<option selected value="internal">' in ours
    clerk = unescape(login("clerk").get("/documents/add").get_data(as_text=True))
    assert re.findall(r'<a class="button" href="([^"]+)">', clerk) == ["/drafts", "/documents/new"]
    assert login("member").get("/documents/add").status_code == 403


def test_the_draft_upload_form_keeps_a_chosen_file_when_refused(login, api):
    client = login("clerk")
    data = samples.docx(["Dự thảo nghị quyết về chuyển đổi số"])
    refused = client.post(
        "/documents/new",
        data={
            "action": "upload",
            "title": "",
            "doc_type": "NQ",
            "file": (samples.stream(data), "du-thao.docx"),
        },
        content_type="multipart/form-data",
    )
    page = unescape(refused.get_data(as_text=True))
    assert refused.status_code == 400 and '<p class="error" role="alert">Cần nhập trích yếu.</p>' in page
    assert "Tệp đã chọn: du-thao.docx (giữ lại, không cần chọn lại)." in page
    staged = re.search(r'name="staged" type="hidden" value="([0-9a-f]{64})"', page).group(1)
    done = client.post(
        "/documents/new",
        data={"action": "upload", "title": "Nghị quyết về chuyển đổi số", "doc_type": "NQ", "staged": staged},
    )
    assert done.status_code == 302
    doc = api("clerk", "GET", done.headers["Location"]).json
    assert (
        doc["versions"][0]["filename"] == "du-thao.docx"
        and storage.read(doc["versions"][0]["sha256"]) == data
    )


@needs("ocrmypdf", "tesseract-vie")
def test_a_scan_whose_reader_died_is_read_once_by_the_next_and_given_up_after_its_tries(app, api):
    """The staged scan's row is the work: a reader killed mid-page leaves its heartbeat to go
    cold, and the next reader takes it (once); one that killed every reader is given up."""
    from ancuu_docs.ocr import intake_reading

    app.config["OCR_IN_PROCESS"] = False  # no thread of this process: the readers below only
    scan = samples.scanned_pdf([first_page(QUYET_DINH)])
    died = _stage(api, scan, "qd.pdf").json
    row = db.session.get(Intake, died["id"])
    row.heartbeat_at, row.attempts = utcnow(), 1  # a reader holds it
    db.session.commit()
    assert intake_reading.run_one() is False  # not taken while its reader's heartbeat is warm
    row = db.session.get(Intake, died["id"])
    row.heartbeat_at = utcnow() - timedelta(seconds=app.config["OCR_STALE_SECONDS"] + 1)
    db.session.commit()
    assert intake_reading.run_one() is True and intake_reading.run_one() is False
    db.session.expire_all()
    done = db.session.get(Intake, died["id"])
    assert (done.state, done.attempts, intake.fields(done)["number"]) == ("done", 2, "1058-QĐ/TU")
    killer = _stage(api, scan, "qd-2.pdf").json
    row = db.session.get(Intake, killer["id"])
    row.attempts = app.config["OCR_MAX_ATTEMPTS"]
    row.heartbeat_at = utcnow() - timedelta(seconds=app.config["OCR_STALE_SECONDS"] + 1)
    db.session.commit()
    assert intake_reading.run_one() is False
    answer = api("secretariat", "GET", f"/intake/{killer['id']}").json
    assert answer["state"] == "failed" and answer["reason"].startswith("Việc nhận dạng chữ bị ngắt nhiều lần")
