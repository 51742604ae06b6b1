"""The demo conference's documents as drafting-template fields: the second (expanded)
conference of the ward Party Executive Committee, term 2025-2030. The loader fills the built-in
templates with them, exactly as a clerk would.
"""

MEETING = "Hội nghị lần thứ hai (mở rộng) Ban Chấp hành Đảng bộ phường khóa I, nhiệm kỳ 2025 - 2030"
DATE = "2025-11-05"
SIGNATURE = {
    "signature_authority": "T/M ĐẢNG ỦY",
    "signer_title": "BÍ THƯ",
    "signer_name": "Nguyễn Văn Hùng",
}
RECIPIENTS = "- Ban Thường vụ Thành ủy (b/c),\n- Các chi, đảng bộ trực thuộc,\n- Lưu Văn phòng Đảng ủy."


def opening(topic: str) -> str:
    """Each resolution opens on its own subject: who met, when, and what they discussed."""
    return (
        "Ngày 05 tháng 11 năm 2025, Ban Chấp hành Đảng bộ phường An Cựu khóa I, nhiệm kỳ 2025 - 2030 "
        f"tổ chức Hội nghị lần thứ hai (mở rộng), thảo luận, biểu quyết thông qua Nghị quyết {topic}."
    )


def closing(lead: str) -> str:
    """Each resolution closes by saying who spreads it and who leads its implementation."""
    return (
        "Nghị quyết này được phổ biến đến các chi bộ, đảng bộ trực thuộc và cán bộ, đảng viên; "
        f"{lead} Ban Thường vụ Đảng ủy lãnh đạo, chỉ đạo, kiểm tra việc thực hiện và định kỳ báo cáo "
        "Ban Chấp hành Đảng bộ phường."
    )


