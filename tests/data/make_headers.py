"""Writes headers.json: the labelled set for header detection (run once; the JSON is committed).

Forty documents' first pages, Party and state layouts, with the fields a reader of the page
would name. `tests/header_set.py` renders each as DOCX, text PDF and a scan.
"""

import json
import random
from pathlib import Path

random.seed(46)
PARTY_BODIES = [
    ("ĐẢNG BỘ THÀNH PHỐ HUẾ", "ĐẢNG ỦY PHƯỜNG AN CỰU", "ĐU", "An Cựu"),
    ("ĐẢNG BỘ THÀNH PHỐ HUẾ", "ĐẢNG ỦY PHƯỜNG THUẬN HÓA", "ĐU", "Thuận Hóa"),
    ("ĐẢNG BỘ THÀNH PHỐ HUẾ", "ĐẢNG ỦY PHƯỜNG VỸ DẠ", "ĐU", "Vỹ Dạ"),
    ("THÀNH ỦY HUẾ", "BAN THƯỜNG VỤ", "TU", "Huế"),
    ("ĐẢNG BỘ TỈNH QUẢNG TRỊ", "ĐẢNG ỦY XÃ CAM LỘ", "ĐU", "Cam Lộ"),
]
STATE_BODIES = [
    ("ỦY BAN NHÂN DÂN", "PHƯỜNG AN CỰU", "UBND", "An Cựu"),
    ("ỦY BAN NHÂN DÂN", "THÀNH PHỐ HUẾ", "UBND", "Huế"),
    ("HỘI ĐỒNG NHÂN DÂN", "PHƯỜNG AN CỰU", "HĐND", "An Cựu"),
]
PARTY_TYPES = [
    ("NGHỊ QUYẾT", "NQ"),
    ("CHỈ THỊ", "CT"),
    ("KẾT LUẬN", "KL"),
    ("BÁO CÁO", "BC"),
    ("CHƯƠNG TRÌNH", "CTr"),
    ("KẾ HOẠCH", "KH"),
    ("THÔNG BÁO", "TB"),
    ("HƯỚNG DẪN", "HD"),
    ("QUY ĐỊNH", "QĐ"),
    ("TỜ TRÌNH", "TTr"),
]
STATE_TYPES = [("QUYẾT ĐỊNH", "QĐ"), ("KẾ HOẠCH", "KH"), ("THÔNG BÁO", "TB"), ("BÁO CÁO", "BC")]
SUBJECTS = [
    "về xây dựng lối sống đô thị văn minh",
    "về lãnh đạo công tác bầu cử đại biểu Quốc hội và Hội đồng nhân dân các cấp",
    "kết quả thực hiện nhiệm vụ chính trị năm 2025",
    "kiểm tra, giám sát toàn khóa",
    "về tăng cường quản lý đất đai, trật tự xây dựng",
    "triển khai công tác chuyển đổi số trong hệ thống chính trị",
    "về công tác phòng, chống thiên tai mùa mưa bão",
    "tổ chức các hoạt động kỷ niệm ngày thành lập Đảng",
    "về việc kiện toàn tổ chức cơ sở đảng",
    "về nâng cao chất lượng sinh hoạt chi bộ",
]
STATE_SUBJECTS = [
    "Về việc thành lập Tổ bầu cử khu vực bỏ phiếu số 3",
    "Về việc phê duyệt kế hoạch chỉnh trang đô thị năm 2026",
    "Về việc tổ chức tiếp công dân định kỳ",
    "Về việc công bố thủ tục hành chính",
]


def vn_date(day: int, month: int, year: int) -> str:
    month_text = f"{month:02d}" if month <= 2 else str(month)
    return f"ngày {day:02d} tháng {month_text} năm {year}"


entries = []
for i in range(40):
    state = i % 4 == 3
    day, month, year = random.randint(1, 28), random.randint(1, 12), random.choice([2024, 2025, 2026])
    seq = random.randint(1, 120)
    if state:
        superior, body, symbol, place = random.choice(STATE_BODIES)
        name, code = random.choice(STATE_TYPES)
        number = f"{seq:02d}/{code}-{symbol}" if code != "QĐ" else f"{seq}/QĐ-{symbol}"
        subject = random.choice(STATE_SUBJECTS)
    else:
        superior, body, symbol, place = random.choice(PARTY_BODIES)
        name, code = random.choice(PARTY_TYPES)
        number = f"{seq:02d}-{code}/{symbol}"
        subject = random.choice(SUBJECTS)
    entries.append(
        {
            "id": f"h{i + 1:02d}",
            "style": "state" if state else "party",
            "superior_body": superior,
            "issuing_body": body,
            "number": number,
            "doc_type": code,
            "type_name": name,
            "place": place,
            "issue_date": f"{year}-{month:02d}-{day:02d}",
            "date_line": f"{place}, {vn_date(day, month, year)}",
            "subject": subject,
        }
    )
Path(__file__).with_name("headers.json").write_text(json.dumps(entries, ensure_ascii=False, indent=1) + "\n")
