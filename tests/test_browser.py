"""The journeys of the three kinds of users, in real Chromium, with axe-core on every page.

Each test serves its own app (CSRF on, as in production) on a local port and drives it as a
person would: typing into the fields, pressing the buttons. Every page visited is checked
by axe-core, and the test fails on any violation. With ANCUU_SCREENSHOTS=folder the journeys
leave the screenshots the README shows.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from ancuu_docs.auth import services as users
from ancuu_docs.auth.commands import NewUser, UserChange
from ancuu_docs.documents import services as documents
from ancuu_docs.documents.commands import Move, NewDocument
from ancuu_docs.extensions import db
from ancuu_docs.registers.commands import Registration
from ancuu_docs.registers.registering import register_document
from ancuu_docs.timeutil import local_today, vietnamese_date
from tests import samples
from tests.browser import DESKTOP, PHONE, Axe, LiveServer, chromium_path
from tests.conftest import _make_app, make_accounts
from tests.tools import needs

pytestmark = needs("chromium")

SCREENSHOTS = os.environ.get("ANCUU_SCREENSHOTS")


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def axe_checker():
    return Axe()


@pytest.fixture
def site(instance, database_url):
    """The app as production runs it (CSRF checked), served to the browser."""
    app = _make_app(instance, DATABASE_URL=database_url)
    with app.app_context():
        accounts = make_accounts()
        with LiveServer(app) as server:
            server.app, server.accounts = app, accounts
            yield server
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def axe(axe_checker):
    """Checks pages; the test fails if any page it checked had a violation."""
    axe_checker.violations.clear()
    yield axe_checker
    assert axe_checker.violations == {}, "axe-core: " + "; ".join(
        f"{page}: {found}" for page, found in axe_checker.violations.items()
    )


# Controls a finger must hit on a phone: at least 44 px tall (WCAG 2.5.5). Links inside a
# sentence are exempt (the "inline" exception), as are boxes whose whole label row is the target.
SMALL_TARGETS = """() => [...document.querySelectorAll(
    'main a[href], header a[href], button, select, textarea, input:not([type=hidden])')]
  .filter(el => {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(el).visibility === 'hidden') return false;
    if (el.closest('p, dd, li.muted, .docx-preview, .page-text, small, figcaption, .snippet, details')
        && el.tagName === 'A') return false;
    if (el.matches('input[type=checkbox], input[type=radio]')) {
      const row = el.closest('label');
      return !row || row.getBoundingClientRect().height < 44;
    }
    if (el.classList.contains('skip-link')) return false;
    return box.height < 44;
  })
  .map(el => `${el.tagName.toLowerCase()} «${(el.textContent || el.name || '').trim().slice(0, 30)}» `
    + `${Math.round(el.getBoundingClientRect().height)}px`)"""


class Person:
    """One user at one browser: signs in through the login page, visits, checks each page."""

    def __init__(self, browser, site, axe, username: str, password: str, viewport: dict) -> None:
        self.site, self.axe = site, axe
        self.phone = viewport["width"] < 600
        self.context = browser.new_context(
            viewport=viewport, locale="vi-VN", bypass_csp=True, accept_downloads=True
        )
        self.context.set_default_timeout(10_000)
        self.page = self.context.new_page()
        self.page.goto(f"{site.url}/login")
        self.check()
        self.page.get_by_label("Tên đăng nhập").fill(username)
        self.page.get_by_label("Mật khẩu").fill(password)
        self.page.get_by_role("button", name="Đăng nhập").click()
        expect(self.page.get_by_role("heading", level=1)).to_contain_text("Chào đồng chí")
        self.check()

    def goto(self, path: str) -> None:
        self.page.goto(f"{self.site.url}{path}")
        self.check()

    def check(self) -> None:
        self.axe.check(self.page)
        if self.phone:
            small = self.page.evaluate(SMALL_TARGETS)
            assert small == [], f"{self.page.url}: controls under 44 px on a phone: {small}"

    def shot(self, name: str) -> None:
        if SCREENSHOTS:
            Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=False)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def person(browser, site, axe):
    people = []

    def _person(role: str, viewport=DESKTOP) -> Person:
        account = site.accounts[role]
        people.append(Person(browser, site, axe, account.username, account.password, viewport))
        return people[-1]

    yield _person
    for one in people:
        one.close()


def _issued(site, title: str, data: bytes, filename: str, doc_type: str = "NQ"):
    office = site.accounts["secretariat"].user
    doc = documents.create_document(
        office, NewDocument.of(title=title, doc_type=doc_type), documents.Upload(data, filename)
    )
    documents.transition(office, doc.id, Move.of(to="in_review"))
    documents.transition(office, doc.id, Move.of(to="approved"))
    return db.session.get(type(doc), doc.id)


def test_a_member_reads_a_resolution_and_a_scan_on_a_phone(site, person):
    resolution = _issued(site, "Nghị quyết về phát triển kinh tế số", samples.party_docx(), "nq.docx")
    scan = _issued(
        site,
        "Kế hoạch tuyên truyền chuyển đổi số",
        samples.scanned_pdf([["KE HOACH", "Tuyen truyen chuyen doi so nam 2026"]]),
        "kh.pdf",
        doc_type="KH",
    )
    member = person("member", PHONE)
    member.shot("thanh-vien-1-trang-chu")
    # Searched as typed on a phone: no diacritics.
    member.page.get_by_label("Tìm văn bản").fill("thao luan nghi quyet")
    member.page.get_by_label("Tìm văn bản").press("Enter")
    member.check()
    member.shot("thanh-vien-2-tim-kiem")
    member.page.get_by_role("link", name="Nghị quyết về phát triển kinh tế số").first.click()
    member.check()
    # The page opens at the first match, marked, and the body is read without downloading.
    first_match = member.page.locator("#khop-dau")
    expect(first_match).to_be_in_viewport()
    sentence = member.page.get_by_text("Hội nghị thông qua dự thảo nghị quyết sau khi thảo luận.")
    expect(sentence).to_be_visible()
    assert member.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    member.shot("thanh-vien-3-doc-nghi-quyet")
    assert f"/documents/{resolution.id}" in member.page.url
    # A scan is read as its page images.
    member.goto(f"/documents/{scan.id}")
    image = member.page.get_by_role("img", name="Trang 1")
    image.scroll_into_view_if_needed()
    expect(image).to_be_visible()
    member.page.wait_for_function(
        "img => img.complete && img.naturalWidth === 1200", arg=image.element_handle()
    )
    member.shot("thanh-vien-4-doc-ban-quet")
    # The incoming book on a phone: a card per entry, nothing off the side of the screen.
    office = site.accounts["secretariat"].user
    for n, issuer in ((46, "Ban Chấp hành Trung ương"), (12, "Ban Thường vụ Thành ủy Huế")):
        entry = Registration.of(
            origin="incoming",
            doc_type="CT",
            number=f"{n}-CT/TU",
            issuer=issuer,
            title="Chỉ thị về tăng cường sự lãnh đạo của Đảng đối với công tác chuyển đổi số ở cơ sở",
            issue_date="2025-06-16",
            received_date="2025-06-20",
            handler="Trần Thị Hoa - Chánh Văn phòng Đảng ủy",
            reply_due="2025-07-15",
        )
        register_document(office, entry)
    member.goto("/registers/incoming")
    expect(member.page.get_by_role("heading", level=1)).to_contain_text("năm 2025")
    expect(member.page.get_by_text("46-CT/TU")).to_be_visible()
    assert member.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    member.shot("thanh-vien-5-so-van-ban-den")


@needs("ocrmypdf", "tesseract-vie")
def test_the_office_registers_an_incoming_scan_from_one_page_on_a_phone(site, person, tmp_path):
    """From "Thêm văn bản", a Công văn's scan chosen on a phone: the form fills itself once its
    first page is read, the entry goes into the book, and the book reads without sideways
    scrolling."""
    from tests.header_set import INCOMING, first_page

    cong_van = next(e for e in INCOMING if e["number"] == "87-CV/TU")
    scan = tmp_path / "cong-van-87.pdf"
    scan.write_bytes(samples.scanned_pdf([first_page(cong_van), ["Trang 2"]]))
    office = person("secretariat", PHONE)
    office.goto("/documents/add")
    office.page.get_by_role("link", name="Vào sổ văn bản đến").click()
    office.check()
    page = office.page
    page.get_by_label("Tệp (bản quét").set_input_files(str(scan))
    number = page.get_by_label("Số, ký hiệu (như in trên văn bản)")
    expect(number).to_have_value("87-CV/TU", timeout=180_000)  # OCR of its first page, on the server
    expect(page.get_by_label("Cơ quan ban hành (văn bản đến)")).to_have_value("Thành ủy Huế")
    expect(page.get_by_label("Loại văn bản")).to_have_value("CV")
    expect(page.get_by_label("Ngày ban hành")).to_have_value("2025-03-10")
    expect(page.get_by_label("Trích yếu", exact=True)).to_have_value("về việc triển khai công tác bầu cử")
    expect(page.locator("#intake-status")).to_contain_text("hãy kiểm tra lại")
    office.check()
    office.shot("van-phong-1-vao-so-ban-quet")
    page.get_by_role("button", name="Đăng ký", exact=True).click()
    expect(page.get_by_text("Đã đăng ký văn bản số 87-CV/TU.")).to_be_visible()
    office.check()
    expect(page.get_by_role("link", name="Tải về phiên bản 1")).to_be_visible()  # the scan, sent once
    office.goto("/registers/incoming")
    expect(page.get_by_text("Công văn về việc triển khai công tác bầu cử")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    office.shot("van-phong-2-so-van-ban-den")


def test_the_secretariat_uploads_versions_approves_and_records_the_conference(site, person, tmp_path):
    office = person("secretariat")
    page = office.page
    office.goto("/documents/new")
    # Sent empty: every error listed at the top, linked to its field, and the focus goes there.
    page.get_by_role("button", name="Tải lên", exact=True).click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link").first).to_contain_text("Trích yếu")
    office.check()
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Trích yếu")).to_be_focused()
    page.get_by_label("Trích yếu").fill("Nghị quyết về xây dựng đô thị văn minh")
    page.get_by_label("Loại").select_option("NQ")
    page.get_by_label("Tệp").set_input_files(
        files=[
            {
                "name": "nq.docx",
                "mimeType": "application/octet-stream",
                "buffer": samples.docx(["Dự thảo lần một về đô thị văn minh."]),
            }
        ]
    )
    page.get_by_role("button", name="Tải lên", exact=True).click()
    expect(page.get_by_text("Đã tạo dự thảo")).to_be_visible()
    office.check()
    doc_url = page.url
    page.get_by_role("link", name="Tải lên phiên bản mới").click()
    office.check()
    page.get_by_label("Tệp phiên bản mới").set_input_files(
        files=[
            {
                "name": "nq2.docx",
                "mimeType": "application/octet-stream",
                "buffer": samples.docx(["Dự thảo lần hai về đô thị văn minh và sạch đẹp."]),
            }
        ]
    )
    page.get_by_role("button", name="Tải lên phiên bản").click()
    expect(page.get_by_text("Đã thêm phiên bản mới.")).to_be_visible()
    office.check()
    page.get_by_role("button", name="So sánh").click()
    expect(page.locator("ins").first).to_be_visible()
    office.check()
    office.shot("van-phong-1-so-sanh")
    page.goto(doc_url)
    page.get_by_role("button", name="Gửi xem xét").click()
    office.check()
    page.get_by_role("link", name="Phê duyệt và cấp số…").click()
    office.check()
    issued_on = local_today() - timedelta(days=1)
    page.get_by_label("Ngày ban hành").fill(issued_on.isoformat())
    page.get_by_label("Người ký").fill("Nguyễn Văn Hùng")
    page.get_by_label("Xác nhận", exact=False).check()
    page.get_by_role("button", name="Phê duyệt và cấp số").click()
    office.check()
    expect(page.locator(".props")).to_contain_text(vietnamese_date(issued_on))
    expect(page.get_by_text("Số 01-NQ/ĐU", exact=True)).to_be_visible()
    office.shot("van-phong-2-da-ban-hanh")

    # The conference that adopts another draft.
    put_to_vote = documents.create_document(
        site.accounts["secretariat"].user,
        NewDocument.of(title="Chương trình kiểm tra, giám sát năm 2026", doc_type="CTr"),
        documents.Upload(samples.docx(["Chương trình kiểm tra, giám sát năm 2026."]), "ct.docx"),
    )
    documents.transition(site.accounts["secretariat"].user, put_to_vote.id, Move.of(to="in_review"))
    office.goto("/meetings/new")
    conference = samples.CONFERENCE
    page.get_by_label("Lần họp").fill("3")
    page.get_by_label("Ngày họp").fill(local_today().isoformat())
    page.get_by_label("Giờ bắt đầu").fill("08:00")
    page.get_by_label("Địa điểm").fill(conference["place"])
    page.get_by_label("Chủ trì: họ tên").fill(conference["chair_name"])
    page.get_by_label("Chủ trì: chức vụ").fill(conference["chair_position"])
    page.get_by_label("Người ghi biên bản: họ tên").fill(conference["secretary_name"])
    page.get_by_label("Người ghi biên bản: chức vụ").fill(conference["secretary_position"])
    page.get_by_label("Tổng số cấp ủy viên").fill("15")
    page.get_by_role("button", name="Tạo hội nghị").click()
    expect(page.get_by_text("Đã tạo hội nghị.")).to_be_visible()
    office.check()
    page.get_by_label("Nội dung", exact=True).fill("Thông qua Chương trình kiểm tra, giám sát năm 2026")
    page.get_by_label("Người trình bày: họ tên").fill("Trần Thị Hoa")
    page.get_by_label("Văn bản trình hội nghị").select_option(str(put_to_vote.id))
    page.get_by_role("button", name="Thêm nội dung").click()
    office.check()
    page.get_by_label("Có mặt (tổng số 15)").fill("14")
    page.get_by_label("Họ tên 1").fill("Lê Văn Cường")
    page.get_by_label("Lý do 1").fill("đi công tác")
    page.get_by_role("button", name="Ghi thành phần, chuyển sang «Đã họp»").click()
    office.check()
    page.get_by_label("Hình thức").fill("Giơ tay")
    page.get_by_label("Tán thành", exact=True).fill("14")
    page.get_by_label("Không tán thành").fill("0")
    page.get_by_label("Không biểu quyết").fill("0")
    page.locator("form[action$='/decision']").get_by_role("checkbox").check()
    page.get_by_role("button", name="Ghi biểu quyết").click()
    office.check()
    expect(page.get_by_text("Thông qua", exact=True).first).to_be_visible()
    office.shot("van-phong-3-hoi-nghi")
    db.session.rollback()  # see what the server wrote
    assert db.session.get(type(put_to_vote), put_to_vote.id).status == "approved"
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải hồ sơ hội nghị (.zip)").click()
    saved = tmp_path / "hoso.zip"
    download.value.save_as(saved)
    assert saved.read_bytes()[:2] == b"PK"


def test_a_clerk_generates_a_draft_and_sends_it_to_review(site, person):
    clerk = person("clerk", PHONE)
    page = clerk.page
    # The minutes' tables of inputs fit a phone: stacked, not 650 px wide.
    clerk.goto("/drafts/minutes")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    clerk.goto("/drafts/resolution")
    page.get_by_label("Ngày ban hành").fill(local_today().isoformat())
    page.get_by_label("Chức vụ người ký").select_option("BÍ THƯ")
    page.get_by_label("Hội nghị").fill("Hội nghị lần thứ ba Ban Chấp hành Đảng bộ phường")
    page.get_by_label("Trích yếu (về …)").fill("về công tác chuyển đổi số năm 2026")
    page.get_by_label("Đoạn mở đầu").fill("Căn cứ Điều lệ Đảng; Quy chế làm việc của Ban Chấp hành.")
    page.get_by_label("Nội dung", exact=False).first.fill(
        "I- TÌNH HÌNH\nChuyển đổi số được triển khai đồng bộ."
    )
    page.get_by_label("Nơi nhận (mỗi dòng một nơi)").fill("Thành ủy Huế\nLưu Văn phòng Đảng ủy")
    page.get_by_role("button", name="Xem trước").click()
    clerk.check()
    expect(page.locator("#preview")).to_be_in_viewport()
    clerk.shot("van-thu-1-xem-truoc")
    page.get_by_role("button", name="Tạo dự thảo").click()
    clerk.check()
    expect(page.get_by_text("Dự thảo", exact=False).first).to_be_visible()
    page.get_by_role("button", name="Gửi xem xét").click()
    clerk.check()
    expect(page.locator(".meta .badge").first).to_have_text("Đang xem xét")
    clerk.goto("/")
    expect(page.get_by_role("heading", name="Dự thảo của tôi")).to_be_visible()
    expect(page.locator("#home-du-thao-cua-toi ~ ul")).to_contain_text("về công tác chuyển đổi số năm 2026")
    clerk.shot("van-thu-2-trang-chu")


def test_two_members_comment_on_a_draft_and_the_office_sees_the_tally(site, person):
    for username in ("uyvien-mot", "uyvien-hai"):
        user = users.create_user(
            None,
            NewUser.of(
                username=username,
                role="member",
                password=f"{username}-password",
                display_name=f"Đồng chí {username}",
            ),
        )
        users.update_user(None, user.id, UserChange.of(committee="executive"))
    office_user = site.accounts["secretariat"].user
    draft = documents.create_document(
        office_user,
        NewDocument.of(title="Nghị quyết về an ninh trật tự", doc_type="NQ"),
        documents.Upload(samples.docx(["Dự thảo Nghị quyết về an ninh trật tự."]), "nq.docx"),
    )
    documents.transition(office_user, draft.id, Move.of(to="in_review"))
    office = person("secretariat")
    office.goto(f"/documents/{draft.id}")
    office.page.get_by_role("link", name="Lấy ý kiến về dự thảo").click()
    office.check()
    office.page.get_by_label("Ban Chấp hành Đảng bộ").check()
    office.page.get_by_label("Hạn góp ý").fill((local_today() + timedelta(days=5)).isoformat())
    office.page.get_by_role("button", name="Gửi lấy ý kiến").click()
    expect(office.page.get_by_text("Đã gửi dự thảo lấy ý kiến 2 đồng chí.")).to_be_visible()
    office.check()
    for username, choice, comment in (
        ("uyvien-mot", "Đồng ý", ""),
        ("uyvien-hai", "Ý kiến khác", "Đề nghị bổ sung chỉ tiêu camera an ninh."),
    ):
        member = Person(office.context.browser, site, office.axe, username, f"{username}-password", PHONE)
        expect(member.page.get_by_role("heading", name="Dự thảo xin ý kiến đồng chí")).to_be_visible()
        member.page.get_by_role("link", name="Nghị quyết về an ninh trật tự").click()
        member.check()
        expect(member.page.get_by_text("Dự thảo Nghị quyết về an ninh trật tự.")).to_be_visible()
        member.page.get_by_label(choice, exact=True).check()
        if comment:
            member.page.get_by_label("Góp ý cụ thể").fill(comment)
        member.page.get_by_role("button", name="Gửi ý kiến").click()
        expect(member.page.get_by_text(f"Đã ghi ý kiến «{choice}» về phiên bản 1.")).to_be_visible()
        member.check()
        if username == "uyvien-hai":
            member.shot("gop-y-1-thanh-vien")
        member.close()
    # The plain member, not asked, does not even see the draft.
    outsider = person("member", PHONE)
    response = outsider.page.goto(f"{site.url}/documents/{draft.id}")
    assert response.status == 404
    outsider.check()
    office.goto(f"/documents/{draft.id}")
    expect(office.page.locator(".consultation-panel")).to_contain_text("2/2 đã trả lời")
    office.page.get_by_role("link", name="Xem đợt lấy ý kiến").click()
    office.check()
    tally = office.page.locator("table.tally")
    expect(tally.locator(".count-agree")).to_have_text("1")
    expect(tally.locator(".count-other")).to_have_text("1")
    expect(tally.locator(".count-missing")).to_have_text("0")
    expect(office.page.get_by_text("Đề nghị bổ sung chỉ tiêu camera an ninh.")).to_be_visible()
    office.shot("gop-y-2-tong-hop")