REPORT = {
    "template": "report",
    "title": "Báo cáo kết quả lãnh đạo thực hiện nhiệm vụ chính trị từ đầu nhiệm kỳ và phương hướng, nhiệm vụ đến cuối năm 2025",
    "summary": "Kết quả thu ngân sách, cải cách hành chính, chuyển đổi số, văn hóa - xã hội, quốc phòng - an ninh và công tác xây dựng Đảng của phường An Cựu; nhiệm vụ trọng tâm những tháng cuối năm.",
    "fields": {
        "date": DATE,
        "subject": "kết quả lãnh đạo thực hiện nhiệm vụ chính trị từ đầu nhiệm kỳ và phương hướng, nhiệm vụ đến cuối năm 2025",
        "body": "Thực hiện Nghị quyết Đại hội đại biểu Đảng bộ phường lần thứ I, nhiệm kỳ 2025 - 2030, Ban Chấp hành Đảng bộ phường báo cáo kết quả lãnh đạo thực hiện nhiệm vụ chính trị như sau:\nI- KẾT QUẢ ĐẠT ĐƯỢC\n1. Về phát triển kinh tế, thu ngân sách\nTổng thu ngân sách trên địa bàn đến ngày 31 tháng 10 năm 2025 ước đạt 181,55 tỷ đồng, bằng 86,4% dự toán năm. Hoàn thành hơn 225 hồ sơ đăng ký kinh doanh, tạo điều kiện cho hộ kinh doanh và doanh nghiệp nhỏ phát triển dịch vụ, thương mại dọc các tuyến phố chính.\n2. Về cải cách hành chính và chuyển đổi số\nTrung tâm phục vụ hành chính công phường đã tiếp nhận và giải quyết 4.817 hồ sơ thủ tục hành chính, trong đó 97% hồ sơ giải quyết đúng hạn, 100% hồ sơ được số hóa. Việc vận hành chính quyền hai cấp từ ngày 01 tháng 7 năm 2025 bảo đảm thông suốt, không để gián đoạn phục vụ người dân.\n3. Về văn hóa - xã hội\nPhong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa” tiếp tục được Nhân dân hưởng ứng; công tác an sinh xã hội, chăm lo gia đình chính sách, hộ nghèo được thực hiện kịp thời, đúng đối tượng.\n4. Về quốc phòng - an ninh\nTình hình an ninh chính trị, trật tự an toàn xã hội ổn định; xây dựng lực lượng dân quân tự vệ và lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở vững mạnh; chuẩn bị chu đáo công tác tuyển chọn, gọi công dân nhập ngũ năm 2026.\n5. Về công tác xây dựng Đảng và hệ thống chính trị\nKiện toàn tổ chức bộ máy sau sắp xếp; ban hành quy chế làm việc của Ban Chấp hành, Ban Thường vụ Đảng ủy; quán triệt Chỉ thị số 46-CT/TW của Bộ Chính trị về lãnh đạo cuộc bầu cử đại biểu Quốc hội khóa XVI và đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2026 - 2031 (ngày bầu cử 15 tháng 3 năm 2026).\nII- HẠN CHẾ, NGUYÊN NHÂN\n- Công tác quản lý đất đai, trật tự xây dựng ở một số tổ dân phố còn để xảy ra vi phạm.\n- Hạ tầng giao thông, thoát nước tại một số kiệt, hẻm chưa đồng bộ, chậm được đầu tư.\n- Nguyên nhân chủ yếu là nguồn lực còn hạn chế, sự phối hợp giữa các ngành có lúc chưa chặt chẽ.\nIII- PHƯƠNG HƯỚNG, NHIỆM VỤ ĐẾN CUỐI NĂM 2025\n1. Tập trung thu 13,6% dự toán còn lại để hoàn thành dự toán thu ngân sách năm 2025; đẩy mạnh chuyển đổi số trong giải quyết thủ tục hành chính.\n2. Triển khai các nghị quyết chuyên đề được Hội nghị thông qua; lãnh đạo công tác chuẩn bị bầu cử trong quý IV năm 2025: thành lập các tổ chức phụ trách bầu cử, hiệp thương giới thiệu người ứng cử, lập danh sách cử tri, bảo đảm cuộc bầu cử ngày 15 tháng 3 năm 2026 thành công.\n3. Nâng cao chất lượng sinh hoạt chi bộ; làm tốt công tác kiểm tra, giám sát theo chương trình toàn khóa.",
        "recipients": RECIPIENTS,
        **SIGNATURE,
        "signature_authority": "T/M BAN THƯỜNG VỤ",  # the standing committee reports to the conference
    },
}

