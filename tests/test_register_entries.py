"""The books as a Party office keeps them on paper: the columns of the register forms, the secret
books apart, every entry correctable and a wrong one cancelled, never deleted."""

from __future__ import annotations

import io
import re
import subprocess
from html import unescape

from docx import Document as open_docx
from openpyxl import load_workbook

from ancuu_docs.audit.models import AuditEvent
from ancuu_docs.extensions import db
from tests import samples
from tests.test_registering import DIRECTIVE, _incoming_year, register
from tests.tools import needs

# The register forms of appendix IV (Decree 30/2020), column by column, as the office prints them.
INCOMING = [
    "Số đến",
    "Ngày đến",
    "Tác giả",
    "Số và ký hiệu",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung",
    "Độ mật",
    "Độ khẩn",
    "Đơn vị hoặc người nhận",
    "Hạn giải quyết",
    "Ngày trả lời",
    "Ký nhận",
    "Ghi chú",
]
OUTGOING = [
    "Số và ký hiệu",
    "Ngày tháng",
    "Tên loại và trích yếu nội dung",
    "Người ký",
    "Nơi nhận",
    "Đơn vị/người nhận bản lưu",
    "Số lượng bản",
    "Ngày gửi",
    "Ký nhận",
    "Ghi chú",
]


def _book(api, kind, fmt=None, role="secretariat", year=2025):
    query = {"year": year} | ({"format": fmt} if fmt else {})
    return api(role, "GET", f"/registers/{kind}", query_string=query)


def _pdf_cells(data: bytes, tmp_path) -> str:
    """The PDF's text in the order it was drawn (cell by cell), lines joined by spaces."""
    path = tmp_path / "book.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True).stdout
    return " ".join(text.split())


def _every_format(api, kind, tmp_path, role="secretariat") -> dict:
    """What the book's page, API, XLSX, DOCX and PDF show: headings and rows as text."""
    xlsx = load_workbook(io.BytesIO(_book(api, kind, "xlsx", role).data)).active
    table = open_docx(io.BytesIO(_book(api, kind, "docx", role).data)).tables[0]
    return {
        "entries": _book(api, kind, role=role).json["entries"],
        "xlsx": [[c.value for c in row] for row in xlsx.iter_rows(min_row=4)],
        "docx": [[cell.text for cell in row.cells] for row in table.rows],
        "pdf": _pdf_cells(_book(api, kind, "pdf", role).data, tmp_path),
    }


