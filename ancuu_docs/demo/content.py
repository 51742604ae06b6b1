"""The demo conference's documents, as text: the second (expanded) conference of the ward
Party Executive Committee, term 2025-2030. Each body item is a paragraph, or a table as
("table", [header, *rows]). Headings start with "I-", "1." or "a)".
"""

MEETING_LINE = "HỘI NGHỊ LẦN THỨ HAI (MỞ RỘNG) BAN CHẤP HÀNH ĐẢNG BỘ PHƯỜNG\nKHÓA I, NHIỆM KỲ 2025 - 2030"

OPENING = (
    "Ngày 05 tháng 11 năm 2025, Ban Chấp hành Đảng bộ phường An Cựu tổ chức Hội nghị lần thứ hai "
    "(mở rộng) để xem xét, cho ý kiến và thông qua báo cáo kết quả lãnh đạo, chương trình làm việc "
    "toàn khóa, chương trình kiểm tra, giám sát toàn khóa và các nghị quyết chuyên đề của Đảng bộ."
)

REPORT = {
    "doc_type": "BC",
    "title": "Báo cáo kết quả lãnh đạo thực hiện nhiệm vụ chính trị từ đầu nhiệm kỳ và phương hướng, "
    "nhiệm vụ đến cuối năm 2025",
    "summary": "Kết quả thu ngân sách, cải cách hành chính, chuyển đổi số, văn hóa - xã hội, quốc phòng - "
    "an ninh và công tác xây dựng Đảng của phường An Cựu; nhiệm vụ trọng tâm những tháng cuối năm.",
    "subject": "kết quả lãnh đạo thực hiện nhiệm vụ chính trị từ đầu nhiệm kỳ\nvà phương hướng, "
    "nhiệm vụ đến cuối năm 2025",
    "body": [
        "Thực hiện Nghị quyết Đại hội Đại biểu Đảng bộ phường lần thứ I, nhiệm kỳ 2025 - 2030, Ban Chấp "
        "hành Đảng bộ phường báo cáo kết quả lãnh đạo thực hiện nhiệm vụ chính trị như sau:",
        "I- KẾT QUẢ ĐẠT ĐƯỢC",
        "1. Về phát triển kinh tế, thu ngân sách",
        "Tổng thu ngân sách trên địa bàn ước đạt 181,55 tỷ đồng, vượt dự toán được giao. Hoàn thành "
        "hơn 225 hồ sơ đăng ký kinh doanh, tạo điều kiện cho hộ kinh doanh và doanh nghiệp nhỏ phát "
        "triển dịch vụ, thương mại dọc các tuyến phố chính.",
        "2. Về cải cách hành chính và chuyển đổi số",
        "Trung tâm phục vụ hành chính công phường đã tiếp nhận và giải quyết 4.817 hồ sơ thủ tục hành "
        "chính, trong đó 97% hồ sơ giải quyết đúng hạn, 100% hồ sơ được số hóa. Việc vận hành chính "
        "quyền hai cấp từ ngày 01 tháng 7 năm 2025 bảo đảm thông suốt, không để gián đoạn phục vụ "
        "người dân.",
        "3. Về văn hóa - xã hội",
        "Phong trào Toàn dân đoàn kết xây dựng đời sống văn hóa tiếp tục được duy trì; công tác an sinh "
        "xã hội, chăm lo gia đình chính sách, hộ nghèo được thực hiện kịp thời, đúng đối tượng.",
        "4. Về quốc phòng - an ninh",
        "Tình hình an ninh chính trị, trật tự an toàn xã hội ổn định; hoàn thành chỉ tiêu tuyển quân; "
        "xây dựng lực lượng dân quân, bảo vệ dân phố vững mạnh.",
        "5. Về công tác xây dựng Đảng và hệ thống chính trị",
        "Kiện toàn tổ chức bộ máy sau sắp xếp; ban hành quy chế làm việc của Ban Chấp hành, Ban Thường "
        "vụ Đảng ủy; triển khai Chỉ thị số 46-CT/TW của Bộ Chính trị về lãnh đạo cuộc bầu cử đại biểu "
        "Quốc hội khóa XVI và đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2026 - 2031.",
        "II- HẠN CHẾ, NGUYÊN NHÂN",
        "- Công tác quản lý đất đai, trật tự xây dựng ở một số tổ dân phố còn để xảy ra vi phạm.",
        "- Hạ tầng giao thông, thoát nước tại một số kiệt, hẻm chưa đồng bộ, chậm được đầu tư.",
        "- Nguyên nhân chủ yếu là nguồn lực còn hạn chế, sự phối hợp giữa các ngành có lúc chưa chặt chẽ.",
        "III- PHƯƠNG HƯỚNG, NHIỆM VỤ ĐẾN CUỐI NĂM 2025",
        "1. Tập trung hoàn thành dự toán thu ngân sách năm 2025; đẩy mạnh chuyển đổi số trong giải quyết "
        "thủ tục hành chính.",
        "2. Triển khai các nghị quyết chuyên đề được Hội nghị thông qua; chuẩn bị chu đáo cho cuộc bầu cử "
        "đại biểu Quốc hội và Hội đồng nhân dân các cấp.",
        "3. Nâng cao chất lượng sinh hoạt chi bộ; làm tốt công tác kiểm tra, giám sát theo chương trình "
        "toàn khóa.",
    ],
}