WORK_PROGRAMME = {
    "template": "work-programme",
    "title": "Chương trình làm việc toàn khóa của Ban Chấp hành Đảng bộ phường khóa I, nhiệm kỳ 2025 - 2030",
    "summary": "Nội dung Ban Chấp hành, Ban Thường vụ Đảng ủy cho ý kiến, thông qua theo từng năm, cơ quan chuẩn bị, cơ quan phối hợp và thời gian thực hiện.",
    "fields": {
        "date": DATE,
        "subject": "làm việc toàn khóa của Ban Chấp hành Đảng bộ phường khóa I, nhiệm kỳ 2025 - 2030",
        "legal_bases": "Căn cứ Điều lệ Đảng; Quy chế làm việc của Ban Chấp hành Đảng bộ phường khóa I, nhiệm kỳ 2025 - 2030; Nghị quyết Đại hội đại biểu Đảng bộ phường lần thứ I, Ban Chấp hành Đảng bộ phường xây dựng Chương trình làm việc toàn khóa như sau:",
        "purpose": "1. Cụ thể hóa Nghị quyết Đại hội thành các nội dung lãnh đạo, chỉ đạo theo từng năm, từng quý.\n2. Bảo đảm tính khả thi, đúng quy chế làm việc; phân công rõ cơ quan chuẩn bị, thời gian hoàn thành.",
        "items": [
            {
                "conference": "Lần thứ hai, tháng 11/2025",
                "content": "Chương trình làm việc toàn khóa; chương trình kiểm tra, giám sát toàn khóa; các nghị quyết chuyên đề giai đoạn 2025 - 2030",
                "preparing": "Văn phòng Đảng ủy",
                "coordinating": "Ủy ban Kiểm tra Đảng ủy",
                "time": "Quý IV/2025",
            },
            {
                "conference": "Lần thứ ba, tháng 12/2025",
                "content": "Nghị quyết lãnh đạo thực hiện nhiệm vụ năm 2026; lãnh đạo cuộc bầu cử đại biểu Quốc hội khóa XVI và đại biểu Hội đồng nhân dân các cấp (ngày bầu cử 15/3/2026)",
                "preparing": "Văn phòng Đảng ủy",
                "coordinating": "Đảng ủy Ủy ban nhân dân phường; Ủy ban Mặt trận Tổ quốc phường",
                "time": "Quý IV/2025",
            },
            {
                "conference": "Giữa năm và cuối năm, 2026 - 2029",
                "content": "Sơ kết 6 tháng, tổng kết năm; nghị quyết lãnh đạo nhiệm vụ năm sau",
                "preparing": "Văn phòng Đảng ủy",
                "coordinating": "Các chi, đảng bộ trực thuộc",
                "time": "Tháng 7 và tháng 12 hằng năm",
            },
            {
                "conference": "Giữa nhiệm kỳ",
                "content": "Sơ kết giữa nhiệm kỳ thực hiện Nghị quyết Đại hội đại biểu Đảng bộ phường lần thứ I; bổ sung nhiệm vụ, giải pháp nửa cuối nhiệm kỳ",
                "preparing": "Văn phòng Đảng ủy",
                "coordinating": "Ban Xây dựng Đảng Đảng ủy; Đảng ủy Ủy ban nhân dân phường",
                "time": "Quý IV/2027",
            },
            {
                "conference": "Năm 2029",
                "content": "Kế hoạch tổ chức đại hội chi bộ, đảng bộ trực thuộc và Đại hội đại biểu Đảng bộ phường lần thứ II, nhiệm kỳ 2030 - 2035; chuẩn bị văn kiện, nhân sự",
                "preparing": "Ban Thường vụ Đảng ủy",
                "coordinating": "Văn phòng Đảng ủy; Ủy ban Kiểm tra Đảng ủy",
                "time": "Quý III - IV/2029",
            },
            {
                "conference": "Năm 2030",
                "content": "Tổng kết nhiệm kỳ 2025 - 2030; thông qua dự thảo văn kiện trình Đại hội lần thứ II",
                "preparing": "Ban Thường vụ Đảng ủy",
                "coordinating": "Các chi, đảng bộ trực thuộc",
                "time": "Quý I - II/2030",
            },
        ],
        "implementation": "1. Văn phòng Đảng ủy theo dõi, đôn đốc việc chuẩn bị các nội dung; báo cáo Ban Thường vụ trước mỗi hội nghị.\n2. Các cơ quan được phân công chủ động chuẩn bị, gửi dự thảo trước hội nghị ít nhất 05 ngày làm việc.",
        "recipients": RECIPIENTS,
        **SIGNATURE,
    },
}