@needs("pdftotext")
def test_each_book_has_the_paper_forms_columns_in_the_page_the_api_and_every_file(api, login, tmp_path):
    _incoming_year(api)
    register(
        api,
        **{
            **DIRECTIVE,
            "doc_type": "HD",
            "number": "05-HD/BTCTU",
            "title": "Về công tác phát triển đảng viên",
        },
    )
    ours = api("secretariat", "GET", "/registers/outgoing", query_string={"year": 2025}).json["entries"][0]
    api(
        "secretariat",
        "POST",
        f"/documents/{ours['id']}/dispatch",
        json={
            "recipients": "Thành ủy Huế\nCác chi bộ",
            "archive_holder": "Văn phòng Đảng ủy",
            "copies": 12,
            "sent_date": "2025-11-06",
            "note": "Gửi kèm phụ lục",
        },
    )
    first = api("secretariat", "GET", "/registers/incoming", query_string={"year": 2025}).json["entries"][0]
    handled = api(
        "secretariat",
        "POST",
        f"/documents/{first['id']}/handling",
        json={"handler": "Ban Tổ chức", "reply_due": "2025-07-15", "note": "Đã sao gửi các chi bộ"},
    )
    assert handled.status_code == 200
    page = unescape(login("secretariat").get("/registers/incoming?year=2025").get_data(as_text=True))
    assert [f'<th scope="col">{h}</th>' in page for h in INCOMING] == [True] * len(INCOMING)
    incoming = _every_format(api, "incoming", tmp_path)
    assert incoming["xlsx"][0] == INCOMING and incoming["docx"][0] == INCOMING
    assert " ".join(INCOMING) in incoming["pdf"]
    directive = incoming["entries"][0]
    # The type once, secrecy and urgency in their own columns, Ký nhận blank for the pen.
    assert directive["subject"].startswith("Chỉ thị về lãnh đạo cuộc bầu cử")
    assert "Chỉ thị Chỉ thị" not in str(incoming) and "[" not in directive["subject"]
    assert (directive["security"], directive["urgency"], directive["receipt"]) == ("", "Khẩn", "")
    assert (directive["handler"], directive["note"]) == ("Ban Tổ chức", "Đã sao gửi các chi bộ")
    guidance = incoming["entries"][-1]
    assert guidance["subject"] == "Hướng dẫn về công tác phát triển đảng viên"
    row = incoming["xlsx"][1]
    assert row[2:4] == ["Bộ Chính trị", "46-CT/TW"] and row[7:9] == ["Khẩn", "Ban Tổ chức"]
    assert row[11] is None and row[12] == "Đã sao gửi các chi bộ"
    assert incoming["docx"][1][12] == "Đã sao gửi các chi bộ" and incoming["docx"][1][7] == "Khẩn"
    assert "Hướng dẫn về công tác phát triển" in incoming["pdf"]

    outgoing = _every_format(api, "outgoing", tmp_path)
    assert outgoing["xlsx"][0] == OUTGOING and outgoing["docx"][0] == OUTGOING
    assert " ".join(OUTGOING) in outgoing["pdf"]
    sent = outgoing["entries"][0]
    assert (sent["archive_holder"], sent["copies"], sent["note"], sent["receipt"]) == (
        "Văn phòng Đảng ủy",
        12,
        "Gửi kèm phụ lục",
        "",
    )
    assert outgoing["docx"][1][5:8] == ["Văn phòng Đảng ủy", "12", "06/11/2025"]
    assert outgoing["xlsx"][1][5] == "Văn phòng Đảng ủy" and outgoing["xlsx"][1][9] == "Gửi kèm phụ lục"
    assert "Văn phòng Đảng ủy 12 06/11/2025" in outgoing["pdf"]
    out_page = unescape(login("secretariat").get("/registers/outgoing?year=2025").get_data(as_text=True))
    assert [f'<th scope="col">{h}</th>' in out_page for h in OUTGOING] == [True] * len(OUTGOING)


SECRET = {**DIRECTIVE, "number": "87-CV/TU", "title": "Về bảo vệ bí mật nhà nước", "security_level": "mat"}


@needs("pdftotext")
def test_a_secret_entry_is_in_the_secret_book_alone_with_its_own_arrival_series(api, login, tmp_path):
    register(api, **DIRECTIVE)
    secret = register(api, **SECRET)
    assert secret.status_code == 201 and secret.json["arrival_number"] == 1  # its own series
    second = register(api, **{**DIRECTIVE, "number": "47-CT/TW"}).json
    assert second["arrival_number"] == 2  # the general series goes on where it was
    ours_secret = register(
        api,
        doc_type="NQ",
        number="07-NQ/ĐU",
        issue_date="2025-10-01",
        title="Về công tác quốc phòng",
        security_level="toi_mat",
    )
    assert ours_secret.status_code == 201
    for kind in ("incoming", "outgoing"):
        general = _every_format(api, kind, tmp_path)
        assert "87-CV/TU" not in str(general) and "07-NQ/ĐU" not in str(general), kind
    secret_in = _every_format(api, "incoming-secret", tmp_path)
    assert [(e["arrival_number"], e["number"], e["security"]) for e in secret_in["entries"]] == [
        (1, "87-CV/TU", "Mật")
    ]
    assert secret_in["xlsx"][1][3] == "87-CV/TU" and secret_in["docx"][1][6] == "Mật"
    assert "87-CV/TU" in secret_in["pdf"] and "SỔ ĐĂNG KÝ VĂN BẢN MẬT ĐẾN NĂM 2025" in secret_in["pdf"]
    secret_out = _every_format(api, "outgoing-secret", tmp_path)
    assert [e["number"] for e in secret_out["entries"]] == ["07-NQ/ĐU"] and "07-NQ/ĐU" in secret_out["pdf"]
    office = login("secretariat").get("/registers/incoming-secret?year=2025").get_data(as_text=True)
    assert "Sổ đăng ký văn bản mật đến năm 2025" in office and "87-CV/TU" in office
    assert "Sổ văn bản mật đến" in login("admin").get("/registers/incoming").get_data(as_text=True)
    for role in ("member", "clerk"):
        for kind in ("incoming-secret", "outgoing-secret"):
            assert _book(api, kind, role=role).status_code == 404
            assert _book(api, kind, "xlsx", role=role).status_code == 404
            assert login(role).get(f"/registers/{kind}").status_code == 404
        assert "mật đến" not in login(role).get("/registers/incoming").get_data(as_text=True)


