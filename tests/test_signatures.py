"""Digitally signed PDFs: each signature checked at upload, against the trust roots in
instance/trust/, shown on the version, in the JSON and in the audit trail."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from ancuu_docs.audit.models import AuditEvent
from ancuu_docs.extensions import db
from tests.signing import ProjectCA, modify_after_signing, plain_pdf, sign


@pytest.fixture(scope="module")
def ca():
    return ProjectCA()


def trust(app, ca) -> None:
    folder = Path(app.instance_path) / "trust"
    folder.mkdir(exist_ok=True)
    (folder / "test-ca.pem").write_bytes(ca.pem())


def upload(api, data: bytes, title: str = "Chỉ thị đã ký số") -> dict:
    response = api.upload("secretariat", data=data, filename="ky-so.pdf", title=title)
    assert response.status_code == 201, response.json
    return response.json


def test_a_pdf_signed_by_a_trusted_ca_shows_its_signer_and_valid(app, api, ca, login):
    trust(app, ca)
    signed = sign(plain_pdf(), ca.signer("Nguyễn Văn Hùng", "Đảng ủy phường An Cựu"))
    doc = upload(api, signed)
    [signature] = doc["signatures"]
    assert signature["signer"] == "Nguyễn Văn Hùng" and signature["organisation"] == "Đảng ủy phường An Cựu"
    assert signature["status"] == "valid" and signature["trusted"] and signature["intact"]
    assert signature["coverage"] == "ENTIRE_FILE" and signature["signed_at"]
    assert doc["versions"][0]["sha256"] == hashlib.sha256(signed).hexdigest()  # read, never changed
    page = login("secretariat").get(f"/documents/{doc['id']}").get_data(as_text=True)
    assert (
        "Chữ ký số 1: Nguyễn Văn Hùng (Đảng ủy phường An Cựu)" in page and "<strong>Hợp lệ</strong>" in page
    )
    db.session.rollback()
    event = db.session.query(AuditEvent).filter_by(action="version.signatures").one()
    assert event.details["signatures"] == [{"signer": "Nguyễn Văn Hùng", "status": "valid"}]


def test_without_the_root_it_is_valid_but_the_ca_unknown(api, ca, login):
    doc = upload(api, sign(plain_pdf(), ca.signer("Trần Thị Hoa", "Văn phòng Đảng ủy")))
    [signature] = doc["signatures"]
    assert signature["status"] == "untrusted" and signature["intact"] and not signature["trusted"]
    page = login("secretariat").get(f"/documents/{doc['id']}").get_data(as_text=True)
    assert "Hợp lệ, chưa xác định được tổ chức chứng thực" in page


def test_a_change_appended_after_signing_is_shown(app, api, ca, login):
    trust(app, ca)
    signed = sign(plain_pdf(), ca.signer("Nguyễn Văn Hùng", "Đảng ủy phường An Cựu"))
    doc = upload(api, modify_after_signing(signed))
    [signature] = doc["signatures"]
    assert signature["status"] == "modified" and signature["status_label"] == "Tệp đã bị sửa sau khi ký"
    assert signature["modification"] == "OTHER"
    page = login("secretariat").get(f"/documents/{doc['id']}").get_data(as_text=True)
    assert "Tệp đã bị sửa sau khi ký</strong> (thay đổi sau khi ký: sửa nội dung)" in page


def test_two_signatures_in_sequence(app, api, ca):
    trust(app, ca)
    first = sign(plain_pdf(), ca.signer("Lê Văn Bình", "Văn phòng Đảng ủy"), field="Sig1")
    both = sign(first, ca.signer("Nguyễn Văn Hùng", "Đảng ủy phường An Cựu"), field="Sig2")
    doc = upload(api, both)
    assert [(s["position"], s["signer"], s["status"]) for s in doc["signatures"]] == [
        (1, "Lê Văn Bình", "valid"),
        (2, "Nguyễn Văn Hùng", "valid"),
    ]


def test_the_cli_checks_again_once_the_root_is_trusted(app, api, ca):
    doc = upload(api, sign(plain_pdf(), ca.signer("Trần Thị Hoa", "Văn phòng Đảng ủy")))
    assert doc["signatures"][0]["status"] == "untrusted"
    trust(app, ca)
    result = app.test_cli_runner().invoke(args=["signatures", "verify", str(doc["id"])])
    assert result.exit_code == 0, result.output
    assert (
        "Phiên bản 1, chữ ký 1: Trần Thị Hoa (Văn phòng Đảng ủy)" in result.output
        and "Hợp lệ" in result.output
    )
    assert api("secretariat", "GET", f"/documents/{doc['id']}").json["signatures"][0]["status"] == "valid"


def test_an_unsigned_pdf_has_no_signatures(api):
    assert upload(api, plain_pdf(), title="Công văn không ký số")["signatures"] == []