INSPECTION_PROGRAMME = {
    "template": "inspection-programme",
    "title": "Chương trình kiểm tra, giám sát toàn khóa của Ban Chấp hành Đảng bộ phường khóa I, nhiệm kỳ 2025 - 2030",
    "summary": "Kiểm tra, giám sát chuyên đề của Ban Chấp hành, Ban Thường vụ và Ủy ban Kiểm tra Đảng ủy theo Quy định số 296-QĐ/TW ngày 30 tháng 5 năm 2025.",
    "fields": {
        "date": DATE,
        "subject": "kiểm tra, giám sát toàn khóa của Ban Chấp hành Đảng bộ phường khóa I, nhiệm kỳ 2025 - 2030",
        "legal_bases": "Căn cứ Điều lệ Đảng (Chương VII, Chương VIII); Quy định số 296-QĐ/TW ngày 30 tháng 5 năm 2025 của Ban Chấp hành Trung ương về công tác kiểm tra, giám sát và kỷ luật của Đảng, Ban Chấp hành Đảng bộ phường xây dựng Chương trình kiểm tra, giám sát toàn khóa như sau:",
        "committee_inspections": [
            {
                "subject": "Chi bộ Khu vực 3",
                "content": "Thực hiện nguyên tắc tập trung dân chủ, quy chế làm việc",
                "time": "Quý II/2026",
                "performer": "Ban Thường vụ Đảng ủy",
            },
            {
                "subject": "Đảng ủy Ủy ban nhân dân phường",
                "content": "Lãnh đạo công tác quản lý đất đai, trật tự xây dựng",
                "time": "Quý IV/2026",
                "performer": "Ban Thường vụ Đảng ủy",
            },
        ],
        "committee_supervisions": [
            {
                "subject": "Các chi bộ khu vực",
                "content": "Lãnh đạo thực hiện Chỉ thị số 46-CT/TW về bầu cử",
                "time": "Quý I/2026",
                "performer": "Ban Thường vụ Đảng ủy",
            },
            {
                "subject": "Chi bộ Trường Tiểu học An Cựu",
                "content": "Việc giữ gìn phẩm chất, đạo đức, lối sống của đảng viên",
                "time": "Quý III/2027",
                "performer": "Ban Chấp hành Đảng bộ",
            },
        ],
        "commission_inspections": [
            {
                "subject": "Các chi bộ trực thuộc",
                "content": "Thực hiện nhiệm vụ kiểm tra, giám sát và thi hành kỷ luật trong Đảng",
                "time": "Hằng năm, ít nhất 02 tổ chức đảng",
                "performer": "Ủy ban Kiểm tra Đảng ủy",
            },
            {
                "subject": "Các chi bộ trực thuộc",
                "content": "Thu, nộp, quản lý và sử dụng đảng phí",
                "time": "Quý IV hằng năm",
                "performer": "Ủy ban Kiểm tra Đảng ủy",
            },
        ],
        "commission_supervisions": [
            {
                "subject": "Đảng viên thuộc diện kê khai",
                "content": "Kê khai tài sản, thu nhập",
                "time": "Quý I/2026",
                "performer": "Ủy ban Kiểm tra Đảng ủy",
            }
        ],
        "implementation": "Ủy ban Kiểm tra Đảng ủy tham mưu Ban Thường vụ cụ thể hóa chương trình thành kế hoạch hằng năm; các chi bộ, đảng bộ trực thuộc xây dựng chương trình kiểm tra, giám sát của cấp mình.",
        "recipients": RECIPIENTS,
        **SIGNATURE,
    },
}

