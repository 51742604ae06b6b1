"""Documents are read in the page, on a phone as on a desktop, without downloading them."""

from __future__ import annotations

from html import unescape
from pathlib import Path

from tests import samples


def _reading_section(html: str) -> str:
    start = html.find('<section class="reading')
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


def test_a_draft_is_read_by_its_author_and_stays_hidden_from_members(api, login):
    draft = api.upload("clerk", title="Dự thảo nghị quyết", data=samples.party_docx()).json
    assert login("member").get(f"/documents/{draft['id']}").status_code == 404
    assert "Hội nghị thông qua" in _reading_section(
        login("clerk").get(f"/documents/{draft['id']}").get_data(as_text=True)
    )


PNG = b"\x89PNG\r\n\x1a\n"


def test_a_pdf_is_read_as_page_images_with_their_text(app, api, login):
    lines = ["Ke hoach thuc hien Nghi quyet ve chuyen doi so nam 2026"]
    doc = _issued(
        api, title="Kế hoạch chuyển đổi số", doc_type="KH", data=samples.pdf(lines), filename="kh.pdf"
    )
    member = login("member")
    reading = _reading_section(member.get(f"/documents/{doc['id']}").get_data(as_text=True))
    assert "1 trang" in reading and 'alt="Trang 1"' in reading
    assert lines[0] in reading  # the text layer, to copy and to find in the page
    image = member.get(f"/documents/{doc['id']}/versions/1/pages/1.png")
    assert image.status_code == 200 and image.mimetype == "image/png" and image.data.startswith(PNG)
    width = int.from_bytes(image.data[16:20], "big")
    assert width == 1200
    cached = list((Path(app.instance_path) / "cache" / "pages").rglob("1-1200.png"))
    assert len(cached) == 1 and cached[0].read_bytes() == image.data
    assert member.get(f"/documents/{doc['id']}/versions/1/pages/2.png").status_code == 404


def test_page_images_are_never_drawn_for_who_may_not_read(app, api, login):
    draft = api.upload(
        "clerk", title="Dự thảo kế hoạch", doc_type="KH", data=samples.pdf(["Du thao"]), filename="kh.pdf"
    )
    assert login("member").get(f"/documents/{draft.json['id']}/versions/1/pages/1.png").status_code == 404
    assert not (Path(app.instance_path) / "cache").exists()
    assert login("clerk").get(f"/documents/{draft.json['id']}/versions/1/pages/1.png").status_code == 200


def test_a_scan_is_read_as_page_images_and_its_text_comes_with_ocr(api, login):
    from tests.test_ocr import RESOLUTION, wait_for_ocr

    doc = _issued(
        api, title="Nghị quyết 05 (bản quét)", data=samples.scanned_pdf(RESOLUTION), filename="nq.pdf"
    )
    member = login("member")
    reading = _reading_section(member.get(f"/documents/{doc['id']}").get_data(as_text=True))
    assert f"{len(RESOLUTION)} trang" in reading
    assert member.get(f"/documents/{doc['id']}/versions/1/pages/2.png").data.startswith(PNG)
    wait_for_ocr(api, doc["id"])
    reading = _reading_section(member.get(f"/documents/{doc['id']}").get_data(as_text=True))
    assert "Nhân dân" in reading  # OCR's text layer, under the page it was read from


def test_any_older_version_is_read_the_same_way(api, login):
    doc = _issued(
        api, title="Báo cáo quý", doc_type="BC", data=samples.txt("Lần đầu: thu đạt 80%."), filename="bc.txt"
    )
    reading = _reading_section(login("member").get(f"/documents/{doc['id']}").get_data(as_text=True))
    assert "Lần đầu" in reading and "phiên bản cũ" not in reading
    draft = api.upload(
        "clerk", title="Báo cáo quý IV", doc_type="BC", data=samples.txt("Bản một."), filename="a.txt"
    ).json
    assert (
        api.add_version(
            "clerk", draft["id"], samples.txt("Bản hai, đã sửa."), base_version=1, filename="b.txt"
        ).status_code
        == 201
    )
    clerk = login("clerk")
    current = _reading_section(clerk.get(f"/documents/{draft['id']}").get_data(as_text=True))
    assert "Bản hai, đã sửa." in current and "Bản một." not in current
    older = clerk.get(f"/documents/{draft['id']}?v=1").get_data(as_text=True)
    assert "Bản một." in _reading_section(older) and "Bản hai" not in _reading_section(older)
    assert "Đang đọc phiên bản cũ 1" in _reading_section(older)
    # Each row of the versions table opens that version for reading.
    assert f'href="/documents/{draft["id"]}?v=1#noi-dung"' in clerk.get(f"/documents/{draft['id']}").get_data(
        as_text=True
    )
    missing = clerk.get(f"/documents/{draft['id']}?v=3")
    assert missing.status_code == 404 and "không có phiên bản 3" in missing.get_data(as_text=True)
    # Older versions of a draft are no more readable to a member than the draft.
    assert login("member").get(f"/documents/{draft['id']}?v=1").status_code == 404


def test_a_search_hit_opens_the_page_at_the_first_match(api, login):
    doc = _issued(api, title="Nghị quyết về kinh tế số", data=samples.party_docx())
    member = login("member")
    results = member.get("/search?q=thao luan").get_data(as_text=True)
    link = f"/documents/{doc['id']}?tim=thao+luan#khop-dau"
    assert f'href="{link}"' in results
    page = member.get(link.split("#")[0]).get_data(as_text=True)
    reading = _reading_section(page)
    # Typed without diacritics, marked as written; the first mark is where the link lands.
    assert '<mark class="khop" id="khop-dau">thảo</mark>' in reading
    assert '<mark class="khop">luận</mark>' in reading
    assert reading.count('id="khop-dau"') == 1
    assert "đến chỗ khớp đầu tiên" in reading


def test_words_in_a_scans_text_are_marked_too(api, login):
    lines = ["Ke hoach thuc hien chuyen doi so", "Giao Van phong Dang uy theo doi"]
    doc = _issued(api, title="Kế hoạch", doc_type="KH", data=samples.pdf(lines), filename="kh.pdf")
    reading = _reading_section(
        login("member").get(f"/documents/{doc['id']}?tim=van phong").get_data(as_text=True)
    )
    assert '<mark class="khop" id="khop-dau">Van</mark> <mark class="khop">phong</mark>' in reading
    # Tags and entities are never cut: a word inside an attribute stays as it was.
    assert 'alt="Trang 1"' in reading