def _audited(doc_id, action):
    events = db.session.query(AuditEvent).filter_by(object_type="document", object_id=doc_id, action=action)
    return [event.details for event in events.order_by(AuditEvent.id)]


def test_the_office_corrects_every_column_of_an_entry_audited_and_its_arrival_number_kept(api, login):
    doc = register(api, **DIRECTIVE).json
    register(api, **{**DIRECTIVE, "number": "47-CT/TW"})
    correction = {
        "number": "46-CT/TƯ",
        "issuer": "Ban Chấp hành Trung ương",
        "issue_date": "2025-06-17",
        "received_date": "2025-06-21",
        "doc_type": "KL",
        "title": "Kết luận về lãnh đạo cuộc bầu cử",
        "urgency": "thuong_khan",
        "handler": "Ban Tuyên giáo",
        "reply_due": "2025-07-30",
    }
    fixed = api("secretariat", "PATCH", f"/documents/{doc['id']}", json=correction)
    assert fixed.status_code == 200, fixed.json
    assert {key: fixed.json[key] for key in correction} == correction
    assert (fixed.json["arrival_number"], fixed.json["arrival_year"]) == (1, 2025)
    [changes] = _audited(doc["id"], "document.correct")
    assert changes["changes"]["number"] == {"from": "46-CT/TW", "to": "46-CT/TƯ"}
    assert changes["changes"]["received_date"] == {"from": "20/06/2025", "to": "21/06/2025"}
    assert set(changes["changes"]) == set(correction)
    entry = _book(api, "incoming").json["entries"][0]
    assert (entry["arrival_number"], entry["number"], entry["issuer"], entry["urgency"]) == (
        1,
        "46-CT/TƯ",
        "Ban Chấp hành Trung ương",
        "Thượng khẩn",
    )
    log = unescape(login("secretariat").get("/audit").get_data(as_text=True))
    assert "Sửa mục sổ" in log and "Số: «46-CT/TW» → «46-CT/TƯ»" in log
    # An arrival number belongs to its year's book: moved to another year, refused.
    moved = api("secretariat", "PATCH", f"/documents/{doc['id']}", json={"received_date": "2026-01-02"})
    assert moved.status_code == 400 and set(moved.json["errors"]) == {"received_date"}
    for blank in ({"issuer": " "}, {"number": ""}, {"title": ""}):
        refused = api("secretariat", "PATCH", f"/documents/{doc['id']}", json=blank)
        assert refused.status_code == 400 and set(refused.json["errors"]) == set(blank), blank
    assert api("member", "PATCH", f"/documents/{doc['id']}", json={"handler": "x"}).status_code == 403
    assert len(_audited(doc["id"], "document.correct")) == 1