RESOLUTION_LIFESTYLE = {
    "template": "resolution",
    "title": "Nghị quyết về xây dựng lối sống đô thị văn minh trên địa bàn phường An Cựu, giai đoạn 2025 - 2030",
    "summary": "Mục tiêu, nhiệm vụ, giải pháp xây dựng nếp sống văn minh, trật tự đô thị, ứng xử văn hóa nơi công cộng ở các tổ dân phố.",
    "fields": {
        "date": DATE,
        "meeting": MEETING,
        "subject": "về xây dựng lối sống đô thị văn minh, giai đoạn 2025 - 2030",
        "opening": opening("về xây dựng lối sống đô thị văn minh trên địa bàn phường, giai đoạn 2025 - 2030"),
        "body": "I- TÌNH HÌNH VÀ KẾT QUẢ\nNhững năm qua, phong trào xây dựng tổ dân phố văn hóa, gia đình văn hóa được Nhân dân đồng tình hưởng ứng; nhiều tuyến phố sáng - xanh - sạch - đẹp được hình thành.\nII- HẠN CHẾ, NGUYÊN NHÂN\nTình trạng lấn chiếm vỉa hè, xả rác không đúng nơi quy định, tổ chức việc cưới, việc tang chưa văn minh ở một số nơi vẫn còn diễn ra.\nIII- MỤC TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP\n1. Mục tiêu: đến năm 2030, 100% tổ dân phố đạt danh hiệu tổ dân phố văn hóa; không còn điểm tập kết rác tự phát.\n2. Nhiệm vụ, giải pháp:\na) Tăng cường tuyên truyền, vận động Nhân dân thực hiện quy ước ứng xử nơi công cộng.\nb) Phát huy vai trò của Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội ở cơ sở.\n- Mỗi chi bộ khu vực đăng ký ít nhất một mô hình tự quản về văn minh đô thị.\nIV- TỔ CHỨC THỰC HIỆN\n1. Đảng ủy Ủy ban nhân dân phường lãnh đạo xây dựng kế hoạch thực hiện trong quý I/2026.\n2. Ủy ban Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội phường tuyên truyền, vận động và giám sát việc thực hiện.\n"
        + closing("Văn phòng Đảng ủy theo dõi, tổng hợp kết quả hằng năm."),
        "recipients": RECIPIENTS,
        **SIGNATURE,
    },
}

RESOLUTION_INFRASTRUCTURE = {
    "template": "resolution",
    "title": "Nghị quyết về đầu tư xây dựng kết cấu hạ tầng đồng bộ, từng bước hiện đại, giai đoạn 2025 - 2030",
    "summary": "Chỉnh trang kiệt, hẻm, hệ thống thoát nước, chiếu sáng công cộng và huy động nguồn lực xã hội hóa.",
    "fields": {
        "date": DATE,
        "meeting": MEETING,
        "subject": "về đầu tư xây dựng kết cấu hạ tầng đồng bộ, từng bước hiện đại, giai đoạn 2025 - 2030",
        "opening": opening(
            "về đầu tư xây dựng kết cấu hạ tầng đồng bộ, từng bước hiện đại, giai đoạn 2025 - 2030"
        ),
        "body": "I- TÌNH HÌNH VÀ KẾT QUẢ\nHạ tầng giao thông chính trên địa bàn cơ bản được đầu tư; hệ thống chiếu sáng công cộng phủ khắp các tuyến đường chính.\nII- HẠN CHẾ, NGUYÊN NHÂN\nNhiều kiệt, hẻm nhỏ hẹp, ngập úng cục bộ khi mưa lớn; nguồn vốn đầu tư công còn hạn chế.\nIII- MỤC TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP\n1. Đến năm 2030, bê tông hóa 100% kiệt, hẻm; xử lý dứt điểm các điểm ngập úng.\n2. Huy động nguồn lực theo phương châm “Nhà nước và Nhân dân cùng làm”, công khai, minh bạch việc đóng góp.\nIV- TỔ CHỨC THỰC HIỆN\nĐảng ủy Ủy ban nhân dân phường lãnh đạo xây dựng danh mục công trình ưu tiên theo từng năm, báo cáo Ban Thường vụ Đảng ủy trước ngày 31 tháng 12 hằng năm.\n"
        + closing(
            "Ủy ban Mặt trận Tổ quốc phường giám sát việc huy động và sử dụng nguồn lực đóng góp của Nhân dân."
        ),
        "recipients": RECIPIENTS,
        **SIGNATURE,
    },
}

