"""Format to the letter: every rule of the domain reference's layout, asserted on every
built-in template's output, draft and issued, in the DOCX (python-docx) and in the PDF that
LibreOffice makes of it (positions, lines and fonts read with pdfium)."""

from __future__ import annotations

import io
import itertools
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from ancuu_docs.drafting.builder import INSPECTION_COLUMNS
from ancuu_docs.drafting.layout import PARTY_TEXT_CM
from ancuu_docs.extensions import db
from tests.conftest import Api, IsolatedClient, _make_app, make_accounts
from tests.pdf_layout import CM, Pdf
from tests.test_drafting import CODES, FIELDS, TYPE_NAMES
from tests.tools import needs

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
SIGNER = "Nguyễn Văn Hùng"
LAST_LINE = "Nghị quyết này được phổ biến đến các chi bộ, đảng bộ trực thuộc."
FILLER = (
    "Tiếp tục đẩy mạnh phong trào xây dựng tổ dân phố văn minh, giữ gìn vệ sinh môi trường, "
    "trật tự đô thị; phát huy vai trò của Mặt trận Tổ quốc và các đoàn thể trong vận động Nhân dân."
)
KEEP_SERIES = range(14, 34)
WORK_PROGRAMME_WIDTHS = [
    2.6,
    5.4,
    2.9,
    2.9,
    2.2,
]  # body lengths that walk the signature block across the page break


@dataclass
class Made:
    folder: Path
    files: dict  # (key, "draft" | "issued") -> DOCX bytes
    series: dict  # paragraphs in the body -> DOCX bytes
    pdfs: dict | None  # the same keys -> PDF path (None without LibreOffice)

    def docx(self, key, stage):
        return Document(io.BytesIO(self.files[(key, stage)]))


def _make(api: Api, key: str, fields: dict) -> dict:
    response = api("clerk", "POST", "/drafts", json={"template": key, "fields": fields})
    assert response.status_code == 201, response.json
    return response.json


def _issue(api: Api, doc: dict) -> dict:
    assert api.transition("clerk", doc["id"], "in_review").status_code == 200
    approved = api(
        "secretariat",
        "POST",
        f"/documents/{doc['id']}/transitions",
        json={"to": "approved", "issue_date": "2025-11-05", "signer": SIGNER},
    )
    assert approved.status_code == 200, approved.json
    return approved.json


def _file(api: Api, doc: dict, n: int) -> bytes:
    return api("secretariat", "GET", f"/documents/{doc['id']}/versions/{n}/file").data


