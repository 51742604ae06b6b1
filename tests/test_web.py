"""The pages as a secretariat member, a clerk and a member use them."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from docx import Document

from ancuu_docs.documents.models import Document as DocumentRow
from ancuu_docs.extensions import db
from ancuu_docs.timeutil import local_today
from tests import samples


def _upload_form(data, filename, **fields):
    return {
        "title": "Nghị quyết về xây dựng lối sống đô thị văn minh",
        "doc_type": "NQ",
        "file": (io.BytesIO(data), filename),
        **fields,
    }


def test_upload_through_the_page(login):
    client = login("clerk")
    response = client.post(
        "/documents/new",
        data=_upload_form(samples.docx(["Nội dung"]), "nq.docx"),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã tạo dự thảo" in page and "nq.docx" in page and "Chưa cấp số" in page


def test_refused_file_is_explained_beside_the_field(app, login):
    client = login("secretariat")
    response = client.post(
        "/documents/new", data=_upload_form(samples.pdf(["x"]), "nq.docx"), content_type="multipart/form-data"
    )
    assert response.status_code == 415
    page = response.get_data(as_text=True)
    assert 'class="field has-error"' in page and "nội dung là PDF" in page
    assert db.session.query(DocumentRow).count() == 0


def test_missing_title_is_explained_beside_the_field(login):
    client = login("secretariat")
    response = client.post(
        "/documents/new",
        data=_upload_form(samples.docx(["x"]), "a.docx", title=""),
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "Cần nhập trích yếu." in response.get_data(as_text=True)


def test_new_version_form_refuses_a_stale_base(api, login):
    doc = api.upload("secretariat").json
    client = login("secretariat")
    form_page = client.get(f"/documents/{doc['id']}/versions").get_data(as_text=True)
    assert 'name="base_version" type="hidden" value="1"' in form_page
    api.add_version("secretariat", doc["id"], samples.docx(["Người khác sửa trước"]), base_version=1)
    response = client.post(
        f"/documents/{doc['id']}/versions",
        data={"base_version": "1", "file": (io.BytesIO(samples.docx(["Bản của tôi"])), "b.docx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 409
    assert "đã có phiên bản 2" in response.get_data(as_text=True)


def test_approve_through_the_page_asks_first_with_number_date_and_signer(app, api, login):
    app.config["SECRETARY_NAME"] = "Nguyễn Văn Hùng"
    doc = api.upload("secretariat", data=samples.party_docx()).json  # a Word draft in the Party layout
    client = login("secretariat")
    early = client.get(f"/documents/{doc['id']}/approve")  # a draft goes to review first
    assert early.status_code == 409 and "Không thể phê duyệt văn bản đang ở trạng thái" in early.get_data(
        as_text=True
    )
    client.post(f"/documents/{doc['id']}/transitions", data={"to": "in_review"})
    shown = client.get(f"/documents/{doc['id']}").get_data(as_text=True)
    assert f'href="/documents/{doc["id"]}/approve"' in shown  # a page that asks, not a bare button
    page = client.get(f"/documents/{doc['id']}/approve").get_data(as_text=True)
    assert "Số 01-NQ/ĐU" in page and 'value="Nguyễn Văn Hùng"' in page
    assert f'value="{local_today().isoformat()}"' in page

    path = f"/documents/{doc['id']}/approve"
    cases = [
        ({"issue_date": "2025-11-05", "signer": "Nguyễn Văn Hùng"}, "Hãy đánh dấu ô xác nhận"),
        (
            {"issue_date": (local_today() + timedelta(days=1)).isoformat(), "signer": "A", "confirm": "y"},
            "Ngày ban hành không được sau hôm nay.",
        ),
        (
            {"issue_date": "2024-12-31", "signer": "A", "confirm": "y"},
            "Ngày ban hành không được trước nhiệm kỳ 2025-2030",
        ),
        ({"issue_date": "2025-11-05", "signer": "", "confirm": "y"}, "Cần nhập người ký."),
    ]
    for data, message in cases:
        refused = client.post(path, data=data)
        assert refused.status_code == 400 and message in refused.get_data(as_text=True), message
    assert api("secretariat", "GET", f"/documents/{doc['id']}").json["number"] is None  # nothing used

    done = client.post(
        path,
        data={"issue_date": "2025-11-05", "signer": "Phan Văn Đức", "confirm": "y"},
        follow_redirects=True,
    )
    page = done.get_data(as_text=True)
    assert "Đã phê duyệt và cấp số 01-NQ/ĐU." in page and "Đã ban hành" in page
    assert "An Cựu, ngày 05 tháng 11 năm 2025" in page and "Phan Văn Đức" in page
    assert "Tải lên phiên bản mới" not in page  # approved: read-only
    # The file the page approved is the issued one: version 2 with the number and the date.
    assert "<td>Bản ban hành</td>" in page and "Tải về phiên bản 2" in page
    issued = client.get(f"/documents/{doc['id']}/versions/2/file").data
    header = Document(io.BytesIO(issued)).tables[0]
    assert header.cell(3, 0).text == "Số 01-NQ/ĐU"
    assert header.cell(3, 1).text == "An Cựu, ngày 05 tháng 11 năm 2025"
    response = client.post(f"/documents/{doc['id']}/transitions", data={"to": "draft"}, follow_redirects=True)
    assert "Không thể chuyển văn bản" in response.get_data(as_text=True)
    # Withdrawing a draft cannot be undone either: it asks for the box to be ticked.
    other = api.upload("secretariat", title="Dự thảo sẽ rút").json
    path = f"/documents/{other['id']}/transitions"
    assert 'name="confirm"' in client.get(f"/documents/{other['id']}").get_data(as_text=True)
    unticked = client.post(path, data={"to": "withdrawn"}, follow_redirects=True)
    assert "Hãy đánh dấu ô xác nhận" in unticked.get_data(as_text=True)
    assert api("secretariat", "GET", f"/documents/{other['id']}").json["status"] == "draft"
    assert client.post(path, data={"to": "withdrawn", "confirm": "y"}).status_code == 302
    assert api("secretariat", "GET", f"/documents/{other['id']}").json["status"] == "withdrawn"


def test_edit_and_restore_through_the_page(api, login):
    doc = api.upload("secretariat", data=samples.docx(["Bản đầu"])).json
    api.add_version("secretariat", doc["id"], samples.docx(["Bản hai"]), base_version=1)
    client = login("secretariat")
    response = client.post(
        f"/documents/{doc['id']}/edit",
        data={"title": "Nghị quyết sửa tên", "summary": "Tóm tắt", "signer": ""},
    )
    assert response.status_code == 302
    response = client.post(
        f"/documents/{doc['id']}/versions/1/restore", data={"base_version": "2"}, follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert "Nghị quyết sửa tên" in page and "Khôi phục từ phiên bản 1" in page


def test_list_filters(api, login):
    api.upload("secretariat", title="Báo cáo kết quả năm 2025", doc_type="BC")
    api.upload("secretariat", title="Nghị quyết về hạ tầng", doc_type="NQ")
    client = login("secretariat")
    page = client.get("/documents?doc_type=BC").get_data(as_text=True)
    assert "Báo cáo kết quả năm 2025" in page and "Nghị quyết về hạ tầng" not in page
    page = client.get("/documents?status=approved").get_data(as_text=True)
    assert "Không có văn bản nào." in page
    response = client.get("/documents?doc_type=XX")
    assert response.status_code == 400


def test_lists_sort_by_title_or_type_and_keep_it_in_the_url(api, login):
    for title, doc_type in (("Báo cáo kết quả năm 2025", "BC"), ("An toàn giao thông", "NQ")):
        api.upload("secretariat", title=title, doc_type=doc_type)
    client = login("secretariat")
    by_title = client.get("/documents?sort=title").get_data(as_text=True)
    assert by_title.index("An toàn giao thông") < by_title.index("Báo cáo kết quả")
    by_type = client.get("/documents?sort=type").get_data(as_text=True)
    assert by_type.index("Báo cáo kết quả") < by_type.index("An toàn giao thông")
    assert '<option selected value="type">' in by_type
    # The next page keeps the order and the filters.
    paged = client.get("/documents?sort=title&status=draft&per_page=1").get_data(as_text=True)
    next_page = re.search(r'<a href="([^"]*)">Sau »</a>', paged).group(1).replace("&amp;", "&")
    assert parse_qs(urlsplit(next_page).query) == {"page": ["2"], "status": ["draft"], "sort": ["title"]}


def test_errors_are_vietnamese_pages_or_json_never_traces(app, client, api):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    page = client.get("/khong-co-trang-nay")
    assert page.status_code == 404 and "Không tìm thấy" in page.get_data(as_text=True)
    response = client.get("/boom")
    assert response.status_code == 500
    assert "secret internals" not in response.get_data(as_text=True)
    assert "Đã xảy ra lỗi hệ thống" in response.get_data(as_text=True)
    response = api("member", "GET", "/khong-co")
    assert response.status_code == 404 and response.is_json
    response = api("member", "DELETE", "/documents")
    assert response.status_code == 405 and response.is_json


def test_bad_query_parameters_are_400_not_500(api):
    assert api("member", "GET", "/documents?page=abc").status_code == 400
    assert api("member", "GET", "/documents?status=bogus").status_code == 400
    response = api("member", "GET", "/documents/1/diff?from=x&to=y")
    assert response.status_code == 400 and set(response.json["errors"]) == {"from", "to"}


def test_filter_forms_put_each_error_beside_its_field(login, api):
    client = login("member")
    listed = client.get("/documents", query_string={"status": "bogus"})
    page = listed.get_data(as_text=True)
    assert listed.status_code == 400 and "Trạng thái «bogus» không có." in page
    found = client.get("/search", query_string={"q": "đất đai", "date_from": "hôm qua", "date_to": "5/11"})
    page = found.get_data(as_text=True)
    assert found.status_code == 400
    assert "Ngày bắt đầu không hợp lệ (dạng YYYY-MM-DD)." in page
    assert "Ngày kết thúc không hợp lệ (dạng YYYY-MM-DD)." in page


def test_numbers_no_column_can_hold_are_400_not_500(api):
    doc = api.upload("secretariat").json
    huge = str(2**70)
    response = api(
        "secretariat",
        "POST",
        f"/documents/{doc['id']}/relations",
        json={"relation": "amends", "target_id": huge},
    )
    assert response.status_code == 400
    assert response.json["error"] == "Mã văn bản đích phải từ 1 đến 2147483647."
    for number in (huge, str(-(2**70))):  # below any column too (SQLite and PostgreSQL refuse it)
        response = api(
            "secretariat", "POST", "/drafts", json={"template": "report", "fields": {}, "document_id": number}
        )
        assert response.status_code == 400 and "2147483647" in response.json["error"]


def test_relations_are_chosen_by_number_and_title_not_typed_as_ids(api, login):
    old = api.upload("secretariat", title="Nghị quyết về trật tự đô thị").json
    api.transition("secretariat", old["id"], "in_review")
    api.transition("secretariat", old["id"], "approved")
    new = api.upload("secretariat", title="Nghị quyết về trật tự đô thị (thay thế)").json
    client = login("secretariat")
    page = client.get(f"/documents/{new['id']}").get_data(as_text=True)
    assert f'<option value="{old["id"]}">Số 01-NQ/ĐU – Nghị quyết về trật tự đô thị</option>' in page
    assert "Mã văn bản" not in page
    response = client.post(
        f"/documents/{new['id']}/relations", data={"relation": "replaces", "target_id": str(old["id"])}
    )
    assert response.status_code == 302
    relations = api("secretariat", "GET", f"/documents/{new['id']}").json["relations"]
    assert relations["outgoing"][0]["number"] == "01-NQ/ĐU"