RESOLUTION_LAND = {
    "template": "resolution",
    "title": "Nghị quyết về tăng cường công tác quản lý đất đai, trật tự xây dựng và vệ sinh môi trường, giai đoạn 2025 - 2030",
    "summary": "Lãnh đạo quản lý đất đai, xử lý vi phạm trật tự xây dựng, thu gom, xử lý rác thải và bảo vệ môi trường trên địa bàn phường.",
    "fields": {
        "date": DATE,
        "meeting": MEETING,
        "subject": "về tăng cường công tác quản lý đất đai, trật tự xây dựng và vệ sinh môi trường, giai đoạn 2025 - 2030",
        "opening": opening(
            "về tăng cường công tác quản lý đất đai, trật tự xây dựng và vệ sinh môi trường, giai đoạn 2025 - 2030"
        ),
        "body": "I- TÌNH HÌNH VÀ KẾT QUẢ\nCông tác quản lý đất đai từng bước đi vào nề nếp; việc cấp giấy chứng nhận quyền sử dụng đất được đẩy nhanh.\nII- HẠN CHẾ, NGUYÊN NHÂN\nVẫn còn trường hợp xây dựng không phép, sai phép; một số điểm tập kết rác gây ô nhiễm.\nIII- MỤC TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP\n1. Phát hiện, ngăn chặn và xử lý kịp thời 100% trường hợp vi phạm trật tự xây dựng.\n2. Tăng cường kiểm tra việc sử dụng đất công, đất lấn chiếm.\nIV- TỔ CHỨC THỰC HIỆN\nĐảng ủy Ủy ban nhân dân phường lãnh đạo xây dựng kế hoạch thực hiện Nghị quyết.\n"
        + closing("Ủy ban Kiểm tra Đảng ủy giám sát việc thực hiện hằng năm."),
        "recipients": RECIPIENTS,
        **SIGNATURE,
    },
}

# The second draft of the land resolution: what the conference's discussion changed.
RESOLUTION_LAND_REVISED_BODY = (
    "I- TÌNH HÌNH VÀ KẾT QUẢ\nCông tác quản lý đất đai từng bước đi vào nề nếp; việc cấp giấy chứng nhận quyền sử dụng đất được đẩy nhanh, đúng quy định.\nII- HẠN CHẾ, NGUYÊN NHÂN\nVẫn còn trường hợp xây dựng không phép, sai phép ở các tổ dân phố ven sông; một số điểm tập kết rác tự phát gây ô nhiễm môi trường.\nIII- MỤC TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP\n1. Phát hiện, ngăn chặn và xử lý kịp thời 100% trường hợp vi phạm trật tự xây dựng ngay từ khi phát sinh.\n2. Tăng cường kiểm tra việc sử dụng đất công, đất lấn chiếm; công khai kết quả xử lý.\n3. Xóa bỏ các điểm tập kết rác tự phát; 100% hộ gia đình phân loại rác tại nguồn vào năm 2027.\nIV- TỔ CHỨC THỰC HIỆN\nĐảng ủy Ủy ban nhân dân phường lãnh đạo xây dựng kế hoạch thực hiện Nghị quyết, phân công rõ trách nhiệm của từng tổ dân phố.\n"
    + closing("Ủy ban Kiểm tra Đảng ủy giám sát việc thực hiện hằng năm.")
)

CONFERENCE = {
    "body": "executive",
    "ordinal": 2,
    "expanded": True,
    "date": DATE,
    "start_time": "08:00",
    "end_time": "11:30",
    "place": "Hội trường Đảng ủy phường An Cựu",
    "chair_name": "Nguyễn Văn Hùng",
    "chair_position": "Bí thư Đảng ủy phường",
    "secretary_name": "Trần Thị Hoa",
    "secretary_position": "Chánh Văn phòng Đảng ủy",
    "total_members": 15,
    "guests": "Bí thư các chi bộ, đảng bộ trực thuộc; Trưởng các ban, ngành, đoàn thể phường",
}
ATTENDANCE = {"present": 14, "absent": [{"name": "Lê Văn Cường", "reason": "đi công tác"}]}

