"""Reading the header of a document's first page: Party and state layouts, typed or OCR'd."""

from __future__ import annotations

import pytest

from ancuu_docs.detect import detect
from tests import samples

PARTY = """ĐẢNG BỘ THÀNH PHỐ HUẾ
ĐẢNG ỦY PHƯỜNG AN CỰU
*
Số 05-NQ/ĐU
ĐẢNG CỘNG SẢN VIỆT NAM
An Cựu, ngày 05 tháng 11 năm 2025
NGHỊ QUYẾT
HỘI NGHỊ LẦN THỨ HAI (MỞ RỘNG) BAN CHẤP HÀNH ĐẢNG BỘ PHƯỜNG
về xây dựng lối sống đô thị văn minh,
giai đoạn 2025 - 2030
-----
Ngày 05 tháng 11 năm 2025, Ban Chấp hành Đảng bộ phường họp."""

STATE = """ỦY BAN NHÂN DÂN
PHƯỜNG AN CỰU
Số: 12/QĐ-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
An Cựu, ngày 02 tháng 3 năm 2026
QUYẾT ĐỊNH
Về việc thành lập Tổ bầu cử khu vực bỏ phiếu số 3
CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG AN CỰU"""

# What Tesseract makes of a Party header: lost tone marks, "ĐU" read as "DU".
OCR = PARTY.replace("Số 05-NQ/ĐU", "Sô 05-NQ/DU").replace("NGHỊ QUYẾT", "NGHI QUYET")


def test_a_party_header():
    found = detect(PARTY)
    assert found.as_json() == {
        "style": "party",
        "superior_body": "ĐẢNG BỘ THÀNH PHỐ HUẾ",
        "issuing_body": "ĐẢNG ỦY PHƯỜNG AN CỰU",
        "number": "05-NQ/ĐU",
        "doc_type": "NQ",
        "place": "An Cựu",
        "issue_date": "2025-11-05",
        "subject": "về xây dựng lối sống đô thị văn minh, giai đoạn 2025 - 2030",
    }


def test_a_state_header():
    found = detect(STATE)
    assert (found.style, found.number, found.doc_type, found.issue_date) == (
        "state",
        "12/QĐ-UBND",
        "QĐ",
        "2026-03-02",
    )
    assert found.issuing_body == "PHƯỜNG AN CỰU" and found.superior_body == "ỦY BAN NHÂN DÂN"
    assert found.subject == "Về việc thành lập Tổ bầu cử khu vực bỏ phiếu số 3"


def test_an_ocr_read_header_keeps_what_it_can():
    found = detect(OCR)
    assert found.number == "05-NQ/DU" and found.doc_type == "NQ" and found.issue_date == "2025-11-05"


@pytest.mark.parametrize("text", ["", "Một đoạn văn không có tiêu đề.", "Số nhà 12, đường Hùng Vương"])
def test_nothing_is_made_up(text):
    assert detect(text).as_json() == {}


def test_the_api_returns_what_it_detected_in_an_uploaded_draft(api):
    data = samples.docx(PARTY.splitlines())
    doc = api.upload("secretariat", data=data, filename="nq.docx").json
    assert doc["detected"]["number"] == "05-NQ/ĐU" and doc["detected"]["issue_date"] == "2025-11-05"
    assert api("member", "GET", f"/documents/{doc['id']}").status_code == 404  # a draft: not theirs
    assert api("secretariat", "GET", f"/documents/{doc['id']}").json["detected"]["doc_type"] == "NQ"