WORK_PROGRAMME = {
    "doc_type": "CTr",
    "title": "Chương trình làm việc toàn khóa của Ban Chấp hành Đảng bộ phường khóa I, nhiệm kỳ 2025 - 2030",
    "summary": "Nội dung Ban Chấp hành, Ban Thường vụ Đảng ủy cho ý kiến, thông qua theo từng năm, "
    "cơ quan chuẩn bị, cơ quan phối hợp và thời gian thực hiện.",
    "subject": "làm việc toàn khóa của Ban Chấp hành Đảng bộ phường\nkhóa I, nhiệm kỳ 2025 - 2030",
    "body": [
        "Căn cứ Điều lệ Đảng; Quy chế làm việc của Ban Chấp hành Đảng bộ phường khóa I, nhiệm kỳ "
        "2025 - 2030; Nghị quyết Đại hội Đại biểu Đảng bộ phường lần thứ I, Ban Chấp hành Đảng bộ "
        "phường xây dựng Chương trình làm việc toàn khóa như sau:",
        "I- MỤC ĐÍCH, YÊU CẦU",
        "1. Cụ thể hóa Nghị quyết Đại hội thành các nội dung lãnh đạo, chỉ đạo theo từng năm, từng quý.",
        "2. Bảo đảm tính khả thi, đúng quy chế làm việc; phân công rõ cơ quan chuẩn bị, thời gian hoàn thành.",
        "II- NỘI DUNG CHƯƠNG TRÌNH",
        (
            "table",
            [
                [
                    "Hội nghị",
                    "Nội dung cho ý kiến, thông qua",
                    "Cơ quan chuẩn bị",
                    "Cơ quan phối hợp",
                    "Thời gian",
                ],
                [
                    "Lần thứ hai",
                    "Chương trình làm việc toàn khóa; chương trình kiểm tra, giám sát toàn khóa",
                    "Văn phòng Đảng ủy",
                    "Ủy ban Kiểm tra Đảng ủy",
                    "Quý IV/2025",
                ],
                [
                    "Lần thứ ba",
                    "Nghị quyết lãnh đạo thực hiện nhiệm vụ năm 2026",
                    "Văn phòng Đảng ủy",
                    "Đảng ủy Ủy ban nhân dân phường",
                    "Quý IV/2025",
                ],
                [
                    "Lần thứ tư",
                    "Lãnh đạo cuộc bầu cử đại biểu Quốc hội và Hội đồng nhân dân các cấp",
                    "Ban Xây dựng Đảng",
                    "Ủy ban Mặt trận Tổ quốc phường",
                    "Quý I/2026",
                ],
                [
                    "Lần thứ năm",
                    "Sơ kết 6 tháng đầu năm 2026",
                    "Văn phòng Đảng ủy",
                    "Các chi, đảng bộ trực thuộc",
                    "Quý III/2026",
                ],
            ],
        ),
        "III- TỔ CHỨC THỰC HIỆN",
        "1. Văn phòng Đảng ủy theo dõi, đôn đốc việc chuẩn bị các nội dung; báo cáo Ban Thường vụ trước "
        "mỗi hội nghị.",
        "2. Các cơ quan được phân công chủ động chuẩn bị, gửi dự thảo trước hội nghị ít nhất 05 ngày làm việc.",
    ],
}

