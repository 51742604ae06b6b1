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

OPENING = (
    "Ngày 05 tháng 11 năm 2025, Ban Chấp hành Đảng bộ phường An Cựu tổ chức Hội nghị lần thứ hai "
    "(mở rộng) để xem xét, cho ý kiến và thông qua báo cáo kết quả lãnh đạo, chương trình làm việc "
    "toàn khóa, chương trình kiểm tra, giám sát toàn khóa và các nghị quyết chuyên đề của Đảng bộ."
)

REPORT = {
    "template": "report",
    "title": "Báo cáo kết quả lãnh đạo thực hiện nhiệm vụ chính trị từ đầu nhiệm kỳ và phương hướng, nhiệm vụ đến cuối năm 2025",
    "summary": "Kết quả thu ngân sách, cải cách hành chính, chuyển đổi số, văn hóa - xã hội, quốc phòng - an ninh và công tác xây dựng Đảng của phường An Cựu; nhiệm vụ trọng tâm những tháng cuối năm.",
    "fields": {
        "date": DATE,
        "subject": "kết quả lãnh đạo thực hiện nhiệm vụ chính trị từ đầu nhiệm kỳ và phương hướng, nhiệm vụ đến cuối năm 2025",
        "body": "Thực hiện Nghị quyết Đại hội Đại biểu Đảng bộ phường lần thứ I, nhiệm kỳ 2025 - 2030, Ban Chấp hành Đảng bộ phường báo cáo kết quả lãnh đạo thực hiện nhiệm vụ chính trị như sau:\nI- KẾT QUẢ ĐẠT ĐƯỢC\n1. Về phát triển kinh tế, thu ngân sách\nTổng thu ngân sách trên địa bàn ước đạt 181,55 tỷ đồng, vượt dự toán được giao. Hoàn thành hơn 225 hồ sơ đăng ký kinh doanh, tạo điều kiện cho hộ kinh doanh và doanh nghiệp nhỏ phát triển dịch vụ, thương mại dọc các tuyến phố chính.\n2. Về cải cách hành chính và chuyển đổi số\nTrung tâm phục vụ hành chính công phường đã tiếp nhận và giải quyết 4.817 hồ sơ thủ tục hành chính, trong đó 97% hồ sơ giải quyết đúng hạn, 100% hồ sơ được số hóa. Việc vận hành chính quyền hai cấp từ ngày 01 tháng 7 năm 2025 bảo đảm thông suốt, không để gián đoạn phục vụ người dân.\n3. Về văn hóa - xã hội\nPhong trào Toàn dân đoàn kết xây dựng đời sống văn hóa tiếp tục được duy trì; công tác an sinh xã hội, chăm lo gia đình chính sách, hộ nghèo được thực hiện kịp thời, đúng đối tượng.\n4. Về quốc phòng - an ninh\nTình hình an ninh chính trị, trật tự an toàn xã hội ổn định; hoàn thành chỉ tiêu tuyển quân; xây dựng lực lượng dân quân, bảo vệ dân phố vững mạnh.\n5. Về công tác xây dựng Đảng và hệ thống chính trị\nKiện toàn tổ chức bộ máy sau sắp xếp; ban hành quy chế làm việc của Ban Chấp hành, Ban Thường vụ Đảng ủy; triển khai Chỉ thị số 46-CT/TW của Bộ Chính trị về lãnh đạo cuộc bầu cử đại biểu Quốc hội khóa XVI và đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2026 - 2031.\nII- HẠN CHẾ, NGUYÊN NHÂN\n- Công tác quản lý đất đai, trật tự xây dựng ở một số tổ dân phố còn để xảy ra vi phạm.\n- Hạ tầng giao thông, thoát nước tại một số kiệt, hẻm chưa đồng bộ, chậm được đầu tư.\n- Nguyên nhân chủ yếu là nguồn lực còn hạn chế, sự phối hợp giữa các ngành có lúc chưa chặt chẽ.\nIII- PHƯƠNG HƯỚNG, NHIỆM VỤ ĐẾN CUỐI NĂM 2025\n1. Tập trung hoàn thành dự toán thu ngân sách năm 2025; đẩy mạnh chuyển đổi số trong giải quyết thủ tục hành chính.\n2. Triển khai các nghị quyết chuyên đề được Hội nghị thông qua; chuẩn bị chu đáo cho cuộc bầu cử đại biểu Quốc hội và Hội đồng nhân dân các cấp.\n3. Nâng cao chất lượng sinh hoạt chi bộ; làm tốt công tác kiểm tra, giám sát theo chương trình toàn khóa.",
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
        "legal_bases": "Căn cứ Điều lệ Đảng; Quy chế làm việc của Ban Chấp hành Đảng bộ phường khóa I, nhiệm kỳ 2025 - 2030; Nghị quyết Đại hội Đại biểu Đảng bộ phường lần thứ I, Ban Chấp hành Đảng bộ phường xây dựng Chương trình làm việc toàn khóa như sau:",
        "purpose": "1. Cụ thể hóa Nghị quyết Đại hội thành các nội dung lãnh đạo, chỉ đạo theo từng năm, từng quý.\n2. Bảo đảm tính khả thi, đúng quy chế làm việc; phân công rõ cơ quan chuẩn bị, thời gian hoàn thành.",
        "items": [
            {
                "conference": "Lần thứ hai",
                "content": "Chương trình làm việc toàn khóa; chương trình kiểm tra, giám sát toàn khóa",
                "preparing": "Văn phòng Đảng ủy",
                "coordinating": "Ủy ban Kiểm tra Đảng ủy",
                "time": "Quý IV/2025",
            },
            {
                "conference": "Lần thứ ba",
                "content": "Nghị quyết lãnh đạo thực hiện nhiệm vụ năm 2026",
                "preparing": "Văn phòng Đảng ủy",
                "coordinating": "Đảng ủy Ủy ban nhân dân phường",
                "time": "Quý IV/2025",
            },
            {
                "conference": "Lần thứ tư",
                "content": "Lãnh đạo cuộc bầu cử đại biểu Quốc hội và Hội đồng nhân dân các cấp",
                "preparing": "Ban Xây dựng Đảng",
                "coordinating": "Ủy ban Mặt trận Tổ quốc phường",
                "time": "Quý I/2026",
            },
            {
                "conference": "Lần thứ năm",
                "content": "Sơ kết 6 tháng đầu năm 2026",
                "preparing": "Văn phòng Đảng ủy",
                "coordinating": "Các chi, đảng bộ trực thuộc",
                "time": "Quý III/2026",
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
    "title": "Nghị quyết về xây dựng lối sống đô thị văn minh trên địa bàn phường An Cựu giai đoạn 2025 - 2030",
    "summary": "Mục tiêu, nhiệm vụ, giải pháp xây dựng nếp sống văn minh, trật tự đô thị, ứng xử văn hóa nơi công cộng ở các tổ dân phố.",
    "fields": {
        "date": DATE,
        "meeting": MEETING,
        "subject": "về xây dựng lối sống đô thị văn minh",
        "opening": OPENING,
        "body": "I- TÌNH HÌNH VÀ KẾT QUẢ\nNhững năm qua, phong trào xây dựng tổ dân phố văn hóa, gia đình văn hóa được nhân dân đồng tình hưởng ứng; nhiều tuyến phố sáng - xanh - sạch - đẹp được hình thành.\nII- HẠN CHẾ, NGUYÊN NHÂN\nTình trạng lấn chiếm vỉa hè, xả rác không đúng nơi quy định, tổ chức việc cưới, việc tang chưa văn minh ở một số nơi vẫn còn diễn ra.\nIII- MỤC TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP\n1. Mục tiêu: đến năm 2030, 100% tổ dân phố đạt danh hiệu tổ dân phố văn hóa; không còn điểm tập kết rác tự phát.\n2. Nhiệm vụ, giải pháp:\na) Tăng cường tuyên truyền, vận động nhân dân thực hiện quy ước ứng xử nơi công cộng.\nb) Phát huy vai trò của Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội ở cơ sở.\n- Mỗi chi bộ khu vực đăng ký ít nhất một mô hình tự quản về văn minh đô thị.\nIV- TỔ CHỨC THỰC HIỆN\nĐảng ủy Ủy ban nhân dân phường chỉ đạo xây dựng kế hoạch thực hiện; Ủy ban Mặt trận Tổ quốc phường giám sát; Văn phòng Đảng ủy theo dõi, tổng hợp, báo cáo Ban Thường vụ hằng năm.",
        "recipients": RECIPIENTS,
        **SIGNATURE,
    },
}

RESOLUTION_INFRASTRUCTURE = {
    "template": "resolution",
    "title": "Nghị quyết về đầu tư xây dựng kết cấu hạ tầng đồng bộ, từng bước hiện đại giai đoạn 2025 - 2030",
    "summary": "Chỉnh trang kiệt, hẻm, hệ thống thoát nước, chiếu sáng công cộng và huy động nguồn lực xã hội hóa.",
    "fields": {
        "date": DATE,
        "meeting": MEETING,
        "subject": "về đầu tư xây dựng kết cấu hạ tầng đồng bộ, từng bước hiện đại",
        "opening": OPENING,
        "body": "I- TÌNH HÌNH VÀ KẾT QUẢ\nHạ tầng giao thông chính trên địa bàn cơ bản được đầu tư; hệ thống chiếu sáng công cộng phủ khắp các tuyến đường chính.\nII- HẠN CHẾ, NGUYÊN NHÂN\nNhiều kiệt, hẻm nhỏ hẹp, ngập úng cục bộ khi mưa lớn; nguồn vốn đầu tư công còn hạn chế.\nIII- MỤC TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP\n1. Đến năm 2030, bê tông hóa 100% kiệt, hẻm; xử lý dứt điểm các điểm ngập úng.\n2. Huy động nguồn lực theo phương châm Nhà nước và nhân dân cùng làm.\nIV- TỔ CHỨC THỰC HIỆN\nỦy ban nhân dân phường xây dựng danh mục công trình ưu tiên theo từng năm, báo cáo Ban Thường vụ Đảng ủy trước ngày 31 tháng 12 hằng năm.",
        "recipients": RECIPIENTS,
        **SIGNATURE,
    },
}

RESOLUTION_LAND = {
    "template": "resolution",
    "title": "Nghị quyết về tăng cường công tác quản lý đất đai, trật tự xây dựng và vệ sinh môi trường",
    "summary": "Lãnh đạo quản lý đất đai, xử lý vi phạm trật tự xây dựng, thu gom, xử lý rác thải và bảo vệ môi trường trên địa bàn phường.",
    "fields": {
        "date": DATE,
        "meeting": MEETING,
        "subject": "về tăng cường công tác quản lý đất đai, trật tự xây dựng và vệ sinh môi trường",
        "opening": OPENING,
        "body": "I- TÌNH HÌNH VÀ KẾT QUẢ\nCông tác quản lý đất đai từng bước đi vào nề nếp; việc cấp giấy chứng nhận quyền sử dụng đất được đẩy nhanh.\nII- HẠN CHẾ, NGUYÊN NHÂN\nVẫn còn trường hợp xây dựng không phép, sai phép; một số điểm tập kết rác gây ô nhiễm.\nIII- MỤC TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP\n1. Phát hiện, ngăn chặn và xử lý kịp thời 100% trường hợp vi phạm trật tự xây dựng.\n2. Tăng cường kiểm tra việc sử dụng đất công, đất lấn chiếm.\nIV- TỔ CHỨC THỰC HIỆN\nĐảng ủy Ủy ban nhân dân phường lãnh đạo xây dựng kế hoạch thực hiện Nghị quyết.",
        "recipients": RECIPIENTS,
        **SIGNATURE,
    },
}

# The second draft of the land resolution: what the conference's discussion changed.
RESOLUTION_LAND_REVISED_BODY = "I- TÌNH HÌNH VÀ KẾT QUẢ\nCông tác quản lý đất đai từng bước đi vào nề nếp; việc cấp giấy chứng nhận quyền sử dụng đất được đẩy nhanh, đúng quy định.\nII- HẠN CHẾ, NGUYÊN NHÂN\nVẫn còn trường hợp xây dựng không phép, sai phép ở các tổ dân phố ven sông; một số điểm tập kết rác tự phát gây ô nhiễm môi trường.\nIII- MỤC TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP\n1. Phát hiện, ngăn chặn và xử lý kịp thời 100% trường hợp vi phạm trật tự xây dựng ngay từ khi phát sinh.\n2. Tăng cường kiểm tra việc sử dụng đất công, đất lấn chiếm; công khai kết quả xử lý.\n3. Xóa bỏ các điểm tập kết rác tự phát; 100% hộ gia đình phân loại rác tại nguồn vào năm 2027.\nIV- TỔ CHỨC THỰC HIỆN\nĐảng ủy Ủy ban nhân dân phường lãnh đạo xây dựng kế hoạch thực hiện Nghị quyết; Ủy ban Kiểm tra Đảng ủy giám sát việc thực hiện hằng năm."

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
        "Đồng chí Hồ Thị Mai đề nghị bổ sung tiến độ chuẩn bị hội nghị lần thứ tư.",
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
    "title": "Kế hoạch triển khai Chỉ thị số 46-CT/TW của Bộ Chính trị về lãnh đạo cuộc bầu cử",
    "paragraphs": [
        "KẾ HOẠCH",
        "triển khai Chỉ thị số 46-CT/TW của Bộ Chính trị về lãnh đạo cuộc bầu cử đại biểu Quốc hội "
        "khóa XVI và đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2026 - 2031",
        "I- MỤC ĐÍCH, YÊU CẦU",
        "Quán triệt sâu rộng Chỉ thị số 46-CT/TW đến cán bộ, đảng viên và nhân dân trên địa bàn phường.",
        "II- NHIỆM VỤ",
        "1. Kiện toàn Ủy ban bầu cử phường, các tổ bầu cử ở 12 khu vực bỏ phiếu.",
        "2. Rà soát danh sách cử tri, niêm yết đúng thời gian quy định.",
        "III- TỔ CHỨC THỰC HIỆN",
        "Văn phòng Đảng ủy theo dõi, tổng hợp, báo cáo Ban Thường vụ Đảng ủy.",
    ],
}