def test_a_correction_through_the_page_shows_errors_beside_fields_and_keeps_the_number(api, login):
    doc = register(api, **DIRECTIVE).json
    client = login("secretariat")
    form = client.get(f"/documents/{doc['id']}/entry").get_data(as_text=True)
    assert 'value="46-CT/TW"' in form and "Số đến 1/2025" in form and 'value="2025-06-20"' in form
    fields = {
        "number": "46-CT/TW",
        "issuer": "Bộ Chính trị",
        "issue_date": "2025-06-16",
        "received_date": "2024-12-30",
        "doc_type": "CT",
        "title": DIRECTIVE["title"],
        "urgency": "khan",
        "security_level": "none",
        "handler": "",
        "reply_due": "ngày mai",
        "note": "",
    }
    bad = client.post(f"/documents/{doc['id']}/entry", data=fields)
    text = unescape(bad.get_data(as_text=True))
    assert bad.status_code == 400
    assert '<p class="error" role="alert">Hạn giải quyết không hợp lệ (dạng YYYY-MM-DD).</p>' in text
    fields["reply_due"] = ""
    wrong_year = client.post(f"/documents/{doc['id']}/entry", data=fields)
    text = unescape(wrong_year.get_data(as_text=True))
    assert (
        wrong_year.status_code == 400
        and 'role="alert">Số đến 1 thuộc sổ năm 2025: ngày đến phải trong năm' in text
    )
    fields |= {"received_date": "2025-06-22", "handler": "Văn phòng", "note": "Bản photo"}
    done = client.post(f"/documents/{doc['id']}/entry", data=fields, follow_redirects=True)
    assert "Đã sửa mục sổ" in done.get_data(as_text=True)
    entry = _book(api, "incoming").json["entries"][0]
    assert (entry["arrival_number"], entry["received_date"], entry["handler"], entry["note"]) == (
        1,
        "22/06/2025",
        "Văn phòng",
        "Bản photo",
    )
    assert entry["reply_due"] == ""  # cleared through the page
    assert login("member").get(f"/documents/{doc['id']}/entry").status_code == 403


def test_raising_an_entry_with_stored_content_to_secret_is_refused_with_the_way_out(api):
    scanned = register(api, file=samples.pdf(["Chi thi 46-CT/TW"]), **DIRECTIVE).json
    raised = api("secretariat", "PATCH", f"/documents/{scanned['id']}", json={"security_level": "mat"})
    assert raised.status_code == 409 and "đã lưu tệp nội dung" in raised.json["error"]
    assert "Hãy hủy mục này (ghi lý do) rồi đăng ký lại văn bản vào sổ văn bản mật" in raised.json["error"]
    ours = register(
        api,
        file=samples.pdf(["Nghi quyet 02-NQ/DU"]),
        doc_type="NQ",
        number="02-NQ/ĐU",
        issue_date="2025-10-01",
        title="Về quốc phòng",
    ).json
    refused = api("secretariat", "PATCH", f"/documents/{ours['id']}", json={"security_level": "toi_mat"})
    assert refused.status_code == 409 and "đã lưu tệp nội dung" in refused.json["error"]
    bare = register(api, **{**DIRECTIVE, "number": "50-CT/TW"}).json  # metadata only: still its series
    moved = api("secretariat", "PATCH", f"/documents/{bare['id']}", json={"security_level": "mat"})
    assert moved.status_code == 409 and "Số đến 2/2025 thuộc sổ văn bản đến" in moved.json["error"]
    assert api("secretariat", "GET", f"/documents/{scanned['id']}").json["security_level"] == "none"
    assert _audited(scanned["id"], "document.correct") == []


def test_a_cancelled_entry_stays_in_its_book_marked_and_its_number_is_never_given_again(api, login):
    first = register(api, **DIRECTIVE).json
    register(api, **{**DIRECTIVE, "number": "47-CT/TW"})
    no_reason = api("secretariat", "POST", f"/documents/{first['id']}/cancel", json={"reason": " "})
    assert no_reason.status_code == 400 and set(no_reason.json["errors"]) == {"reason"}
    assert api("member", "POST", f"/documents/{first['id']}/cancel", json={"reason": "x"}).status_code == 403
    cancelled = api(
        "secretariat", "POST", f"/documents/{first['id']}/cancel", json={"reason": "Vào sổ hai lần"}
    )
    assert cancelled.status_code == 200 and cancelled.json["cancelled"] is True
    assert cancelled.json["cancel_reason"] == "Vào sổ hai lần"
    entries = _book(api, "incoming").json["entries"]
    assert [(e["arrival_number"], e["cancelled"], e["note"]) for e in entries] == [
        (1, True, "Đã hủy: Vào sổ hai lần"),
        (2, False, ""),
    ]
    third = register(api, **{**DIRECTIVE, "number": "48-CT/TW"}).json
    assert third["arrival_number"] == 3  # 1 is never given again
    again = api("secretariat", "POST", f"/documents/{first['id']}/cancel", json={"reason": "lần nữa"})
    assert again.status_code == 409
    assert api("secretariat", "PATCH", f"/documents/{first['id']}", json={"handler": "x"}).status_code == 409
    page = login("secretariat").get(f"/documents/{first['id']}").get_data(as_text=True)
    assert "Đã hủy" in page and "Vào sổ hai lần" in page
    # Ours from before: cancelled, its printed number stays taken.
    ours = register(
        api, doc_type="NQ", number="03-NQ/ĐU", issue_date="2025-10-01", title="Về quốc phòng"
    ).json
    page = login("secretariat")
    form = page.get(f"/documents/{ours['id']}/cancel").get_data(as_text=True)
    assert "không cấp lại" in form
    empty = page.post(f"/documents/{ours['id']}/cancel", data={"reason": ""})
    assert empty.status_code == 400 and "Cần nhập lý do hủy." in empty.get_data(as_text=True)
    done = page.post(f"/documents/{ours['id']}/cancel", data={"reason": "Nhầm số"}, follow_redirects=True)
    assert "Đã hủy mục sổ" in done.get_data(as_text=True)
    reused = register(api, doc_type="NQ", number="03-NQ/ĐU", issue_date="2025-10-02", title="Về an ninh")
    assert reused.status_code == 409
    assert [e["note"] for e in _book(api, "outgoing").json["entries"]] == ["Đã hủy: Nhầm số"]
    assert _audited(ours["id"], "document.cancel")[0]["reason"] == "Nhầm số"