# Who presents, with their positions (the minutes name them so).
POSITIONS = {
    "Nguyễn Văn Hùng": "Bí thư Đảng ủy phường",
    "Trần Thị Hoa": "Chánh Văn phòng Đảng ủy",
    "Võ Văn Nam": "Chủ nhiệm Ủy ban Kiểm tra Đảng ủy",
    "Nguyễn Thị Lan": "Trưởng Ban Xây dựng Đảng Đảng ủy phường",
    "Đặng Văn Minh": "Phó Bí thư Đảng ủy, Chủ tịch Ủy ban nhân dân phường",
}

# (document key in the loader, presenter, discussion, votes in favour / against / abstaining)
AGENDA = [
    (
        "report",
        "Nguyễn Văn Hùng",
        "Đồng chí Phan Văn Đức đề nghị làm rõ nguyên nhân vi phạm trật tự xây dựng.",
        (14, 0, 0),
    ),
    (
        "work",
        "Trần Thị Hoa",
        "Đồng chí Hồ Thị Mai đề nghị bổ sung tiến độ chuẩn bị sơ kết giữa nhiệm kỳ.",
        (14, 0, 0),
    ),
    (
        "inspection",
        "Võ Văn Nam",
        "Hội nghị thống nhất kiểm tra Đảng ủy Ủy ban nhân dân phường vào quý IV/2026.",
        (14, 0, 0),
    ),
    (
        "lifestyle",
        "Nguyễn Thị Lan",
        "Các đồng chí thống nhất mục tiêu 100% tổ dân phố văn hóa đến năm 2030.",
        (14, 0, 0),
    ),
    (
        "infrastructure",
        "Đặng Văn Minh",
        "Đồng chí Lê Thị Thu đề nghị ưu tiên các kiệt ngập úng khi mưa lớn.",
        (13, 1, 0),
    ),
    (
        "land",
        "Đặng Văn Minh",
        "Đồng chí Phan Văn Đức đề nghị bổ sung chỉ tiêu phân loại rác tại nguồn.",
        (14, 0, 0),
    ),
]

PLAN_46 = {
    "title": "Kế hoạch lãnh đạo cuộc bầu cử đại biểu Quốc hội khóa XVI và đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2026 - 2031 (thực hiện Chỉ thị số 46-CT/TW)",
    "paragraphs": [
        "KẾ HOẠCH",
        "lãnh đạo cuộc bầu cử đại biểu Quốc hội khóa XVI và đại biểu Hội đồng nhân dân các cấp "
        "nhiệm kỳ 2026 - 2031 trên địa bàn phường",
        "Thực hiện Chỉ thị số 46-CT/TW của Bộ Chính trị về lãnh đạo cuộc bầu cử đại biểu Quốc hội "
        "khóa XVI và đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2026 - 2031, Ban Thường vụ Đảng ủy "
        "phường xây dựng Kế hoạch lãnh đạo như sau:",
        "I- MỤC ĐÍCH, YÊU CẦU",
        "Bảo đảm sự lãnh đạo toàn diện của Đảng ủy đối với cuộc bầu cử; phát huy quyền làm chủ của "
        "Nhân dân; cuộc bầu cử ngày 15 tháng 3 năm 2026 diễn ra dân chủ, đúng pháp luật, an toàn, tiết kiệm.",
        "II- NỘI DUNG LÃNH ĐẠO",
        "1. Lãnh đạo Hội đồng nhân dân, Ủy ban nhân dân phường thành lập các tổ chức phụ trách bầu cử "
        "ở địa phương đúng thành phần, thời hạn luật định (quý IV/2025).",
        "2. Lãnh đạo Ủy ban Mặt trận Tổ quốc phường tổ chức các hội nghị hiệp thương, giới thiệu người "
        "ứng cử bảo đảm cơ cấu, thành phần, chất lượng.",
        "3. Chỉ đạo công tác tuyên truyền về cuộc bầu cử đến từng tổ dân phố; lập, niêm yết danh sách "
        "cử tri đúng quy định.",
        "4. Lãnh đạo lực lượng công an, quân sự phường và lực lượng tham gia bảo vệ an ninh, trật tự ở "
        "cơ sở bảo đảm an ninh, trật tự trước, trong và sau ngày bầu cử.",
        "III- TỔ CHỨC THỰC HIỆN",
        "Các chi, đảng bộ trực thuộc quán triệt Kế hoạch đến đảng viên; Văn phòng Đảng ủy theo dõi, "
        "tổng hợp, báo cáo Ban Thường vụ Đảng ủy.",
    ],
}


