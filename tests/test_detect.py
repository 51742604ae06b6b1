"""Reading the header of a document's first page: Party and state layouts, typed or OCR'd."""

from __future__ import annotations

import pytest

from ancuu_docs.detect import detect
from ancuu_docs.text import fold
from tests import samples

PARTY = """ĐẢNG BỘ THÀNH PHỐ HUẾ
ĐẢNG ỦY PHƯỜNG AN CỰU
*
Số 05-NQ/ĐU
ĐẢNG CỘNG SẢN VIỆT NAM
An Cựu, ngày 05 tháng 11 năm 2025
NGHỊ QUYẾT
HỘI NGHỊ LẦN THỨ HAI (MỞ RỘNG) BAN CHẤP HÀNH ĐẢNG BỘ PHƯỜNG
về xây dựng lối sống đô thị văn minh,
giai đoạn 2025 - 2030
-----
Ngày 05 tháng 11 năm 2025, Ban Chấp hành Đảng bộ phường họp."""

STATE = """ỦY BAN NHÂN DÂN
PHƯỜNG AN CỰU
Số: 12/QĐ-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
An Cựu, ngày 02 tháng 3 năm 2026
QUYẾT ĐỊNH
Về việc thành lập Tổ bầu cử khu vực bỏ phiếu số 3
CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG AN CỰU"""

# What Tesseract makes of a Party header: lost tone marks, "ĐU" read as "DU".
OCR = PARTY.replace("Số 05-NQ/ĐU", "Sô 05-NQ/DU").replace("NGHỊ QUYẾT", "NGHI QUYET")


def test_a_party_header():
    found = detect(PARTY)
    assert found.as_json() == {
        "style": "party",
        "superior_body": "ĐẢNG BỘ THÀNH PHỐ HUẾ",
        "issuing_body": "ĐẢNG ỦY PHƯỜNG AN CỰU",
        "number": "05-NQ/ĐU",
        "doc_type": "NQ",
        "place": "An Cựu",
        "issue_date": "2025-11-05",
        "subject": "về xây dựng lối sống đô thị văn minh, giai đoạn 2025 - 2030",
    }


def test_a_state_header():
    found = detect(STATE)
    assert (found.style, found.number, found.doc_type, found.issue_date) == (
        "state",
        "12/QĐ-UBND",
        "QĐ",
        "2026-03-02",
    )
    assert found.issuing_body == "PHƯỜNG AN CỰU" and found.superior_body == "ỦY BAN NHÂN DÂN"
    assert found.subject == "Về việc thành lập Tổ bầu cử khu vực bỏ phiếu số 3"


def test_an_ocr_read_header_keeps_what_it_can():
    found = detect(OCR)
    assert found.number == "05-NQ/DU" and found.doc_type == "NQ" and found.issue_date == "2025-11-05"


@pytest.mark.parametrize("text", ["", "Một đoạn văn không có tiêu đề.", "Số nhà 12, đường Hùng Vương"])
def test_nothing_is_made_up(text):
    assert detect(text).as_json() == {}


def test_the_api_returns_what_it_detected_in_an_uploaded_draft(api):
    data = samples.docx(PARTY.splitlines())
    doc = api.upload("secretariat", data=data, filename="nq.docx").json
    assert doc["detected"]["number"] == "05-NQ/ĐU" and doc["detected"]["issue_date"] == "2025-11-05"
    assert api("member", "GET", f"/documents/{doc['id']}").status_code == 404  # a draft: not theirs
    assert api("secretariat", "GET", f"/documents/{doc['id']}").json["detected"]["doc_type"] == "NQ"


def test_the_register_page_reads_the_header_then_registers_with_the_same_file(login, api, app):
    import hashlib
    import re

    from tests.conftest import uploads_files

    client = login("secretariat")
    data = samples.docx(PARTY.splitlines())
    form = {
        "origin": "internal",
        "term": "2025-2030",
        "security_level": "none",
        "urgency": "thuong",
        "action": "detect",
    }
    read = client.post(
        "/documents/register",
        data={**form, "file": (samples.stream(data), "nq-05.docx")},
        content_type="multipart/form-data",
    )
    page = read.get_data(as_text=True)
    assert read.status_code == 200 and page.count("Đọc từ tệp: hãy kiểm tra lại.") == 4
    assert 'value="05-NQ/ĐU"' in page and 'value="2025-11-05"' in page
    assert '<option selected value="NQ">' in page
    assert "Tệp đã chọn: nq-05.docx" in page
    staged = re.search(r'name="intake" type="hidden" value="(\d+)"', page).group(1)
    done = client.post(
        "/documents/register",
        data={
            **form,
            "action": "register",
            "doc_type": "NQ",
            "number": "05-NQ/ĐU",
            "issue_date": "2025-11-05",
            "title": "về xây dựng lối sống đô thị văn minh, giai đoạn 2025 - 2030",
            "intake": staged,
        },
    )
    assert done.status_code == 302, done.get_data(as_text=True)
    doc_id = int(done.headers["Location"].rsplit("/", 1)[1])
    doc = api("secretariat", "GET", f"/documents/{doc_id}").json
    assert doc["number"] == "05-NQ/ĐU" and doc["versions"][0]["sha256"] == hashlib.sha256(data).hexdigest()
    # Another user cannot register with a file they never chose.
    other = login("admin").post(
        "/documents/register",
        data={
            **form,
            "action": "register",
            "doc_type": "NQ",
            "number": "06-NQ/ĐU",
            "issue_date": "2025-11-05",
            "title": "x",
            "intake": staged,
        },
    )
    assert other.status_code == 400 and "Không còn tệp đã chọn" in other.get_data(as_text=True)
    # A file read, then the level switched to Mật: the file is not carried into the entry.
    switched = client.post(
        "/documents/register",
        data={
            **form,
            "action": "register",
            "doc_type": "CV",
            "number": "07-CV/ĐU",
            "issue_date": "2025-11-05",
            "title": "Công văn",
            "security_level": "mat",
            "intake": staged,
        },
    )
    assert switched.status_code == 302
    secret_id = int(switched.headers["Location"].rsplit("/", 1)[1])
    assert api("secretariat", "GET", f"/documents/{secret_id}").json["current_version"] is None
    # A secret one is never read nor kept.
    before = len(uploads_files(app))
    secret = client.post(
        "/documents/register",
        data={**form, "security_level": "mat", "file": (samples.stream(samples.docx(["Mật"])), "mat.docx")},
        content_type="multipart/form-data",
    )
    assert secret.status_code == 400 and "không được lưu trên hệ thống nối mạng" in secret.get_data(
        as_text=True
    )
    assert len(uploads_files(app)) == before