def test_our_entry_from_before_is_corrected_through_the_page_its_number_checked(api, login):
    register(api, doc_type="NQ", number="04-NQ/ĐU", issue_date="2025-09-01", title="Về an ninh")
    ours = register(api, doc_type="NQ", number="03-NQ/ĐU", issue_date="2025-10-01", title="Về quốc phòn").json
    client = login("secretariat")
    form = client.get(f"/documents/{ours['id']}/entry").get_data(as_text=True)
    assert 'name="received_date"' not in form and 'name="issuer"' not in form  # not an incoming one
    fields = {
        "number": "03-NQ/ĐU",
        "issue_date": "2025-10-01",
        "doc_type": "NQ",
        "title": "Về quốc phòng",
        "signer": "Nguyễn Văn Hùng",
        "urgency": "",
        "security_level": "",
        "note": "",
    }
    done = client.post(f"/documents/{ours['id']}/entry", data=fields, follow_redirects=True)
    assert "Đã sửa mục sổ" in done.get_data(as_text=True)  # its own number is no clash
    taken = client.post(f"/documents/{ours['id']}/entry", data={**fields, "number": "04-NQ/ĐU"})
    assert taken.status_code == 409 and "Số 04-NQ/ĐU của nhiệm kỳ 2025-2030 đã có trong sổ." in unescape(
        taken.get_data(as_text=True)
    )
    wrong_type = client.post(f"/documents/{ours['id']}/entry", data={**fields, "doc_type": "CT"})
    assert wrong_type.status_code == 400 and "không khớp loại văn bản" in unescape(
        wrong_type.get_data(as_text=True)
    )
    moved = api("secretariat", "PATCH", f"/documents/{ours['id']}", json={"number": "5-NQ/đu"})
    assert moved.status_code == 200 and moved.json["number"] == "05-NQ/ĐU"
    incoming_only = api(
        "secretariat", "PATCH", f"/documents/{ours['id']}", json={"received_date": "2025-10-02"}
    )
    assert incoming_only.status_code == 400 and set(incoming_only.json["errors"]) == {"received_date"}
    entry = next(e for e in _book(api, "outgoing").json["entries"] if e["id"] == ours["id"])
    assert (entry["number"], entry["subject"], entry["signer"]) == (
        "05-NQ/ĐU",
        "Nghị quyết về quốc phòng",
        "Nguyễn Văn Hùng",
    )


