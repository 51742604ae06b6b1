"""What an attacker or a broken client sends: every answer a 4xx with a Vietnamese message,
nothing left behind, never a 5xx."""

from __future__ import annotations

import os
import tempfile

import pytest

from ancuu_docs import storage
from ancuu_docs.documents.models import Document
from ancuu_docs.extensions import db
from tests import samples
from tests.conftest import uploads_files

HUGE = str(2**64)


def _nothing_left(app) -> None:
    assert uploads_files(app) == [] and db.session.query(Document).count() == 0


def test_text_that_would_expand_without_bound_is_refused_while_extracting(app, api):
    bomb = samples.odt_body('<text:p>Mở đầu<text:s text:c="300000000"/>kết thúc</text:p>')
    assert len(bomb) < 2000
    response = api.upload("clerk", data=bomb, filename="bom.odt")
    assert response.status_code == 413
    assert response.json["error"] == "Văn bản trích từ tệp vượt quá 5.000.000 ký tự. Tệp không được nhận."
    _nothing_left(app)


def test_text_limit_is_a_setting(app, api):
    app.config["MAX_TEXT_CHARS"] = 20
    response = api.upload("clerk", data=samples.docx(["Một đoạn văn dài hơn hai mươi ký tự."]))
    assert response.status_code == 413 and "20 ký tự" in response.json["error"]
    _nothing_left(app)


def test_an_unreadable_space_count_is_one_space(api):
    odt = samples.odt_body('<text:p>Nghị<text:s text:c="abc"/>quyết</text:p>')
    doc = api.upload("clerk", data=odt, filename="nq.odt").json
    file = api("clerk", "GET", f"/documents/{doc['id']}/versions/1/file")
    assert file.status_code == 200
    assert (
        api("clerk", "GET", f"/documents/{doc['id']}/diff?from=1&to=1").json["ops"][0]["text"] == "Nghị quyết"
    )


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"method": 9}, "dùng cách nén không được hỗ trợ"),  # deflate64
        ({"method": 99}, "dùng cách nén không được hỗ trợ"),
        ({"encrypted": True}, "có mật khẩu"),
    ],
)
def test_docx_members_python_cannot_read_are_refused(app, api, patch, message):
    response = api.upload("clerk", data=samples.docx_member_patched(**patch), filename="nq.docx")
    assert response.status_code == 400 and message in response.json["error"]
    _nothing_left(app)


@pytest.mark.parametrize(
    "body",
    [
        {"title": 5},
        {"title": ["Nghị quyết"]},
        {"summary": {"a": 1}},
        {"signer": 3.5},
        {"title": "Nghị\x00quyết"},
    ],
)
def test_json_fields_of_the_wrong_type_are_400(api, body):
    doc = api.upload("secretariat").json
    response = api("secretariat", "PATCH", f"/documents/{doc['id']}", json=body)
    assert response.status_code == 400 and response.json["error"]
    assert api("secretariat", "GET", f"/documents/{doc['id']}").json["title"] == doc["title"]


def test_unknown_booleans_are_refused_not_read_as_no(api):
    doc = api.upload("secretariat").json
    response = api("secretariat", "PATCH", f"/documents/{doc['id']}", json={"confidential": "maybe"})
    assert response.status_code == 400
    assert response.json["errors"] == {"confidential": "Hạn chế phải là có hoặc không (true/false)."}
    assert api.upload("secretariat", confidential="có lẽ").status_code == 400


def test_dates_outside_sensible_years_are_400(api):
    doc = api.upload("secretariat").json
    api.transition("secretariat", doc["id"], "in_review")
    response = api(
        "secretariat",
        "POST",
        f"/documents/{doc['id']}/transitions",
        json={"to": "approved", "issue_date": "0001-01-01"},
    )
    assert response.status_code == 400 and "1900–2999" in response.json["error"]