INSPECTION_PROGRAMME = {
    "doc_type": "CTr",
    "title": "Chương trình kiểm tra, giám sát toàn khóa của Ban Chấp hành Đảng bộ phường khóa I, "
    "nhiệm kỳ 2025 - 2030",
    "summary": "Kiểm tra, giám sát chuyên đề của Ban Chấp hành, Ban Thường vụ và Ủy ban Kiểm tra Đảng ủy "
    "theo Quy định số 296-QĐ/TW ngày 30 tháng 5 năm 2025.",
    "subject": "kiểm tra, giám sát toàn khóa của Ban Chấp hành Đảng bộ phường\nkhóa I, nhiệm kỳ 2025 - 2030",
    "body": [
        "Căn cứ Điều lệ Đảng (Chương VII, Chương VIII); Quy định số 296-QĐ/TW ngày 30 tháng 5 năm 2025 "
        "của Ban Chấp hành Trung ương về công tác kiểm tra, giám sát và kỷ luật của Đảng, Ban Chấp hành "
        "Đảng bộ phường xây dựng Chương trình kiểm tra, giám sát toàn khóa như sau:",
        "I- KIỂM TRA, GIÁM SÁT CỦA BAN CHẤP HÀNH, BAN THƯỜNG VỤ ĐẢNG ỦY",
        "1. Kiểm tra",
        (
            "table",
            [
                ["Đối tượng", "Nội dung", "Thời gian", "Cơ quan thực hiện"],
                [
                    "Chi bộ Khu vực 3",
                    "Thực hiện nguyên tắc tập trung dân chủ, quy chế làm việc",
                    "Quý II/2026",
                    "Ban Thường vụ Đảng ủy",
                ],
                [
                    "Đảng ủy Ủy ban nhân dân phường",
                    "Lãnh đạo công tác quản lý đất đai, trật tự xây dựng",
                    "Quý IV/2026",
                    "Ban Thường vụ Đảng ủy",
                ],
            ],
        ),
        "2. Giám sát chuyên đề",
        (
            "table",
            [
                ["Đối tượng", "Nội dung", "Thời gian", "Cơ quan thực hiện"],
                [
                    "Các chi bộ khu vực",
                    "Lãnh đạo thực hiện Chỉ thị số 46-CT/TW về bầu cử",
                    "Quý I/2026",
                    "Ban Thường vụ Đảng ủy",
                ],
                [
                    "Chi bộ Trường Tiểu học An Cựu",
                    "Việc giữ gìn phẩm chất, đạo đức, lối sống của đảng viên",
                    "Quý III/2027",
                    "Ban Chấp hành Đảng bộ",
                ],
            ],
        ),
        "II- KIỂM TRA, GIÁM SÁT CỦA ỦY BAN KIỂM TRA ĐẢNG ỦY",
        "1. Kiểm tra tổ chức đảng cấp dưới thực hiện nhiệm vụ kiểm tra, giám sát và thi hành kỷ luật "
        "trong Đảng, mỗi năm ít nhất 02 tổ chức đảng.",
        "2. Kiểm tra việc thu, nộp, quản lý và sử dụng đảng phí tại các chi bộ trực thuộc.",
        "3. Giám sát chuyên đề việc kê khai tài sản, thu nhập của đảng viên thuộc diện phải kê khai.",
        "III- TỔ CHỨC THỰC HIỆN",
        "Ủy ban Kiểm tra Đảng ủy tham mưu Ban Thường vụ cụ thể hóa chương trình thành kế hoạch hằng năm; "
        "các chi bộ, đảng bộ trực thuộc xây dựng chương trình kiểm tra, giám sát của cấp mình.",
    ],
}

RESOLUTION_LIFESTYLE = {
    "doc_type": "NQ",
    "title": "Nghị quyết về xây dựng lối sống đô thị văn minh trên địa bàn phường An Cựu giai đoạn 2025 - 2030",
    "summary": "Mục tiêu, nhiệm vụ, giải pháp xây dựng nếp sống văn minh, trật tự đô thị, ứng xử văn hóa "
    "nơi công cộng ở các tổ dân phố.",
    "subject": "về xây dựng lối sống đô thị văn minh",
    "body": [
        OPENING,
        "I- TÌNH HÌNH VÀ KẾT QUẢ",
        "Những năm qua, phong trào xây dựng tổ dân phố văn hóa, gia đình văn hóa được nhân dân đồng tình "
        "hưởng ứng; nhiều tuyến phố sáng - xanh - sạch - đẹp được hình thành.",
        "II- HẠN CHẾ, NGUYÊN NHÂN",
        "Tình trạng lấn chiếm vỉa hè, xả rác không đúng nơi quy định, tổ chức việc cưới, việc tang chưa "
        "văn minh ở một số nơi vẫn còn diễn ra.",
        "III- MỤC TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP",
        "1. Mục tiêu: đến năm 2030, 100% tổ dân phố đạt danh hiệu tổ dân phố văn hóa; không còn điểm "
        "tập kết rác tự phát.",
        "2. Nhiệm vụ, giải pháp:",
        "a) Tăng cường tuyên truyền, vận động nhân dân thực hiện quy ước ứng xử nơi công cộng.",
        "b) Phát huy vai trò của Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội ở cơ sở.",
        "- Mỗi chi bộ khu vực đăng ký ít nhất một mô hình tự quản về văn minh đô thị.",
        "IV- TỔ CHỨC THỰC HIỆN",
        "Đảng ủy Ủy ban nhân dân phường chỉ đạo xây dựng kế hoạch thực hiện; Ủy ban Mặt trận Tổ quốc "
        "phường giám sát; Văn phòng Đảng ủy theo dõi, tổng hợp, báo cáo Ban Thường vụ hằng năm.",
    ],
}