def test_a_variant_of_a_listed_issuer_is_asked_about_and_the_filter_groups_variants(api, login):
    asked = register(api, **{**DIRECTIVE, "issuer": "Thành uỷ  Huế"})
    assert asked.status_code == 400
    assert asked.json["errors"]["issuer"].startswith("Có phải «Thành ủy Huế»?")
    assert register(api, **{**DIRECTIVE, "issuer": "Thanh uy Hue"}).status_code == 400
    kept = register(api, **{**DIRECTIVE, "issuer": "Thành uỷ  Huế", "new_issuer": True})
    assert kept.status_code == 201 and kept.json["issuer"] == "Thành uỷ  Huế"
    assert register(api, **{**DIRECTIVE, "number": "47-CT/TW", "issuer": "Thành ủy Huế"}).status_code == 201
    other = register(api, **{**DIRECTIVE, "number": "48-CT/TW", "issuer": "Ban Chấp hành Đảng bộ tỉnh"})
    assert other.status_code == 201  # another body altogether: nothing to ask
    grouped = _book(api, "incoming").json["entries"]
    by_body = api(
        "member", "GET", "/registers/incoming", query_string={"year": 2025, "issuer": "Thành ủy Huế"}
    ).json["entries"]
    assert [e["number"] for e in by_body] == ["46-CT/TW", "47-CT/TW"] and len(grouped) == 3
    page = unescape(login("member").get("/registers/incoming?year=2025").get_data(as_text=True))
    assert page.count('<option value="Thành ủy Huế">') == 1 and "Thành uỷ  Huế</option>" not in page
    client = login("secretariat")
    form = {**DIRECTIVE, "number": "49-CT/TW", "issuer": "THÀNH ỦY HUẾ", "security_level": "none"}
    refused = client.post("/documents/register", data={**form, "action": "register"})
    text = unescape(refused.get_data(as_text=True))
    assert refused.status_code == 400 and 'role="alert">Có phải «Thành ủy Huế»?' in text
    assert 'name="new_issuer"' in text
    correction = api(
        "secretariat", "PATCH", f"/documents/{other.json['id']}", json={"issuer": "thành ủy huế"}
    )
    assert correction.status_code == 400 and "Có phải «Thành ủy Huế»?" in correction.json["errors"]["issuer"]


def test_the_admin_keeps_the_list_of_issuers(api, login):
    admin = login("admin")
    page = unescape(admin.get("/admin/issuers").get_data(as_text=True))
    assert "Ban Tổ chức Thành ủy" in page  # first filled from the settings
    added = admin.post("/admin/issuers", data={"name": "Ủy ban nhân dân phường An Cựu"})
    assert added.status_code == 302
    same = admin.post("/admin/issuers", data={"name": "Uỷ ban nhân dân  phường An Cựu"})
    text = unescape(same.get_data(as_text=True))
    assert same.status_code == 409 and 'role="alert">Danh sách đã có «Ủy ban nhân dân phường An Cựu»' in text
    blank = admin.post("/admin/issuers", data={"name": " "})
    assert blank.status_code == 400 and "Cần nhập tên cơ quan." in unescape(blank.get_data(as_text=True))
    register_page = login("secretariat").get("/documents/register").get_data(as_text=True)
    assert '<option value="Ủy ban nhân dân phường An Cựu">' in register_page
    asked = register(api, **{**DIRECTIVE, "issuer": "UBND phuong An Cuu"})
    assert asked.status_code == 201  # not close enough to ask: another way of naming it
    asked = register(api, **{**DIRECTIVE, "number": "50-CT/TW", "issuer": "Ủy ban nhân dân phường An Cưu"})
    assert asked.status_code == 400 and "Ủy ban nhân dân phường An Cựu" in asked.json["errors"]["issuer"]
    issuer_id = int(re.search(r'/admin/issuers/(\d+)">Ban Tổ chức Thành ủy<', page).group(1))
    renamed = admin.post(f"/admin/issuers/{issuer_id}", data={"name": "Ban Tổ chức Thành ủy Huế"})
    assert renamed.status_code == 302
    removed = admin.post(f"/admin/issuers/{issuer_id}", data={"name": "", "action": "remove"})
    assert removed.status_code == 302
    assert ">Ban Tổ chức Thành ủy" not in admin.get("/admin/issuers").get_data(as_text=True)
    log = unescape(admin.get("/audit").get_data(as_text=True))
    assert (
        "Sửa tên cơ quan gửi văn bản" in log and "«Ban Tổ chức Thành ủy» → «Ban Tổ chức Thành ủy Huế»" in log
    )
    for role in ("member", "secretariat"):
        assert login(role).get("/admin/issuers").status_code == 403
        assert login(role).post("/admin/issuers", data={"name": "X"}).status_code == 403