def test_ids_and_pages_out_of_range_are_404_or_400(api, login):
    client = login("secretariat")
    for path in (f"/documents/{HUGE}", f"/meetings/{HUGE}", f"/documents/{HUGE}/versions/1/file"):
        assert client.get(path).status_code == 404, path
        assert api("secretariat", "GET", path).status_code == 404, path
    assert client.get("/documents", query_string={"page": HUGE}).status_code == 400
    assert api("secretariat", "GET", "/documents", query_string={"page": HUGE}).status_code == 400
    assert api("secretariat", "GET", "/search", query_string={"q": "x", "page": HUGE}).status_code == 400


def test_a_decision_outcome_must_be_a_word(api):
    meeting = api("secretariat", "POST", "/meetings", json={**samples.CONFERENCE, "total_members": 3}).json
    body = {"title": "Thông qua", "presenter": "Trần Thị Hoa"}
    item = api("secretariat", "POST", f"/meetings/{meeting['id']}/agenda", json=body).json["agenda"][0]
    api("secretariat", "POST", f"/meetings/{meeting['id']}/attendance", json={"present": 3, "absent": []})
    vote = {"method": "Giơ tay", "in_favour": 3, "against": 0, "abstaining": 0, "outcome": ["adopted"]}
    response = api(
        "secretariat", "POST", f"/meetings/{meeting['id']}/agenda/{item['id']}/decision", json=vote
    )
    assert response.status_code == 400 and "outcome" in response.json["errors"]


def test_json_bodies_are_bounded(api):
    doc = api.upload("secretariat").json
    body = '{"summary": "' + "a" * (2 * 1024 * 1024) + '"}'
    response = api(
        "secretariat", "PATCH", f"/documents/{doc['id']}", data=body, content_type="application/json"
    )
    assert response.status_code == 413 and response.json["error"] == "Nội dung JSON vượt quá 1024 KB."


def test_a_full_disk_answers_507_and_leaves_nothing(app, api, monkeypatch):
    """The upload's bytes go to /dev/full, a real device that answers "no space left"."""
    real_mkstemp = tempfile.mkstemp

    def full_device(dir=None, prefix=None, **kwargs):
        _fd, name = real_mkstemp(dir=dir, prefix=prefix, **kwargs)
        os.close(_fd)
        return os.open("/dev/full", os.O_WRONLY), name

    monkeypatch.setattr(storage.tempfile, "mkstemp", full_device)
    response = api.upload("clerk")
    assert response.status_code == 507
    assert response.json["error"] == "Hết dung lượng lưu trữ. Báo quản trị giải phóng đĩa rồi thử lại."
    _nothing_left(app)


# ------------------------------------------------------------------ bounded office files