def test_detection_on_the_labelled_set_of_text_documents():
    """Forty first pages, Party and state layouts, as DOCX and as text PDF: at least 95% of the
    fields right (BENCHMARKS.md has the figures, scans included)."""
    from ancuu_docs.extract import Limits, inspect_upload
    from tests.header_set import LABELS, as_docx, as_pdf, score

    limits = Limits(max_bytes=10**7, max_uncompressed=10**8, max_members=1000)
    for render, suffix in ((as_docx, ".docx"), (as_pdf, ".pdf")):
        texts = {e["id"]: inspect_upload(render(e), f"{e['id']}{suffix}", limits).text for e in LABELS}
        right, total, wrong = score(texts)
        assert len(LABELS) >= 40 and right / total >= 0.95, (suffix, right, total, wrong)


def test_detection_on_incoming_documents_takes_the_type_from_the_number_never_as_issuer():
    """Fifteen documents that come in (Công văn, Thông báo, Kế hoạch, Hướng dẫn, Quyết định of the
    city's Party bodies and the state's): the type from the number's symbol, a Công văn's subject
    from its "V/v" line, and a type word never read as the issuer."""
    from ancuu_docs.extract import Limits, inspect_upload
    from tests.header_set import INCOMING, as_docx, as_pdf, score

    limits = Limits(max_bytes=10**7, max_uncompressed=10**8, max_members=1000)
    symbols = {e["number"].split("-")[1].split("/")[0] for e in INCOMING if e["style"] == "party"}
    assert {"CV", "TB", "KH", "HD", "QĐ"} <= symbols
    for render, suffix in ((as_docx, ".docx"), (as_pdf, ".pdf")):
        texts = {e["id"]: inspect_upload(render(e), f"{e['id']}{suffix}", limits).text for e in INCOMING}
        right, total, wrong = score(texts, INCOMING)
        assert right / total >= 0.95, (suffix, right, total, wrong)
        found = {e["id"]: detect(texts[e["id"]]) for e in INCOMING}
        assert [found[e["id"]].doc_type for e in INCOMING] == [e["doc_type"] for e in INCOMING], suffix
        assert not any(fold(f.issuing_body).strip() in ("cong van", "thong bao") for f in found.values())
    # "CÔNG VĂN" printed above the number says what it is, not who wrote it.
    printed = detect("THÀNH ỦY HUẾ\nCÔNG VĂN\n*\nSố 87-CV/TU\nV/v triển khai công tác bầu cử")
    assert (printed.issuing_body, printed.doc_type) == ("THÀNH ỦY HUẾ", "CV")
    assert printed.subject == "về việc triển khai công tác bầu cử"
    # A Công văn's number wins over a type line read wrongly.
    assert detect("THÀNH ỦY HUẾ\nSố 87-CV/TU\nNGHỊ QUYẾT\nvề việc x").doc_type == "CV"


def test_the_upload_form_reads_type_and_title_then_files_the_same_file(login, api):
    import hashlib
    import re

    client = login("clerk")
    data = samples.docx(STATE.splitlines())
    read = client.post(
        "/documents/new",
        data={"action": "detect", "file": (samples.stream(data), "qd-12.docx")},
        content_type="multipart/form-data",
    )
    page = read.get_data(as_text=True)
    assert read.status_code == 200 and page.count("Đọc từ tệp: hãy kiểm tra lại.") == 2
    assert 'value="Về việc thành lập Tổ bầu cử khu vực bỏ phiếu số 3"' in page
    assert '<option selected value="QĐ">' in page
    staged = re.search(r'name="staged" type="hidden" value="([0-9a-f]{64})"', page).group(1)
    done = client.post(
        "/documents/new",
        data={
            "action": "upload",
            "title": "Quyết định thành lập Tổ bầu cử số 3",
            "doc_type": "QĐ",
            "staged": staged,
        },
    )
    assert done.status_code == 302, done.get_data(as_text=True)
    doc_id = int(done.headers["Location"].rsplit("/", 1)[1])
    assert (
        api("clerk", "GET", f"/documents/{doc_id}").json["versions"][0]["sha256"]
        == hashlib.sha256(data).hexdigest()
    )
    empty = client.post("/documents/new", data={"action": "upload", "title": "x", "doc_type": "NQ"})
    assert empty.status_code == 400 and "Cần chọn tệp để tải lên." in empty.get_data(as_text=True)