# Documents that arrived from above, registered with their printed numbers and dates; the last
# is secret, so only its metadata is kept.
INCOMING = [
    {
        "doc_type": "CT",
        "number": "46-CT/TW",
        "issuer": "Bộ Chính trị",
        "issue_date": "2025-06-16",
        "received_date": "2025-06-23",
        "urgency": "khan",
        "handler": "Trần Thị Hoa",
        "title": "Chỉ thị về lãnh đạo cuộc bầu cử đại biểu Quốc hội khóa XVI và đại biểu Hội đồng nhân dân "
        "các cấp nhiệm kỳ 2026 - 2031",
        "paragraphs": [
            "CHỈ THỊ",
            "về lãnh đạo cuộc bầu cử đại biểu Quốc hội khóa XVI và đại biểu Hội đồng nhân dân các cấp "
            "nhiệm kỳ 2026 - 2031",
            "Bộ Chính trị yêu cầu các cấp ủy, tổ chức đảng lãnh đạo chặt chẽ công tác chuẩn bị và tổ chức "
            "cuộc bầu cử, bảo đảm dân chủ, đúng pháp luật, an toàn, tiết kiệm.",
        ],
    },
    {
        "doc_type": "NQ",
        "number": "12-NQ/TU",
        "issuer": "Ban Chấp hành Đảng bộ thành phố Huế",
        "issue_date": "2025-09-25",
        "received_date": "2025-10-02",
        "handler": "Trần Thị Hoa",
        "reply_due": "2025-12-31",
        "title": "Nghị quyết về xây dựng và phát triển đô thị Huế văn minh, giàu bản sắc, giai đoạn 2025 - 2030",
        "paragraphs": [
            "NGHỊ QUYẾT",
            "về xây dựng và phát triển đô thị Huế văn minh, giàu bản sắc, giai đoạn 2025 - 2030",
            "Các đảng bộ phường, xã xây dựng chương trình hành động thực hiện Nghị quyết, báo cáo Ban "
            "Thường vụ Thành ủy trước ngày 31 tháng 12 năm 2025.",
        ],
    },
    {
        "doc_type": "HD",
        "number": "05-HD/BTCTU",
        "issuer": "Ban Tổ chức Thành ủy",
        "issue_date": "2025-08-12",
        "received_date": "2025-08-15",
        "handler": "Nguyễn Thị Lan",
        "title": "Hướng dẫn kiện toàn tổ chức cơ sở đảng sau sắp xếp đơn vị hành chính cấp xã",
        "paragraphs": [
            "HƯỚNG DẪN",
            "kiện toàn tổ chức cơ sở đảng sau sắp xếp đơn vị hành chính cấp xã",
            "Các đảng ủy phường, xã rà soát, kiện toàn các chi bộ trực thuộc, bảo đảm mỗi tổ dân phố, "
            "thôn có tổ chức đảng phù hợp.",
        ],
    },
    {
        "doc_type": "CV",
        "number": "87-CV/TU",
        "issuer": "Ban Thường vụ Thành ủy",
        "issue_date": "2025-10-20",
        "received_date": "2025-10-22",
        "urgency": "thuong_khan",
        "handler": "Nguyễn Văn Hùng",
        "security_level": "mat",
        "title": "Công văn về công tác bảo vệ chính trị nội bộ",
    },
]