def _docx_with_body(body: bytes) -> bytes:
    """python-docx's own DOCX with `body` (raw WordprocessingML) as its body."""
    import io
    import re
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(samples.docx(["x"])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "word/document.xml":
                replaced = b"<w:body>" + body + b"</w:body>"
                content = re.sub(rb"<w:body>.*</w:body>", replaced, content, flags=re.S)
            archive.writestr(item, content)
    return buffer.getvalue()


def test_a_small_docx_of_millions_of_paragraphs_is_refused_before_it_is_parsed(app, api):
    """219 KB that unpack to 25 million <w:p/> (150 MB, under the unpacking limit)."""
    bomb = _docx_with_body(b"<w:p/>" * 25_000_000)
    assert len(bomb) < 300_000
    response = api.upload("clerk", data=bomb)
    assert response.status_code == 413
    assert response.json["error"].startswith("Tệp có quá nhiều thành phần (hơn 2.000.000 phần tử")
    _nothing_left(app)


def test_elements_nested_too_deep_are_refused(app, api):
    deep = b"<w:p><w:r><w:t>" + b"<w:x>" * 300 + b"</w:x>" * 300 + b"</w:t></w:r></w:p>"
    response = api.upload("clerk", data=_docx_with_body(deep))
    assert response.status_code == 413 and "lồng nhau quá sâu (quá 256 mức)" in response.json["error"]
    _nothing_left(app)


def test_a_docx_missing_its_package_relations_is_refused(app, api):
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(samples.docx(["Nghị quyết"])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            if item.filename != "_rels/.rels":
                archive.writestr(item, source.read(item.filename))
    response = api.upload("clerk", data=buffer.getvalue())
    assert response.status_code == 400
    assert response.json["error"] == "Tệp DOCX bị hỏng: thiếu phần «_rels/.rels»."
    _nothing_left(app)


def test_a_docx_without_section_settings_is_read_in_the_page(api, login):
    words = "Nghị quyết không có phần thiết lập trang"
    body = f"<w:p><w:r><w:t>{words}</w:t></w:r></w:p>".encode()
    doc = api.upload("secretariat", data=_docx_with_body(body)).json
    page = login("secretariat").get(f"/documents/{doc['id']}")
    assert page.status_code == 200 and words in page.get_data(as_text=True)


def test_a_stored_file_over_the_bounds_is_not_shown_nor_issued_and_no_number_is_spent(app, api, login):
    """A file stored before the bound was lowered (or under another setting) is held to it
    when read in the page and when issued."""
    from ancuu_docs.documents.content import NOT_SHOWN
    from ancuu_docs.documents.models import NumberCounter

    data = samples.padded_docx(samples.party_docx(), 5000)
    doc = api.upload("secretariat", data=data).json
    api.transition("secretariat", doc["id"], "in_review")
    app.config["MAX_XML_ITEMS"] = 1000
    page = login("secretariat").get(f"/documents/{doc['id']}")
    assert page.status_code == 200
    assert NOT_SHOWN in page.get_data(as_text=True)
    refused = api.transition("secretariat", doc["id"], "approved")
    assert refused.status_code == 409 and "quá nhiều thành phần" in refused.json["error"]
    db.session.rollback()
    assert [c.last_value for c in db.session.query(NumberCounter)] in ([], [0])
    assert api("secretariat", "GET", f"/documents/{doc['id']}").json["status"] == "in_review"


def test_the_page_shows_at_most_so_many_paragraphs(api, login):
    from ancuu_docs.docx_html import CUT_SHORT, MAX_BLOCKS

    paragraphs = [f"Đoạn {i}" for i in range(MAX_BLOCKS + 10)]
    doc = api.upload("secretariat", data=samples.docx(paragraphs)).json
    page = login("secretariat").get(f"/documents/{doc['id']}").get_data(as_text=True)
    assert f"Đoạn {MAX_BLOCKS - 1}<" in page and f"Đoạn {MAX_BLOCKS}<" not in page and CUT_SHORT in page


def test_a_spreadsheet_is_held_to_the_same_bounds(app):
    """The bound every office file is read under (the tasks' spreadsheet import will read its
    XLSX through it): a workbook whose sheet unpacks to millions of cells is refused before
    openpyxl would build them."""
    import io
    import zipfile

    from openpyxl import Workbook

    from ancuu_docs.documents.services import upload_limits
    from ancuu_docs.errors import TooLarge
    from ancuu_docs.extract import check_package

    book = Workbook()
    book.active.append(["Nhiệm vụ", "Đơn vị"])
    saved = io.BytesIO()
    book.save(saved)
    check_package(saved.getvalue(), upload_limits(), "XLSX")  # an ordinary workbook passes
    source = zipfile.ZipFile(io.BytesIO(saved.getvalue()))
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b"</sheetData>", b'<row r="2">' + b"<c/>" * 3_000_000 + b"</row></sheetData>"
                )
            out.writestr(item.filename, data)
    with pytest.raises(TooLarge) as refused:
        check_package(bomb.getvalue(), upload_limits(), "XLSX")
    assert "quá nhiều thành phần" in refused.value.message
