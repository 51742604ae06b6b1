"""A deterministic corpus of realistic Vietnamese Party documents for the benchmarks.

Resolutions, programmes with tables, reports with figures, minutes and plans; about 400
words on average (a few of 50, a few of 5,000); written as a mix of DOCX, PDF and TXT.
Document i depends only on the seed and i, so any size is a prefix of a larger one.

    python bench/corpus.py OUT_DIR N [--seed 2025]
"""

from __future__ import annotations

import argparse
import io
import math
import os
import random
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

TOPICS = [
    "xây dựng lối sống đô thị văn minh",
    "quản lý đất đai, trật tự xây dựng",
    "vệ sinh môi trường",
    "đầu tư kết cấu hạ tầng đồng bộ",
    "chuyển đổi số trong cải cách hành chính",
    "công tác dân vận",
    "phát triển kinh tế tư nhân",
    "an sinh xã hội và giảm nghèo bền vững",
    "bảo vệ chính trị nội bộ",
    "phòng, chống tham nhũng, lãng phí",
    "công tác cán bộ",
    "nâng cao chất lượng sinh hoạt chi bộ",
    "phát triển đảng viên trong trường học",
    "quốc phòng toàn dân",
    "bảo đảm an ninh trật tự",
    "phát triển du lịch văn hóa",
    "chỉnh trang kiệt hẻm",
    "thu ngân sách nhà nước",
    "bầu cử đại biểu Quốc hội và Hội đồng nhân dân",
    "học tập và làm theo tư tưởng Hồ Chí Minh",
    "phòng, chống thiên tai",
    "công tác thanh niên",
    "chăm sóc sức khỏe nhân dân",
    "giáo dục và đào tạo",
]
TYPES = [
    ("NQ", "Nghị quyết", 0.30),
    ("BC", "Báo cáo", 0.22),
    ("CTr", "Chương trình", 0.12),
    ("BB", "Biên bản", 0.12),
    ("KH", "Kế hoạch", 0.14),
    ("TB", "Thông báo", 0.10),
]
UNITS = [
    "Chi bộ Khu vực 1",
    "Chi bộ Khu vực 3",
    "Chi bộ Khu vực 7",
    "Chi bộ Trường Tiểu học An Cựu",
    "Đảng ủy Ủy ban nhân dân phường",
    "Ủy ban Mặt trận Tổ quốc phường",
    "Đoàn Thanh niên phường",
    "Hội Phụ nữ phường",
    "Hội Cựu chiến binh phường",
    "Công an phường",
    "Ban Chỉ huy Quân sự phường",
]
PEOPLE = [
    "Nguyễn Văn Hùng",
    "Trần Thị Hoa",
    "Lê Văn Cường",
    "Phan Văn Đức",
    "Hồ Thị Mai",
    "Võ Văn Nam",
    "Nguyễn Thị Lan",
    "Đặng Văn Minh",
    "Lê Thị Thu",
    "Trương Quang Huy",
]
REFERENCES = ["46-CT/TW", "296-QĐ/TW", "21-NQ/TW", "35-CT/TW", "05-NQ/TU", "12-KL/TW", "57-NQ/TW"]
SENTENCES = [
    "Ban Chấp hành Đảng bộ phường đã lãnh đạo thực hiện {topic} đạt nhiều kết quả quan trọng.",
    "Tổng thu ngân sách trên địa bàn ước đạt {money} tỷ đồng, đạt {pct}% dự toán được giao.",
    "Đã tiếp nhận và giải quyết {count} hồ sơ thủ tục hành chính, {pct}% đúng hạn, 100% được số hóa.",
    "{unit} đã chủ động xây dựng kế hoạch, phân công cán bộ phụ trách từng tổ dân phố.",
    "Triển khai Chỉ thị số {ref} của Bộ Chính trị, Ban Thường vụ Đảng ủy đã ban hành kế hoạch thực hiện.",
    "Công tác {topic} còn một số hạn chế, chưa đáp ứng yêu cầu của nhân dân.",
    "Nguyên nhân chủ yếu là nguồn lực còn hạn chế, sự phối hợp giữa các ngành có lúc chưa chặt chẽ.",
    "Phấn đấu đến năm {year}, {pct}% tổ dân phố đạt danh hiệu tổ dân phố văn hóa.",
    "Đồng chí {person} đề nghị bổ sung nội dung về {topic} vào chương trình công tác năm {year}.",
    "Hội nghị thống nhất giao {unit} chủ trì, phối hợp các đơn vị liên quan tổ chức thực hiện.",
    "Kiểm tra, giám sát việc thực hiện nghị quyết ở {count} chi bộ trực thuộc, kịp thời chấn chỉnh thiếu sót.",
    "Đã kết nạp {small} đảng viên mới, nâng tổng số đảng viên toàn Đảng bộ lên {count} đồng chí.",
    "Tình hình an ninh chính trị, trật tự an toàn xã hội trên địa bàn ổn định, không để xảy ra điểm nóng.",
    "Cấp ủy các cấp thường xuyên quán triệt, tuyên truyền để cán bộ, đảng viên và nhân dân đồng thuận.",
    "Vận động nhân dân hiến {small} m² đất để mở rộng kiệt, hẻm với tổng kinh phí {money} tỷ đồng.",
    "Thực hiện Quy định số {ref}, Ủy ban Kiểm tra Đảng ủy đã giám sát chuyên đề {small} tổ chức đảng.",
    "Ở các khu dân cư, phong trào {topic} được duy trì và lan tỏa rộng khắp.",
    "Các đồng chí cấp ủy viên nêu cao tinh thần trách nhiệm, gương mẫu đi đầu trong {topic}.",
]
# What each topic's documents say that others do not (nouns a member would search for).
TOPIC_TERMS = {
    "xây dựng lối sống đô thị văn minh": [
        "nếp sống văn minh",
        "ứng xử nơi công cộng",
        "tổ dân phố văn hóa",
        "việc cưới, việc tang",
    ],
    "quản lý đất đai, trật tự xây dựng": [
        "giấy chứng nhận quyền sử dụng đất",
        "xây dựng không phép",
        "lấn chiếm đất công",
        "quy hoạch sử dụng đất",
    ],
    "vệ sinh môi trường": [
        "phân loại rác tại nguồn",
        "điểm tập kết rác",
        "nước thải sinh hoạt",
        "cây xanh đô thị",
    ],
    "đầu tư kết cấu hạ tầng đồng bộ": [
        "bê tông hóa kiệt hẻm",
        "hệ thống thoát nước",
        "chiếu sáng công cộng",
        "vốn đầu tư công",
    ],
    "chuyển đổi số trong cải cách hành chính": [
        "dịch vụ công trực tuyến",
        "định danh điện tử",
        "thanh toán không dùng tiền mặt",
        "hồ sơ số hóa",
    ],
    "công tác dân vận": [
        "dân vận khéo",
        "đối thoại với nhân dân",
        "quy chế dân chủ ở cơ sở",
        "tiếp xúc cử tri",
    ],
    "phát triển kinh tế tư nhân": [
        "hộ kinh doanh cá thể",
        "đăng ký doanh nghiệp",
        "vốn vay ưu đãi",
        "chợ truyền thống",
    ],
    "an sinh xã hội và giảm nghèo bền vững": [
        "hộ cận nghèo",
        "nhà tình nghĩa",
        "bảo hiểm y tế",
        "trợ cấp xã hội",
    ],
    "bảo vệ chính trị nội bộ": [
        "lịch sử chính trị",
        "thẩm tra lý lịch",
        "bảo mật thông tin",
        "quan điểm sai trái",
    ],
    "phòng, chống tham nhũng, lãng phí": [
        "kê khai tài sản",
        "xung đột lợi ích",
        "thực hành tiết kiệm",
        "tiếp công dân",
    ],
    "công tác cán bộ": [
        "quy hoạch cán bộ",
        "luân chuyển cán bộ",
        "đánh giá, xếp loại",
        "bồi dưỡng lý luận chính trị",
    ],
    "nâng cao chất lượng sinh hoạt chi bộ": [
        "sinh hoạt chuyên đề",
        "tự phê bình và phê bình",
        "nghị quyết chi bộ",
        "đảng viên dự bị",
    ],
    "phát triển đảng viên trong trường học": [
        "quần chúng ưu tú",
        "giáo viên trẻ",
        "lớp nhận thức về Đảng",
        "kết nạp đảng viên",
    ],
    "quốc phòng toàn dân": [
        "dân quân tự vệ",
        "tuyển quân",
        "diễn tập khu vực phòng thủ",
        "giáo dục quốc phòng",
    ],
    "bảo đảm an ninh trật tự": [
        "tội phạm ma túy",
        "an toàn giao thông",
        "camera an ninh",
        "tổ bảo vệ an ninh",
    ],
    "phát triển du lịch văn hóa": ["di tích lịch sử", "lễ hội truyền thống", "homestay", "ẩm thực Huế"],
    "chỉnh trang kiệt hẻm": ["mở rộng kiệt", "hiến đất", "vỉa hè", "biển tên kiệt"],
    "thu ngân sách nhà nước": ["dự toán thu", "thuế hộ kinh doanh", "nợ đọng thuế", "phí, lệ phí"],
    "bầu cử đại biểu Quốc hội và Hội đồng nhân dân": [
        "danh sách cử tri",
        "tổ bầu cử",
        "khu vực bỏ phiếu",
        "hiệp thương",
    ],
    "học tập và làm theo tư tưởng Hồ Chí Minh": [
        "tấm gương đạo đức",
        "điển hình tiên tiến",
        "chuyên đề toàn khóa",
        "nêu gương",
    ],
    "phòng, chống thiên tai": ["mùa mưa bão", "sơ tán dân", "ngập lụt", "phương án bốn tại chỗ"],
    "công tác thanh niên": ["đoàn viên", "thanh niên tình nguyện", "khởi nghiệp", "mùa hè xanh"],
    "chăm sóc sức khỏe nhân dân": ["trạm y tế", "tiêm chủng", "sốt xuất huyết", "khám sức khỏe định kỳ"],
    "giáo dục và đào tạo": ["trường chuẩn quốc gia", "học sinh giỏi", "khuyến học", "phổ cập giáo dục"],
}
TOPIC_SENTENCES = [
    "Về {term}, {unit} đã triển khai nhiều giải pháp cụ thể, tạo chuyển biến rõ nét.",
    "Kết quả {term} năm {year} đạt {pct}% so với kế hoạch đề ra.",
    "Còn {small} trường hợp vi phạm liên quan đến {term} chưa được xử lý dứt điểm.",
    "Đề nghị Ban Thường vụ Đảng ủy tiếp tục chỉ đạo {term} trong thời gian tới.",
    "Đồng chí {person} báo cáo tiến độ {term} tại {unit}.",
    "Phấn đấu hoàn thành chỉ tiêu {term} trước quý {quarter} năm {year}.",
]
HEADINGS = [
    "I- TÌNH HÌNH VÀ KẾT QUẢ",
    "II- HẠN CHẾ, NGUYÊN NHÂN",
    "III- MỤC TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP",
    "IV- TỔ CHỨC THỰC HIỆN",
]


