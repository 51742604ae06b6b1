"""Documents are read in the page, on a phone as on a desktop, without downloading them."""

from __future__ import annotations

from html import unescape

from tests import samples


def _reading_section(html: str) -> str:
    start = html.find('<section class="reading"')
    assert start != -1, "the page has no reading section"
    return unescape(html[start : html.find("</section>", start)])


def _issued(api, **upload) -> dict:
    doc = api.upload("secretariat", **upload).json
    assert api.transition("secretariat", doc["id"], "in_review").status_code == 200
    approved = api("secretariat", "POST", f"/documents/{doc['id']}/transitions", json={"to": "approved"})
    assert approved.status_code == 200, approved.json
    return approved.json


def test_a_member_reads_an_issued_resolution_in_the_page(api, login):
    doc = _issued(api, title="Nghị quyết về phát triển kinh tế số", data=samples.party_docx())
    page = login("member").get(f"/documents/{doc['id']}").get_data(as_text=True)
    reading = _reading_section(page)
    assert "Hội nghị thông qua dự thảo nghị quyết sau khi thảo luận." in reading
    assert "ĐẢNG ỦY PHƯỜNG AN CỰU" in reading and "ĐẢNG CỘNG SẢN VIỆT NAM" in reading
    # The issued version is what is read: its number, and no draft mark.
    assert f"Số {doc['number']}" in reading.replace("\xa0", " ")
    assert "DỰ THẢO 2" not in reading and "GÓP Ý DỰ THẢO VĂN KIỆN" in reading
    assert f"phiên bản {doc['current_version']}" in reading


def test_a_text_file_is_read_as_its_paragraphs(api, login):
    text = "Báo cáo tình hình thu ngân sách quý III.\n\nThu ngân sách đạt 86,4% dự toán <năm>."
    doc = _issued(
        api, title="Báo cáo thu ngân sách", doc_type="BC", data=samples.txt(text), filename="bc.txt"
    )
    reading = _reading_section(login("member").get(f"/documents/{doc['id']}").get_data(as_text=True))
    assert "<p>Thu ngân sách đạt 86,4% dự toán <năm>.</p>" in reading  # escaped in the page


def test_a_pdf_has_no_html_body_and_a_draft_stays_hidden_from_members(api, login):
    pdf = _issued(api, title="Kế hoạch", doc_type="KH", data=samples.pdf(["Ke hoach"]), filename="kh.pdf")
    assert '<section class="reading"' not in login("member").get(f"/documents/{pdf['id']}").get_data(
        as_text=True
    )
    draft = api.upload("clerk", title="Dự thảo nghị quyết", data=samples.party_docx()).json
    assert login("member").get(f"/documents/{draft['id']}").status_code == 404
    assert "Hội nghị thông qua" in _reading_section(
        login("clerk").get(f"/documents/{draft['id']}").get_data(as_text=True)
    )