RESOLUTION_INFRASTRUCTURE = {
    "doc_type": "NQ",
    "title": "Nghị quyết về đầu tư xây dựng kết cấu hạ tầng đồng bộ, từng bước hiện đại giai đoạn 2025 - 2030",
    "summary": "Chỉnh trang kiệt, hẻm, hệ thống thoát nước, chiếu sáng công cộng và huy động nguồn lực "
    "xã hội hóa.",
    "subject": "về đầu tư xây dựng kết cấu hạ tầng đồng bộ, từng bước hiện đại",
    "body": [
        OPENING,
        "I- TÌNH HÌNH VÀ KẾT QUẢ",
        "Hạ tầng giao thông chính trên địa bàn cơ bản được đầu tư; hệ thống chiếu sáng công cộng phủ "
        "khắp các tuyến đường chính.",
        "II- HẠN CHẾ, NGUYÊN NHÂN",
        "Nhiều kiệt, hẻm nhỏ hẹp, ngập úng cục bộ khi mưa lớn; nguồn vốn đầu tư công còn hạn chế.",
        "III- MỤC TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP",
        "1. Đến năm 2030, bê tông hóa 100% kiệt, hẻm; xử lý dứt điểm các điểm ngập úng.",
        "2. Huy động nguồn lực theo phương châm Nhà nước và nhân dân cùng làm.",
        "IV- TỔ CHỨC THỰC HIỆN",
        "Ủy ban nhân dân phường xây dựng danh mục công trình ưu tiên theo từng năm, báo cáo Ban Thường vụ "
        "Đảng ủy trước ngày 31 tháng 12 hằng năm.",
    ],
}

RESOLUTION_LAND = {
    "doc_type": "NQ",
    "title": "Nghị quyết về tăng cường công tác quản lý đất đai, trật tự xây dựng và vệ sinh môi trường",
    "summary": "Lãnh đạo quản lý đất đai, xử lý vi phạm trật tự xây dựng, thu gom, xử lý rác thải và "
    "bảo vệ môi trường trên địa bàn phường.",
    "subject": "về tăng cường công tác quản lý đất đai, trật tự xây dựng\nvà vệ sinh môi trường",
    "body": [
        OPENING,
        "I- TÌNH HÌNH VÀ KẾT QUẢ",
        "Công tác quản lý đất đai từng bước đi vào nề nếp; việc cấp giấy chứng nhận quyền sử dụng đất "
        "được đẩy nhanh.",
        "II- HẠN CHẾ, NGUYÊN NHÂN",
        "Vẫn còn trường hợp xây dựng không phép, sai phép; một số điểm tập kết rác gây ô nhiễm.",
        "III- MỤC TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP",
        "1. Phát hiện, ngăn chặn và xử lý kịp thời 100% trường hợp vi phạm trật tự xây dựng.",
        "2. Tăng cường kiểm tra việc sử dụng đất công, đất lấn chiếm.",
        "IV- TỔ CHỨC THỰC HIỆN",
        "Đảng ủy Ủy ban nhân dân phường lãnh đạo xây dựng kế hoạch thực hiện Nghị quyết.",
    ],
}

# The second draft of the land resolution: what the conference's discussion changed.
RESOLUTION_LAND_REVISED_BODY = [
    OPENING,
    "I- TÌNH HÌNH VÀ KẾT QUẢ",
    "Công tác quản lý đất đai từng bước đi vào nề nếp; việc cấp giấy chứng nhận quyền sử dụng đất "
    "được đẩy nhanh, đúng quy định.",
    "II- HẠN CHẾ, NGUYÊN NHÂN",
    "Vẫn còn trường hợp xây dựng không phép, sai phép ở các tổ dân phố ven sông; một số điểm tập kết "
    "rác tự phát gây ô nhiễm môi trường.",
    "III- MỤC TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP",
    "1. Phát hiện, ngăn chặn và xử lý kịp thời 100% trường hợp vi phạm trật tự xây dựng ngay từ khi phát sinh.",
    "2. Tăng cường kiểm tra việc sử dụng đất công, đất lấn chiếm; công khai kết quả xử lý.",
    "3. Xóa bỏ các điểm tập kết rác tự phát; 100% hộ gia đình phân loại rác tại nguồn vào năm 2027.",
    "IV- TỔ CHỨC THỰC HIỆN",
    "Đảng ủy Ủy ban nhân dân phường lãnh đạo xây dựng kế hoạch thực hiện Nghị quyết; Ủy ban Kiểm tra "
    "Đảng ủy giám sát việc thực hiện hằng năm.",
]
