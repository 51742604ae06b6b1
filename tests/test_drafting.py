"""Drafting: correct Party-format DOCX drafts from the built-in templates, filed as drafts."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from html import unescape
from pathlib import Path

import pytest
from docx import Document

from ancuu_docs.timeutil import vietnamese_date
from tests.tools import needs

RECIPIENTS = "- Ban Thường vụ Thành ủy (b/c),\n- Các chi, đảng bộ trực thuộc,\n- Lưu Văn phòng Đảng ủy."
SIGN = {"signature_authority": "T/M ĐẢNG ỦY", "signer_title": "BÍ THƯ", "signer_name": "Nguyễn Văn Hùng"}
BODY = (
    "I- TÌNH HÌNH VÀ KẾT QUẢ\n"
    "Phong trào xây dựng tổ dân phố văn hóa được nhân dân hưởng ứng.\n"
    "II- HẠN CHẾ, NGUYÊN NHÂN\n"
    "- Còn tình trạng lấn chiếm vỉa hè.\n"
    "III- MỤC TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP\n"
    "1. Về công tác tuyên truyền\n"
    "2. Tăng cường tuyên truyền, vận động Nhân dân thực hiện nếp sống văn minh đô thị.\n"
    "a) Phát huy vai trò của Mặt trận Tổ quốc.\n"
    "IV- TỔ CHỨC THỰC HIỆN\n"
    "Đảng ủy Ủy ban nhân dân phường xây dựng kế hoạch thực hiện."
)
ROW = {
    "subject": "Chi bộ Khu vực 3",
    "content": "Thực hiện quy chế làm việc",
    "time": "Quý II/2026",
    "performer": "Ban Thường vụ Đảng ủy",
}

MEETING = "Hội nghị lần thứ hai (mở rộng) Ban Chấp hành Đảng bộ phường khóa I, nhiệm kỳ 2025 - 2030"
FIELDS = {
    "resolution": {
        "date": "2025-11-05",
        "meeting": MEETING,
        "subject": "về xây dựng lối sống đô thị văn minh",
        "opening": "Ngày 05 tháng 11 năm 2025, Ban Chấp hành Đảng bộ phường họp Hội nghị lần thứ hai.",
        "body": BODY,
        **SIGN,
    },
    "work-programme": {
        "date": "2025-11-05",
        "purpose": "1. Cụ thể hóa Nghị quyết Đại hội.",
        "items": [
            {
                "conference": "Lần thứ ba",
                "content": "Nghị quyết năm 2026",
                "preparing": "Văn phòng Đảng ủy",
                "coordinating": "Các chi bộ",
                "time": "Quý IV/2025",
            }
        ],
        "implementation": "Văn phòng Đảng ủy theo dõi, đôn đốc.",
        **SIGN,
    },
    "inspection-programme": {
        "date": "2025-11-05",
        "committee_inspections": [ROW],
        "commission_supervisions": [{**ROW, "subject": "Đảng viên diện kê khai"}],
        "implementation": "Ủy ban Kiểm tra Đảng ủy tham mưu.",
        **SIGN,
    },
    "report": {
        "date": "2025-11-05",
        "subject": "kết quả lãnh đạo năm 2025",
        "body": "I- KẾT QUẢ\nTổng thu ngân sách ước đạt 181,55 tỷ đồng.",
        **SIGN,
        "signature_authority": "T/M BAN THƯỜNG VỤ",
    },
    "minutes": {
        "meeting": MEETING,
        "date": "2025-11-05",
        "start_time": "08:00",
        "end_time": "11:30",
        "venue": "Hội trường Đảng ủy phường",
        "agenda_summary": "Thông qua chương trình làm việc toàn khóa",
        "chair_name": "Nguyễn Văn Hùng",
        "secretary_name": "Trần Thị Hoa",
        "total_members": 15,
        "present": 14,
        "absent": [{"name": "Lê Văn Cường", "reason": "đi công tác"}],
        "guests": "Bí thư các chi bộ trực thuộc",
        "proceedings": (
            "1. Đồng chí Trần Thị Hoa trình bày dự thảo chương trình.\n"
            "- Đồng chí Phan Văn Đức đề nghị bổ sung tiến độ."
        ),
        "conclusions": "Hội nghị thống nhất thông qua chương trình.",
        "votes": [
            {
                "item": "Chương trình làm việc toàn khóa",
                "method": "Giơ tay",
                "in_favour": "14",
                "against": "0",
                "abstaining": "0",
            },
            {
                "item": "Nghị quyết về xây dựng lối sống đô thị văn minh",
                "method": "Giơ tay",
                "in_favour": "13",
                "against": "1",
                "abstaining": "0",
            },
        ],
    },
}
TYPE_NAMES = {
    "resolution": "NGHỊ QUYẾT",
    "work-programme": "CHƯƠNG TRÌNH",
    "inspection-programme": "CHƯƠNG TRÌNH",
    "report": "BÁO CÁO",
    "minutes": "BIÊN BẢN",
}
CODES = {
    "resolution": "NQ",
    "work-programme": "CTr",
    "inspection-programme": "CTr",
    "report": "BC",
    "minutes": "BB",
}


def generate(api, key, role="clerk", **extra):
    response = api(role, "POST", "/drafts", json={"template": key, "fields": FIELDS[key], **extra})
    assert response.status_code == 201, response.json
    return response.json


def download(api, doc, n=None, role="secretariat") -> bytes:
    n = n or doc["current_version"]
    return api(role, "GET", f"/documents/{doc['id']}/versions/{n}/file").data


def runs(paragraph):
    return [r for r in paragraph.runs if r.text.strip()]


def size(run) -> float:
    return run.font.size.pt


def _all_paragraphs(document):
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def test_resolution_body_is_styled_paragraphs_not_a_blob(api):
    document = Document(io.BytesIO(download(api, generate(api, "resolution"))))
    texts = [p.text for p in document.paragraphs]
    for line in BODY.splitlines():
        assert line in texts  # one paragraph per line
    by_text = {p.text: p for p in document.paragraphs}
    assert by_text["I- TÌNH HÌNH VÀ KẾT QUẢ"].runs[0].bold
    assert by_text["1. Về công tác tuyên truyền"].runs[0].bold  # a short heading
    sentence = by_text["2. Tăng cường tuyên truyền, vận động Nhân dân thực hiện nếp sống văn minh đô thị."]
    assert not sentence.runs[0].bold  # a numbered whole sentence is body text
    assert not by_text["a) Phát huy vai trò của Mặt trận Tổ quốc."].runs[0].italic
    plain = by_text["Phong trào xây dựng tổ dân phố văn hóa được nhân dân hưởng ứng."]
    assert not plain.runs[0].bold and plain.paragraph_format.first_line_indent is not None
    assert "HỘI NGHỊ LẦN THỨ HAI (MỞ RỘNG) BAN CHẤP HÀNH ĐẢNG BỘ PHƯỜNG KHÓA I, NHIỆM KỲ 2025 - 2030" in texts
    assert "về xây dựng lối sống đô thị văn minh" in texts
    footer = document.tables[-1]
    assert (
        footer.cell(0, 0).paragraphs[0].text == "Nơi nhận:"
        and footer.cell(0, 0).paragraphs[0].runs[0].underline
    )
    assert [p.text for p in footer.cell(0, 0).paragraphs[1:]] == RECIPIENTS.splitlines()
    assert all(size(p.runs[0]) == 12 for p in footer.cell(0, 0).paragraphs[1:])
    signature = [p.text for p in footer.cell(0, 1).paragraphs if p.text.strip()]
    assert signature == ["T/M ĐẢNG ỦY", "BÍ THƯ", "Nguyễn Văn Hùng"]


def test_programmes_carry_their_tables(api):
    document = Document(io.BytesIO(download(api, generate(api, "work-programme"))))
    grid = document.tables[1]
    assert [c.text for c in grid.rows[0].cells][:2] == [
        "Hội nghị, thời gian",
        "Nội dung cho ý kiến, thông qua",
    ]
    assert [c.text for c in grid.rows[1].cells] == [
        "Lần thứ ba",
        "Nghị quyết năm 2026",
        "Văn phòng Đảng ủy",
        "Các chi bộ",
        "Quý IV/2025",
    ]
    assert len(grid.rows) == 2
    document = Document(io.BytesIO(download(api, generate(api, "inspection-programme"))))
    tables = document.tables[1:-1]
    assert len(tables) == 4
    assert [c.text for c in tables[0].rows[1].cells] == list(ROW.values())
    assert len(tables[1].rows) == 1  # nothing filled in: the header only
    assert tables[3].rows[1].cells[0].text == "Đảng viên diện kê khai"


def test_minutes_carry_attendance_and_votes(api):
    document = Document(io.BytesIO(download(api, generate(api, "minutes"))))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "- Thời gian: bắt đầu hồi 08 giờ 00 phút, ngày 05 tháng 11 năm 2025." in text
    assert "Cấp ủy viên tổng số 15 đồng chí; có mặt 14 đồng chí; vắng 1 đồng chí." in text
    assert "- Vắng: đồng chí Lê Văn Cường (đi công tác)." in text
    assert "Khách mời: Bí thư các chi bộ trực thuộc." in text
    assert "5. Hội nghị kết thúc hồi 11 giờ 30 phút cùng ngày." in text
    # Each vote with its count and share; "thống nhất 100%" only when it was unanimous.
    assert (
        "4.1. Chương trình làm việc toàn khóa: biểu quyết bằng hình thức giơ tay; "
        "14/14 đồng chí có mặt tán thành, thống nhất 100%." in text
    )
    assert (
        "4.2. Nghị quyết về xây dựng lối sống đô thị văn minh: biểu quyết bằng hình thức giơ tay; "
        "13/14 đồng chí có mặt tán thành (92,86%); 1 đồng chí không tán thành; "
        "0 đồng chí không biểu quyết." in text
    )
    assert text.count("thống nhất 100%") == 1
    signatures = document.tables[-1]
    assert signatures.cell(0, 0).paragraphs[0].text == "NGƯỜI GHI BIÊN BẢN"
    assert signatures.cell(0, 1).paragraphs[0].text == "CHỦ TRÌ HỘI NGHỊ"


def test_issuing_body_comes_from_settings(app, api):
    app.config.update(
        SUPERIOR_BODY="ĐẢNG BỘ THÀNH PHỐ HUẾ",
        ISSUING_BODY="ĐẢNG ỦY PHƯỜNG THUẬN HÓA",
        PLACE_NAME="Thuận Hóa",
        NUMBER_SYMBOL="ĐU",
        MARGIN_LEFT_MM=35,
    )
    document = Document(io.BytesIO(download(api, generate(api, "report"))))
    header = document.tables[0]
    assert header.cell(1, 0).text == "ĐẢNG ỦY PHƯỜNG THUẬN HÓA"
    assert header.cell(3, 1).text.startswith("Thuận Hóa, ngày 05")
    assert round(document.sections[0].left_margin.mm) == 35


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2025-11-05", "ngày 05 tháng 11 năm 2025"),
        ("2026-02-01", "ngày 01 tháng 02 năm 2026"),
        ("2025-09-30", "ngày 30 tháng 9 năm 2025"),
        ("2025-01-15", "ngày 15 tháng 01 năm 2025"),
    ],
)
def test_vietnamese_dates(day, expected):
    from datetime import date

    assert vietnamese_date(date.fromisoformat(day)) == expected


def test_values_are_escaped_not_interpreted(api):
    fields = {**FIELDS["report"], "subject": "về <b>thử</b> & {{ org }}", "body": "Thu & chi {% if %}"}
    doc = api("clerk", "POST", "/drafts", json={"template": "report", "fields": fields}).json
    document = Document(io.BytesIO(download(api, doc)))
    texts = [p.text for p in document.paragraphs]
    assert "về <b>thử</b> & {{ org }}" in texts and "Thu & chi {% if %}" in texts


# ------------------------------------------------------------------ fields and the API


def test_templates_list(api):
    response = api("member", "GET", "/templates")
    assert response.status_code == 200
    keys = [t["key"] for t in response.json]
    assert keys == ["resolution", "work-programme", "inspection-programme", "report", "minutes"]
    resolution = response.json[0]
    assert resolution["doc_type"] == "NQ" and resolution["name"] == "Nghị quyết"
    subject = next(f for f in resolution["fields"] if f["name"] == "subject")
    assert subject == {"name": "subject", "label": "Trích yếu (về …)", "type": "text", "required": True}
    authority = next(f for f in resolution["fields"] if f["name"] == "signature_authority")
    assert authority["type"] == "choice" and "T/M BAN THƯỜNG VỤ" in authority["choices"]


def test_missing_and_invalid_fields_are_400_per_field(api):
    response = api(
        "clerk",
        "POST",
        "/drafts",
        json={
            "template": "minutes",
            "fields": {"date": "05/11/2025", "present": "mười", "votes": "not rows", "colour": "đỏ"},
        },
    )
    assert response.status_code == 400
    errors = response.json["errors"]
    assert errors["date"].startswith("Ngày không hợp lệ")
    assert errors["present"] == "Phải là số nguyên."
    assert errors["votes"] == "Phải là danh sách các dòng."
    assert errors["colour"] == "Mẫu không có trường này."
    assert errors["chair_name"] == "Cần nhập «Chủ trì: họ tên»."
    response = api(
        "clerk",
        "POST",
        "/drafts",
        json={"template": "report", "fields": {**FIELDS["report"], "signature_authority": "T/M CHI BỘ"}},
    )
    assert response.status_code == 400 and "T/M ĐẢNG ỦY" in response.json["errors"]["signature_authority"]
    assert api("clerk", "POST", "/drafts", json={"template": "khong-co", "fields": {}}).status_code == 404
    assert api("clerk", "POST", "/drafts", json={"template": "report", "fields": []}).status_code == 400


def test_members_cannot_draft(api):
    response = api("member", "POST", "/drafts", json={"template": "report", "fields": FIELDS["report"]})
    assert response.status_code == 403


def test_generated_draft_is_a_document_like_any_upload(api):
    doc = generate(api, "report", title="Báo cáo kết quả lãnh đạo năm 2025")
    assert doc["title"] == "Báo cáo kết quả lãnh đạo năm 2025"
    version = doc["versions"][0]
    assert version["filename"] == "BC-ket-qua-lanh-dao-nam-2025-v1.docx"
    assert version["media_type"].endswith("wordprocessingml.document")
    hits = api("clerk", "GET", "/search", query_string={"q": "181,55"}).json
    assert [h["id"] for h in hits["hits"]] == [doc["id"]]
    default_title = generate(api, "resolution")
    assert default_title["title"] == "Nghị quyết về xây dựng lối sống đô thị văn minh"


def test_generate_a_new_version_of_a_draft(api):
    doc = generate(api, "resolution")
    changed = {**FIELDS["resolution"], "body": BODY + "\n- Bổ sung: mỗi chi bộ một mô hình."}
    response = api(
        "clerk",
        "POST",
        "/drafts",
        json={"template": "resolution", "fields": changed, "document_id": doc["id"], "base_version": 1},
    )
    assert response.status_code == 201 and response.json["current_version"] == 2
    document = Document(io.BytesIO(download(api, response.json)))
    assert document.sections[0].first_page_header.paragraphs[0].text == "DỰ THẢO 2"
    stale = api(
        "clerk",
        "POST",
        "/drafts",
        json={"template": "resolution", "fields": changed, "document_id": doc["id"], "base_version": 1},
    )
    assert stale.status_code == 409 and stale.json["current_version"] == 2
    wrong_type = api(
        "clerk",
        "POST",
        "/drafts",
        json={"template": "report", "fields": FIELDS["report"], "document_id": doc["id"], "base_version": 2},
    )
    assert wrong_type.status_code == 400


# ------------------------------------------------------------------ pages


def test_clerk_journey_pick_fill_preview_generate(login):
    client = login("clerk")
    assert "Nghị quyết" in client.get("/drafts").get_data(as_text=True)
    page = client.get("/drafts/minutes").get_data(as_text=True)
    for name in ("chair_name", "votes-0-in_favour", "absent-2-reason", "total_members"):
        assert f'name="{name}"' in page
    form = {
        "title": "",
        "target": "",
        "date": "2025-11-05",
        "subject": "về xây dựng lối sống đô thị văn minh",
        "meeting": "Hội nghị lần thứ hai",
        "opening": "Ngày 05 tháng 11 năm 2025 …",
        "body": BODY,
        "recipients": RECIPIENTS,
        **SIGN,
    }
    preview = client.post("/drafts/resolution", data={**form, "action": "preview"})
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    assert "DỰ THẢO 1" in html and "<b>NGHỊ QUYẾT</b>" in html and "<b>I- TÌNH HÌNH VÀ KẾT QUẢ</b>" in html
    missing = client.post(
        "/drafts/resolution", data={**form, "subject": "", "date": "hôm nay", "action": "generate"}
    )
    assert missing.status_code == 400
    page = missing.get_data(as_text=True)
    assert "Cần nhập «Trích yếu (về …)»." in page and "Ngày không hợp lệ" in page
    done = client.post("/drafts/resolution", data={**form, "action": "generate"})
    assert done.status_code == 302
    shown = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Đã tạo dự thảo phiên bản 1." in shown


def test_drafting_pages_need_the_right_role(login):
    assert login("member").get("/drafts").status_code == 403
    assert login("member").get("/drafts/report").status_code == 403
    assert login("clerk").get("/admin/templates").status_code == 403
    assert login("secretariat").get("/admin/templates").status_code == 403
    assert login("admin").get("/admin/templates").status_code == 200


# ------------------------------------------------------------------ custom templates


def _template_docx(*paragraphs: str) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _upload_template(client, data, key="thong-bao", fields=""):
    return client.post(
        "/admin/templates",
        data={
            "key": key,
            "name": "Thông báo kết luận",
            "doc_type": "TB",
            "fields": fields,
            "file": (io.BytesIO(data), "mau.docx"),
        },
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ ''.__class__.__mro__ }}", "không an toàn"),
        ("{% import os %}", "import"),
        ("{{ subject | attr('__class__') }}", "không an toàn"),
        ("{{ subject['__class__'] }}", "không an toàn"),
        ("{% for x in %}", "cú pháp"),
        ("{{ subject | shell }}", "bộ lọc không có"),
        ("{% include 'base.html' %}", "include"),
    ],
)
def test_unsafe_or_broken_templates_are_refused(app, login, source, message):
    client = login("admin")
    response = _upload_template(client, _template_docx("Thông báo", source))
    assert response.status_code == 400, response.get_data(as_text=True)[-600:]
    assert message in response.get_data(as_text=True)
    from ancuu_docs.drafting.models import DraftTemplate
    from ancuu_docs.extensions import db
    from tests.conftest import uploads_files

    assert db.session.query(DraftTemplate).count() == 0 and uploads_files(app) == []


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ subject", "Mẫu có lỗi cú pháp ở dòng 1: «/» không đúng chỗ."),  # the XML after it
        ("{% for x in items %}x", "thiếu thẻ đóng (endfor hoặc else)"),
        ("{% lap x %}", "lệnh «lap» không có"),
        ("{{ subject date }}", "cần «}}» nhưng gặp «date»"),
        ("{{ }}", "thiếu biểu thức trong thẻ"),
    ],
)
def test_template_syntax_errors_are_told_in_vietnamese(app, login, source, message):
    response = _upload_template(login("admin"), _template_docx("Thông báo", source))
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 400 and message in page
    for english in ("unexpected", "expected", "Encountered", "Jinja was", "end of print"):
        assert english not in page


def test_custom_template_lists_placeholders_and_produces_a_draft(api, login):
    client = login("admin")
    data = _template_docx(
        "{{ org.issuing_body }}",
        "THÔNG BÁO",
        "{{ subject }}",
        "{{ org.place }}, {{ date | vn_date }}",
        "{%p for line in content | lines %}",
        "{{ line }}",
        "{%p endfor %}",
        "Người ký: {{ signer }}",
    )
    fields = (
        '[{"name": "subject", "label": "Trích yếu", "type": "text", "required": true},'
        ' {"name": "date", "label": "Ngày", "type": "date", "required": true},'
        ' {"name": "content", "label": "Nội dung", "type": "long_text"}]'
    )
    response = _upload_template(client, data, fields=fields)
    assert response.status_code == 302, response.get_data(as_text=True)[-800:]
    page = client.get("/admin/templates/thong-bao").get_data(as_text=True)
    for name in ("subject", "date", "content", "signer"):
        assert f"<code>{name}</code>" in page
    listed = next(t for t in api("clerk", "GET", "/templates").json if t["key"] == "thong-bao")
    assert [f["name"] for f in listed["fields"]] == ["subject", "date", "content", "signer"]
    assert listed["fields"][3] == {"name": "signer", "label": "signer", "type": "text", "required": False}

    response = api(
        "clerk",
        "POST",
        "/drafts",
        json={
            "template": "thong-bao",
            "fields": {
                "subject": "kết luận của Ban Thường vụ về công tác dân vận",
                "date": "2025-12-01",
                "content": "Dòng một.\nDòng hai.",
                "signer": "Nguyễn Văn Hùng",
            },
        },
    )
    assert response.status_code == 201, response.json
    assert response.json["doc_type"] == "TB"
    texts = [p.text for p in Document(io.BytesIO(download(api, response.json))).paragraphs]
    assert texts == [
        "ĐẢNG ỦY PHƯỜNG AN CỰU",
        "THÔNG BÁO",
        "kết luận của Ban Thường vụ về công tác dân vận",
        "An Cựu, ngày 01 tháng 12 năm 2025",
        "Dòng một.",
        "Dòng hai.",
        "Người ký: Nguyễn Văn Hùng",
    ]


def test_custom_templates_are_versioned(api, login):
    client = login("admin")
    assert _upload_template(client, _template_docx("A {{ subject }}")).status_code == 302
    response = client.post(
        "/admin/templates/thong-bao",
        data={
            "file": (io.BytesIO(_template_docx("B {{ subject }}")), "mau-2.docx"),
            "fields": "",
            "comment": "Sửa",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    page = client.get("/admin/templates/thong-bao").get_data(as_text=True)
    assert "mau.docx" in page and "mau-2.docx" in page
    assert client.get("/admin/templates/thong-bao/versions/1/file").status_code == 200
    doc = api("clerk", "POST", "/drafts", json={"template": "thong-bao", "fields": {"subject": "x"}}).json
    assert [p.text for p in Document(io.BytesIO(download(api, doc))).paragraphs] == ["B x"]
    refused = client.post(
        "/admin/templates/thong-bao",
        data={"file": (io.BytesIO(_template_docx("{{ x.__globals__ }}")), "mau-3.docx"), "fields": ""},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 400
    assert next(t for t in api("clerk", "GET", "/templates").json if t["key"] == "thong-bao")["version"] == 2


def test_committed_templates_match_the_builder(tmp_path, app):
    from ancuu_docs.drafting.builder import build_all

    for built in build_all(tmp_path):
        committed = Path(app.config["TEMPLATE_FOLDER"]) / built.name
        for part in ("word/document.xml", "word/header1.xml", "word/header2.xml"):
            fresh = zipfile.ZipFile(built).read(part)
            assert zipfile.ZipFile(committed).read(part) == fresh, (
                f"{built.name}: {part} differs; run drafting build-templates"
            )


# ------------------------------------------------------------------ a real office suite


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")


@needs("soffice", "pdftotext")
def test_every_builtin_template_opens_in_libreoffice(api, tmp_path):
    expected = {
        "resolution": [
            "NGHỊ QUYẾT",
            "về xây dựng lối sống đô thị văn minh",
            "I- TÌNH HÌNH VÀ KẾT QUẢ",
            "T/M ĐẢNG ỦY",
        ],
        "work-programme": ["CHƯƠNG TRÌNH", "Nghị quyết năm 2026", "III- TỔ CHỨC THỰC HIỆN"],
        "inspection-programme": ["CHƯƠNG TRÌNH", "Chi bộ Khu vực 3", "Đảng viên diện kê khai"],
        "report": ["BÁO CÁO", "181,55 tỷ đồng"],
        "minutes": ["BIÊN BẢN", "bắt đầu hồi 08 giờ 00", "CHỦ TRÌ HỘI NGHỊ", "14/14"],
    }
    paths = []
    for key in expected:
        path = tmp_path / f"{key}.docx"
        path.write_bytes(download(api, generate(api, key)))
        paths.append(str(path))
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *paths,
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    for key, phrases in expected.items():
        pdf = tmp_path / f"{key}.pdf"
        assert pdf.exists(), f"{key}: LibreOffice produced no PDF"
        text = subprocess.run([PDFTOTEXT, str(pdf), "-"], check=True, capture_output=True, text=True).stdout
        for phrase in [
            "ĐẢNG CỘNG SẢN VIỆT NAM",
            "ĐẢNG ỦY PHƯỜNG AN CỰU",
            "DỰ THẢO 1",
            "ngày 05 tháng 11 năm 2025",
            *phrases,
        ]:
            assert phrase in " ".join(text.split()), f"{key}: «{phrase}» missing from the PDF"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ 'a' * 3000000 }}", "Văn bản tạo ra từ mẫu lớn quá 1 MB."),
        ("{{ 'a' * 1000000000 }}", "Mẫu dùng quá nhiều bộ nhớ khi điền."),
        ("{{ '%999999999d' | format(1) }}", "Mẫu dùng quá nhiều bộ nhớ khi điền."),
        ("{{ lipsum(20000) }}", "Mẫu gọi hàm không có: «lipsum»."),
    ],
)
def test_templates_that_would_make_unbounded_output_are_refused(app, login, source, message):
    app.config["TEMPLATE_OUTPUT_BYTES"] = 1024 * 1024
    response = _upload_template(login("admin"), _template_docx("Thông báo", source))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_a_loop_the_trial_never_takes_is_stopped_at_the_deadline_when_previewed(app, login, api):
    """The trial render passes (the condition is false on sample data); a clerk's preview with
    the condition true is stopped at the deadline, not a server thread pinned at 100%."""
    app.config["TEMPLATE_RENDER_SECONDS"] = 1.0
    loop = (
        "{% if subject == 'chạy' %}{% for a in range(100000) %}{% for b in range(100000) %}"
        "{% endfor %}{% endfor %}{% endif %}{{ subject }}"
    )
    assert _upload_template(login("admin"), _template_docx("Thông báo", loop)).status_code == 302
    clerk = login("clerk")
    fine = clerk.post("/drafts/thong-bao", data={"subject": "bình thường", "action": "preview"})
    assert fine.status_code == 200 and "bình thường" in fine.get_data(as_text=True)
    stopped = clerk.post("/drafts/thong-bao", data={"subject": "chạy", "action": "preview"})
    assert stopped.status_code == 400
    assert "Mẫu chạy quá 1 giây" in stopped.get_data(as_text=True)
    response = api("clerk", "POST", "/drafts", json={"template": "thong-bao", "fields": {"subject": "chạy"}})
    assert response.status_code == 400 and "Mẫu chạy quá 1 giây" in response.json["error"]


def test_signature_authorities_are_the_ward_committees_with_a_default_per_template(api, login):
    templates = {t["key"]: t for t in api("clerk", "GET", "/templates").json}
    expected = {
        "resolution": "T/M ĐẢNG ỦY",
        "work-programme": "T/M ĐẢNG ỦY",
        "inspection-programme": "T/M ĐẢNG ỦY",
        "report": "T/M BAN THƯỜNG VỤ",
    }
    for key, default in expected.items():
        authority = next(f for f in templates[key]["fields"] if f["name"] == "signature_authority")
        assert authority["choices"] == ["T/M ĐẢNG ỦY", "T/M BAN THƯỜNG VỤ"], key
        assert authority["default"] == default, key
    page = login("clerk").get("/drafts/report").get_data(as_text=True)
    assert '<option selected value="T/M BAN THƯỜNG VỤ">' in page and "T/M BAN CHẤP HÀNH" not in page


def test_the_conference_field_is_filled_from_the_meeting_not_a_fixed_default(login):
    clerk = login("clerk")
    plain = clerk.get("/drafts/resolution").get_data(as_text=True)
    assert "lần thứ hai" not in plain  # no demo conference baked into the form
    opened = clerk.get(
        "/drafts/resolution",
        query_string={"meeting": "Hội nghị lần thứ ba Ban Chấp hành Đảng bộ phường", "date": "2025-12-20"},
    ).get_data(as_text=True)
    assert 'value="Hội nghị lần thứ ba Ban Chấp hành Đảng bộ phường"' in opened
    assert 'value="2025-12-20"' in opened