@pytest.fixture(scope="module")
def made(tmp_path_factory, databases) -> Made:
    """Every template drafted and issued, and a series of resolutions of growing length, made
    once through the API; LibreOffice converts them all in one run."""
    folder = tmp_path_factory.mktemp("layout")
    (folder / "instance").mkdir()
    database_url = databases.fresh(folder / "instance")
    app = _make_app(folder / "instance", WTF_CSRF_ENABLED=False, DATABASE_URL=database_url)
    app.test_client_class = IsolatedClient
    files, series = {}, {}
    with app.app_context():
        api = Api(app.test_client(), make_accounts())
        for key in FIELDS:
            doc = _make(api, key, FIELDS[key])
            files[(key, "draft")] = _file(api, doc, 1)
            issued = _issue(api, doc)
            files[(key, "issued")] = _file(api, issued, issued["current_version"])
        for paragraphs in KEEP_SERIES:
            body = "\n".join(["I- TỔ CHỨC THỰC HIỆN", *[FILLER] * paragraphs, LAST_LINE])
            doc = _make(api, "resolution", {**FIELDS["resolution"], "body": body})
            series[paragraphs] = _file(api, doc, 1)
        db.session.remove()
        db.engine.dispose()
    pdfs = None
    if SOFFICE:
        paths = {(key, stage): folder / f"{key}-{stage}.docx" for key, stage in files}
        paths.update({n: folder / f"series-{n}.docx" for n in series})
        for name, path in paths.items():
            path.write_bytes(files[name] if name in files else series[name])
        subprocess.run(
            [
                SOFFICE,
                f"-env:UserInstallation=file://{folder / 'lo-profile'}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(folder),
                *map(str, paths.values()),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        pdfs = {name: path.with_suffix(".pdf") for name, path in paths.items()}
    return Made(folder, files, series, pdfs)


STAGES = [(key, stage) for key in FIELDS for stage in ("draft", "issued")]
needs_office = needs("soffice")


def _runs(paragraph):
    return [r for r in paragraph.runs if r.text.strip()]


def _paragraphs(document):
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def _pdf(made: Made, name) -> Pdf:
    return Pdf(made.pdfs[name])


# ------------------------------------------------------------------ the DOCX, rule by rule


@pytest.mark.parametrize(("key", "stage"), STAGES)
def test_page_fonts_and_marks(made, key, stage):
    document = made.docx(key, stage)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [20, 20, 30, 15]
    for paragraph in _paragraphs(document):
        for run in _runs(paragraph):
            assert run.font.name == "Times New Roman", (paragraph.text, run.font.name)
    raw = made.files[(key, stage)]
    xml = "".join(
        zipfile.ZipFile(io.BytesIO(raw)).read(n).decode()
        for n in zipfile.ZipFile(io.BytesIO(raw)).namelist()
        if n.endswith(".xml")
    )
    assert "{{" not in xml and "{%" not in xml
    # "DỰ THẢO n" on page 1 of a draft only; page numbers from page 2.
    assert section.different_first_page_header_footer
    mark = section.first_page_header.paragraphs[0].text
    assert mark == ("DỰ THẢO 1" if stage == "draft" else "")
    assert "DỰ THẢO" not in "\n".join(p.text for p in _paragraphs(document)) or stage == "draft"
    assert "PAGE" in section.header._element.xml


@pytest.mark.parametrize(("key", "stage"), STAGES)
def test_header_number_date_and_rule(made, key, stage):
    header = made.docx(key, stage).tables[0]
    left = [header.cell(row, 0).text for row in range(len(header.rows))]
    right = [header.cell(row, 1).text for row in range(len(header.rows))]
    assert left[:3] == ["ĐẢNG BỘ THÀNH PHỐ HUẾ", "ĐẢNG ỦY PHƯỜNG AN CỰU", "*"]
    if stage == "draft":  # no number yet: a blank before the code
        assert left[3] == "Số \u00a0\u00a0\u00a0\u00a0\u00a0\u00a0-" + f"{CODES[key]}/ĐU"
    else:  # "Số 01-NQ/ĐU": no colon, two digits at least
        assert re.fullmatch(rf"Số \d{{2}}-{CODES[key]}/ĐU", left[3]), left[3]
    # The place and date stand level with "Số": the same row of the header table.
    assert right[0] == "ĐẢNG CỘNG SẢN VIỆT NAM" and right[3] == "An Cựu, ngày 05 tháng 11 năm 2025"
    issuing = header.cell(1, 0).paragraphs[0]
    assert issuing.runs[0].bold and issuing.runs[0].font.size.pt == 14
    assert not header.cell(0, 0).paragraphs[0].runs[0].bold
    party = header.cell(0, 1).paragraphs[0]
    assert party.runs[0].bold and party.runs[0].font.size.pt == 15
    date_run = header.cell(3, 1).paragraphs[0].runs[0]
    assert date_run.italic and date_run.font.size.pt == 14
    assert "Số:" not in left[3]
    # The rule under the party's name is as long as the text, not as wide as the cell.
    assert party._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")) is not None
    cell_cm = header.columns[1].width.cm
    fmt = party.paragraph_format
    rule_cm = cell_cm - 2 * 0.19 - fmt.left_indent.cm - fmt.right_indent.cm
    assert PARTY_TEXT_CM <= rule_cm <= PARTY_TEXT_CM + 0.3, rule_cm


@pytest.mark.parametrize(("key", "stage"), STAGES)
def test_title_block(made, key, stage):
    body = [p for p in made.docx(key, stage).paragraphs if p.text.strip()]
    type_name = next(p for p in body if p.text == TYPE_NAMES[key])
    assert type_name.runs[0].bold and type_name.runs[0].font.size.pt == 16
    after = body[body.index(type_name) + 1 :]
    assert "-----" in [p.text for p in after[:3]]
    for line in after[: [p.text for p in after].index("-----")]:
        assert all(r.bold for r in _runs(line)), line.text


@pytest.mark.parametrize(("key", "stage"), STAGES)
def test_bold_only_for_short_headings_and_no_italic_items(made, key, stage):
    checked = 0
    for paragraph in made.docx(key, stage).paragraphs:
        text = paragraph.text.strip()
        bold = any(r.bold for r in _runs(paragraph))
        if re.match(r"^\d+(\.\d+)*\.\s", text) and (len(text) > 80 or text.endswith((".", ";"))):
            assert not bold, f"a numbered whole sentence is body text: {text}"
            checked += 1
        if re.match(r"^[a-zđ]\)\s", text):
            assert not any(r.italic for r in _runs(paragraph)), f"an a) item is not italic: {text}"
            checked += 1
        if re.match(r"^[IVX]+-\s", text):
            assert bold, text
    if key in ("resolution", "minutes"):
        assert checked >= 1  # the samples hold such lines: the rule was exercised


@pytest.mark.parametrize(("key", "stage"), STAGES)
def test_every_table_has_its_declared_widths(made, key, stage):
    document = made.docx(key, stage)
    for table in document.tables:
        tbl_pr = table._tbl.tblPr
        assert tbl_pr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        grid = [column.width for column in table.columns]
        assert all(width is not None for width in grid)
        assert int(tbl_pr.find(qn("w:tblW")).get(qn("w:w"))) == pytest.approx(
            sum(w.twips for w in grid), abs=len(grid)
        )
        for row in table.rows:
            assert [cell.width for cell in row.cells] == grid
    declared = {
        "inspection-programme": [width for _key, _label, width in INSPECTION_COLUMNS],
        "work-programme": WORK_PROGRAMME_WIDTHS,
    }.get(key)
    if declared:
        grid = [round(c.width.cm, 1) for c in document.tables[1].columns]
        assert grid == declared
        assert grid.index(max(grid)) == 1 and grid[-2:].count(min(grid)) >= 1  # content wide, time narrow


@pytest.mark.parametrize(("key", "stage"), STAGES)
def test_footer_recipients_signature_and_keeping_together(made, key, stage):
    document = made.docx(key, stage)
    footer = document.tables[-1]
    for row in footer.rows:
        assert row._tr.trPr.find(qn("w:cantSplit")) is not None
    for paragraph in (p for cell in footer.rows[0].cells for p in cell.paragraphs):
        assert paragraph.paragraph_format.keep_with_next
    # What stands before the block keeps with it: the blank line and the body's last line.
    before = [p for p in document.paragraphs]
    assert before[-1].text == "" and before[-1].paragraph_format.keep_with_next
    assert before[-2].text.strip() and before[-2].paragraph_format.keep_with_next, before[-2].text
    signature = footer.cell(0, 1).paragraphs if key != "minutes" else footer.cell(0, 0).paragraphs
    texts = [p.text for p in signature]
    first_name = next(i for i, t in enumerate(texts) if i > 0 and t.strip() and t == t.title())
    blanks = [t for t in texts[:first_name] if not t.strip()]
    assert len(blanks) >= 4, texts  # room for the signature and the seal
    if key == "minutes":
        assert footer.cell(0, 0).paragraphs[0].text == "NGƯỜI GHI BIÊN BẢN"
        assert footer.cell(0, 1).paragraphs[0].text == "CHỦ TRÌ HỘI NGHỊ"
        return
    label = footer.cell(0, 0).paragraphs[0]
    assert label.text == "Nơi nhận:"
    run = label.runs[0]
    assert run.underline and not run.bold and not run.italic and run.font.size.pt == 14
    assert all(p.runs[0].font.size.pt == 12 for p in footer.cell(0, 0).paragraphs[1:] if p.runs)
    lines = [t for t in texts if t.strip()]
    assert lines[0] == ("T/M BAN THƯỜNG VỤ" if key == "report" else "T/M ĐẢNG ỦY")
    assert lines[1] == "BÍ THƯ" and lines[-1] == SIGNER
    assert all(r.bold for p in signature for r in _runs(p))


# ------------------------------------------------------------------ the PDF LibreOffice makes


@needs_office
@pytest.mark.parametrize(("key", "stage"), STAGES)
def test_pdf_header_date_level_with_number_and_rule_as_long_as_the_text(made, key, stage):
    pdf = _pdf(made, (key, stage))
    number = pdf.find("Số ")
    date_line = pdf.find("An Cựu, ngày 05 tháng 11 năm 2025")
    assert abs(number.top - date_line.top) < 2, (number, date_line)  # capitals: no descenders
    party = pdf.find("ĐẢNG CỘNG SẢN VIỆT NAM")
    rules = [
        line
        for line in pdf.lines(0, horizontal=True)
        if party.bottom - 8 < line.top <= party.bottom + 1 and line.left < party.right
    ]
    assert len(rules) >= 1
    rule = rules[0]
    assert abs(rule.width - party.width) < 0.35 * CM, (rule.width / CM, party.width / CM)
    assert rule.left < party.left + 0.2 * CM and rule.right > party.right - 0.2 * CM
    text = pdf.text()
    assert ("DỰ THẢO 1" in text) == (stage == "draft")
    if stage == "issued":
        assert re.search(rf"Số \d{{2}}-{CODES[key]}/ĐU", text)


@needs_office
@pytest.mark.parametrize("key", [k for k in FIELDS if k != "minutes"])
def test_pdf_recipients_label_upright_and_signature_bold(made, key):
    pdf = _pdf(made, (key, "issued"))
    font, _weight = pdf.font_of("Nơi nhận:")
    assert "Bold" not in font and "Italic" not in font, font
    assert "Bold" in pdf.font_of("BÍ THƯ")[0]
    label = pdf.find("Nơi nhận:")
    underline = [
        line
        for line in pdf.lines(label.page, horizontal=True)
        if label.bottom - 4 < line.top <= label.bottom + 4 and line.left < label.right
    ]
    assert underline, "Nơi nhận: is underlined"


@needs_office
@pytest.mark.parametrize(
    ("key", "widths"),
    [
        ("work-programme", WORK_PROGRAMME_WIDTHS),
        ("inspection-programme", [w for _k, _l, w in INSPECTION_COLUMNS]),
    ],
)
def test_pdf_table_columns_have_their_declared_widths(made, key, widths):
    pdf = _pdf(made, (key, "issued"))
    heading = pdf.find("Thời gian", after=pdf.find("II- "))
    xs = sorted(
        {
            round(line.left / CM, 1)
            for line in pdf.lines(heading.page, horizontal=False)
            if line.bottom - 5 < heading.bottom < line.top + 5
        }
    )
    gaps = [round(b - a, 1) for a, b in itertools.pairwise(xs)]
    assert gaps == pytest.approx(widths, abs=0.15), xs


@needs_office
def test_pdf_signature_block_is_never_alone_on_a_page(made):
    """Resolutions of growing length: wherever the page breaks, the signature block stands on
    the page of the body's last line (and the series does cross a page break)."""
    moved = 0
    for paragraphs in KEEP_SERIES:
        pdf = _pdf(made, paragraphs)
        last = pdf.find(LAST_LINE[:40])
        signature = pdf.find("T/M ĐẢNG ỦY", after=last)
        name = pdf.find(SIGNER, after=signature)
        assert signature.page == last.page == name.page, (paragraphs, last.page, signature.page)
        moved += signature.page > 0
    assert moved, "the series never reached page 2: make it longer"


@needs_office
@pytest.mark.parametrize(("key", "stage"), STAGES)
def test_pdf_carries_the_content(made, key, stage):
    expected = {
        "resolution": [
            "NGHỊ QUYẾT",
            "HỘI NGHỊ LẦN THỨ HAI (MỞ RỘNG) BAN CHẤP HÀNH ĐẢNG BỘ",
            "về xây dựng lối sống đô thị văn minh",
            "I- TÌNH HÌNH VÀ KẾT QUẢ",
            "T/M ĐẢNG ỦY",
        ],
        "work-programme": ["CHƯƠNG TRÌNH", "Nghị quyết năm 2026", "III- TỔ CHỨC THỰC HIỆN"],
        "inspection-programme": ["CHƯƠNG TRÌNH", "Chi bộ Khu vực 3", "Đảng viên diện kê khai"],
        "report": ["BÁO CÁO", "181,55 tỷ đồng", "T/M BAN THƯỜNG VỤ"],
        "minutes": [
            "BIÊN BẢN",
            "bắt đầu hồi 08 giờ 00 phút",
            "CHỦ TRÌ HỘI NGHỊ",
            "13/14 đồng chí có mặt tán thành (92,86%)",
        ],
    }[key]
    text = _pdf(made, (key, stage)).text()
    for phrase in ["ĐẢNG CỘNG SẢN VIỆT NAM", "ĐẢNG ỦY PHƯỜNG AN CỰU", "ngày 05 tháng 11 năm 2025", *expected]:
        assert phrase in text, f"{key} ({stage}): «{phrase}» missing from the PDF"