# Documents from this one on are text files only (the 100,000 point), so generating and reading
# them stays quick; the first 20,000 keep their mix of formats.
TEXT_ONLY_FROM = 20_000


def _length(rng: random.Random) -> int:
    """Words: log-normal around 320, so the mean is about 400, bounded to 50..5,000."""
    return max(50, min(5000, int(rng.lognormvariate(math.log(320), 0.72))))


def _fill(rng: random.Random, sentence: str, topic: str) -> str:
    # A document keeps to its topic; now and then it touches another one.
    own = topic if rng.random() < 0.85 else rng.choice(TOPICS)
    return sentence.format(
        topic=own,
        term=rng.choice(TOPIC_TERMS[own]),
        quarter=rng.choice(["I", "II", "III", "IV"]),
        unit=rng.choice(UNITS),
        person=rng.choice(PEOPLE),
        ref=rng.choice(REFERENCES),
        money=f"{rng.randint(5, 400)},{rng.randint(10, 99)}",
        count=f"{rng.randint(1, 9)}.{rng.randint(100, 999)}",
        pct=rng.randint(60, 100),
        year=rng.randint(2025, 2030),
        small=rng.randint(2, 60),
    )


def document(i: int, seed: int = 2025) -> dict:
    """Document i of the corpus: type, title, paragraphs and (for programmes) table rows."""
    rng = random.Random(seed * 1_000_003 + i)
    code, name = rng.choices([(c, n) for c, n, _ in TYPES], weights=[w for *_, w in TYPES])[0]
    topic = rng.choice(TOPICS)
    year = rng.randint(2020, 2026)
    title = {
        "NQ": f"Nghị quyết về {topic}",
        "BC": f"Báo cáo kết quả {topic} năm {year}",
        "CTr": f"Chương trình kiểm tra, giám sát về {topic} năm {year}",
        "BB": f"Biên bản hội nghị Ban Chấp hành Đảng bộ phường về {topic}",
        "KH": f"Kế hoạch thực hiện {topic} giai đoạn {year} - {year + 5}",
        "TB": f"Thông báo kết luận của Ban Thường vụ Đảng ủy về {topic}",
    }[code]
    words = _length(rng)
    paragraphs, count, heading = [title.upper()], 0, 0
    while count < words:
        if count >= heading * words / len(HEADINGS) and heading < len(HEADINGS):
            paragraphs.append(HEADINGS[heading])
            heading += 1
        bank = TOPIC_SENTENCES if rng.random() < 0.6 else SENTENCES
        text = " ".join(_fill(rng, rng.choice(bank), topic) for _ in range(rng.randint(1, 4)))
        paragraphs.append(text)
        count += len(text.split())
    rows = []
    if code in ("CTr", "KH"):
        rows = [
            [
                rng.choice(UNITS),
                f"Kiểm tra việc thực hiện {rng.choice(TOPICS)}",
                f"Quý {rng.choice(['I', 'II', 'III', 'IV'])}/{year}",
                "Ban Thường vụ Đảng ủy",
            ]
            for _ in range(rng.randint(3, 12))
        ]
    kind = rng.choices(["docx", "pdf", "txt"], weights=[0.45, 0.2, 0.35])[0]
    if i >= TEXT_ONLY_FROM:  # the large sizes: text files, quick to write and to read
        kind = "txt"
    return {
        "i": i,
        "code": code,
        "type_name": name,
        "title": title,
        "paragraphs": paragraphs,
        "rows": rows,
        "kind": kind,
        "words": count,
    }


