"""Uploads: every accepted format has its text extracted; every bad file is refused cleanly."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ancuu_docs.documents.models import Document, DocumentVersion
from ancuu_docs.extensions import db
from tests import samples
from tests.conftest import uploads_files


def _text_of(_api, doc_id: int) -> str:
    return db.session.get(Document, doc_id).current_version.text


def _nothing_stored(app):
    assert db.session.scalar(select(func.count()).select_from(Document)) == 0
    assert db.session.scalar(select(func.count()).select_from(DocumentVersion)) == 0
    assert uploads_files(app) == []


def test_docx_text_includes_tables_headers_and_footers(api):
    data = samples.docx(
        ["Nghị quyết về tăng cường công tác quản lý đất đai."],
        table=[["Nội dung", "Thời gian"], ["Kiểm tra Chi bộ Khu vực 3", "Quý II/2026"]],
        header="ĐẢNG ỦY PHƯỜNG AN CỰU",
        footer="Lưu Văn phòng Đảng ủy",
    )
    response = api.upload("secretariat", data=data)
    assert response.status_code == 201, response.json
    body = response.json
    assert body["versions"][0]["media_type"].endswith("wordprocessingml.document")
    text = _text_of(api, body["id"])
    for expected in (
        "quản lý đất đai",
        "Kiểm tra Chi bộ Khu vực 3",
        "Quý II/2026",
        "ĐẢNG ỦY PHƯỜNG AN CỰU",
        "Lưu Văn phòng Đảng ủy",
    ):
        assert expected in text


def test_odt_text_is_extracted(api):
    data = samples.odt(["Chương trình kiểm tra, giám sát toàn khóa."], heading="I- MỤC ĐÍCH")
    response = api.upload("secretariat", data=data, filename="chuong-trinh.odt", doc_type="CTr")
    assert response.status_code == 201, response.json
    assert response.json["versions"][0]["media_type"] == samples.ODT_MIME
    text = _text_of(api, response.json["id"])
    assert "I- MỤC ĐÍCH" in text and "kiểm tra, giám sát toàn khóa" in text


def test_pdf_text_is_extracted(api):
    data = samples.pdf(["Bao cao ket qua thu ngan sach 181,55 ty dong", "Directive 46-CT/TW"])
    response = api.upload("secretariat", data=data, filename="bao-cao.pdf", doc_type="BC")
    assert response.status_code == 201, response.json
    assert response.json["versions"][0]["media_type"] == "application/pdf"
    text = _text_of(api, response.json["id"])
    assert "181,55" in text and "46-CT/TW" in text


def test_utf8_text_is_stored_in_nfc(api):
    import unicodedata

    data = unicodedata.normalize("NFD", "Nghị quyết số 05").encode()
    assert data != "Nghị quyết số 05".encode()  # the file really is decomposed
    response = api.upload("secretariat", data=data, filename="ghi-chu.txt", doc_type="TB")
    assert response.status_code == 201, response.json
    assert _text_of(api, response.json["id"]) == "Nghị quyết số 05"


def test_pdf_named_docx_is_refused_and_nothing_is_left(app, api):
    response = api.upload("secretariat", data=samples.pdf(["x"]), filename="nghi-quyet.docx")
    assert response.status_code == 415
    assert ".docx" in response.json["error"] and "PDF" in response.json["error"]
    _nothing_stored(app)


def test_text_named_pdf_is_refused(app, api):
    response = api.upload("secretariat", data=b"just text", filename="bao-cao.pdf")
    assert response.status_code == 415
    _nothing_stored(app)


def test_unknown_extension_is_refused(app, api):
    response = api.upload("secretariat", data=b"MZ\x90\x00binary", filename="virus.exe")
    assert response.status_code == 415
    assert ".docx" in response.json["error"]
    _nothing_stored(app)


def test_other_office_archive_is_refused(app, api):
    workbook = samples.archive({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})
    response = api.upload("secretariat", data=workbook, filename="bang-tinh.docx")
    assert response.status_code == 415
    _nothing_stored(app)


def test_corrupt_docx_is_refused(app, api):
    good = samples.docx(["Nội dung"])
    corrupt = good[: len(good) // 2]
    response = api.upload("secretariat", data=corrupt, filename="hong.docx")
    assert response.status_code == 400
    assert response.json["error"] == "Tệp bị hỏng: không đọc được cấu trúc nén."
    _nothing_stored(app)


def test_docx_with_broken_xml_is_refused(app, api):
    broken = samples.archive(
        {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document><unclosed>"}
    )
    response = api.upload("secretariat", data=broken, filename="hong.docx")
    assert response.status_code == 400
    assert "hỏng" in response.json["error"]
    _nothing_stored(app)


def test_corrupt_pdf_is_refused(app, api):
    response = api.upload("secretariat", data=b"%PDF-1.4\n1 0 obj <<< garbage", filename="hong.pdf")
    assert response.status_code == 400
    assert "PDF" in response.json["error"]
    _nothing_stored(app)


@pytest.fixture
def app_settings():
    return {"MAX_UPLOAD_BYTES": 200_000, "MAX_UNCOMPRESSED_BYTES": 5 * 1024 * 1024}


def test_oversized_file_is_refused_with_413(app, api):
    data = ("Nghị quyết " * 30_000).encode()  # about 360 KB, over the 200 KB set for this module
    response = api.upload("secretariat", data=data, filename="dai.txt")
    assert response.status_code == 413
    assert "MB" in response.json["error"]
    _nothing_stored(app)


def test_request_far_over_the_limit_is_refused_as_json(app, api):
    data = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 10)
    response = api.upload("secretariat", data=data, filename="rat-dai.txt")
    assert response.status_code == 413
    assert response.is_json and response.json["error"]
    _nothing_stored(app)


def test_zip_bomb_is_refused(app, api):
    bomb = samples.zip_bomb_docx(20 * 1024 * 1024)  # 20 MB of zeros, some 20 KB on disk
    assert len(bomb) < app.config["MAX_UPLOAD_BYTES"]
    response = api.upload("secretariat", data=bomb, filename="bom.docx")
    assert response.status_code == 400
    assert "bom nén" in response.json["error"]
    _nothing_stored(app)


def test_legacy_tcvn3_text_is_refused_with_an_explanation(app, api):
    # "Nghị quyết Đại hội Đảng bộ phường" as TCVN3 bytes read as Latin-1.
    garbage = "NghÞ quyÕt §¹i héi §¶ng bé ph­êng lÇn thø nhÊt, nhiÖm kú 2025 - 2030. " * 5
    response = api.upload("secretariat", data=garbage.encode(), filename="cu.txt")
    assert response.status_code == 400
    assert "TCVN3" in response.json["error"]
    _nothing_stored(app)


def test_original_filename_is_never_a_path(app, api):
    response = api.upload(
        "secretariat", data=b"Thong bao so 01", filename="../../etc/thong-bao.txt", doc_type="TB"
    )
    assert response.status_code == 201
    version = response.json["versions"][0]
    assert version["filename"] == "thong-bao.txt"
    stored = uploads_files(app)
    assert [p.name for p in stored] == [version["sha256"]]
    download = api("member", "GET", f"/documents/{response.json['id']}/versions/1/file")
    assert download.status_code == 404  # a draft: members may not read it
    download = api("secretariat", "GET", f"/documents/{response.json['id']}/versions/1/file")
    assert download.data == b"Thong bao so 01"
    assert "filename=thong-bao.txt" in download.headers["Content-Disposition"]