def filename(doc: dict) -> str:
    return f"{doc['code']}-{doc['i']:06d}.{doc['kind']}"


def render(doc: dict) -> bytes:
    if doc["kind"] == "txt":
        lines = list(doc["paragraphs"]) + ["\t".join(row) for row in doc["rows"]]
        return "\n".join(lines).encode()
    if doc["kind"] == "docx":
        from docx import Document

        out = Document()
        for text in doc["paragraphs"]:
            out.add_paragraph(text)
        if doc["rows"]:
            table = out.add_table(rows=len(doc["rows"]), cols=4)
            for r, row in enumerate(doc["rows"]):
                for c, text in enumerate(row):
                    table.cell(r, c).text = text
        buffer = io.BytesIO()
        out.save(buffer)
        return buffer.getvalue()
    return _pdf(doc)


FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
]


def _font() -> str:
    for path in FONT_CANDIDATES:
        if os.path.exists(path):
            return path
    raise SystemExit("Cần một phông Unicode (apt-get install fonts-dejavu-core) để tạo PDF tiếng Việt.")


def _pdf(doc: dict) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_compression(True)
    pdf.add_font("Serif", fname=_font())
    pdf.set_font("Serif", size=12)
    pdf.add_page()
    for text in doc["paragraphs"] + [" | ".join(row) for row in doc["rows"]]:
        pdf.multi_cell(0, 6, text)
        pdf.ln(1)
    return bytes(pdf.output())


def _write(args: tuple[int, int, str]) -> int:
    i, seed, out = args
    doc = document(i, seed)
    path = Path(out) / filename(doc)
    if not path.exists():
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_bytes(render(doc))
        tmp.replace(path)
    return i


def generate(out: Path, n: int, seed: int = 2025, workers: int | None = None, progress=None) -> list[Path]:
    """Write documents 0..n-1 into `out` (those already there are kept); return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    jobs = [(i, seed, str(out)) for i in range(n)]
    with ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        for done, _ in enumerate(pool.map(_write, jobs, chunksize=64), start=1):
            if progress and (done % 1000 == 0 or done == n):
                progress(done, n)
    return [out / filename(document(i, seed)) for i in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    generate(
        args.out, args.n, args.seed, progress=lambda d, n: print(f"Tạo kho thử: {d}/{n}", file=sys.stderr)
    )


if __name__ == "__main__":
    main()
