"""Document types, statuses and the lifecycle, as the domain reference lists them."""

from __future__ import annotations

from enum import StrEnum

# Code -> Vietnamese name, in the order of the domain reference's table.
DOC_TYPES: dict[str, str] = {
    "NQ": "Nghị quyết",
    "CT": "Chỉ thị",
    "KL": "Kết luận",
    "QĐ": "Quyết định / Quy định",
    "QC": "Quy chế",
    "BC": "Báo cáo",
    "CTr": "Chương trình",
    "KH": "Kế hoạch",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "TTr": "Tờ trình",
    "BB": "Biên bản",
    "CV": "Công văn",
}


class Origin(StrEnum):
    """Ours (drafted here, or registered from before the system with its printed number), or
    issued by another body and registered when it arrived."""

    INTERNAL = "internal"
    INCOMING = "incoming"

    @property
    def label(self) -> str:
        return {"internal": "Văn bản của Đảng ủy", "incoming": "Văn bản đến"}[self.value]


class SecurityLevel(StrEnum):
    """Độ mật under the Law on Protection of State Secrets: content never stored here."""

    NONE = "none"
    MAT = "mat"
    TOI_MAT = "toi_mat"
    TUYET_MAT = "tuyet_mat"

    @property
    def label(self) -> str:
        return SECURITY_LABELS[self]


SECURITY_LABELS = {
    SecurityLevel.NONE: "Không mật",
    SecurityLevel.MAT: "Mật",
    SecurityLevel.TOI_MAT: "Tối mật",
    SecurityLevel.TUYET_MAT: "Tuyệt mật",
}


class Urgency(StrEnum):
    """Độ khẩn, printed on the document: distinct from secrecy."""

    NORMAL = "thuong"
    URGENT = "khan"
    VERY_URGENT = "thuong_khan"
    FLASH = "hoa_toc"

    @property
    def label(self) -> str:
        return {"thuong": "Thường", "khan": "Khẩn", "thuong_khan": "Thượng khẩn", "hoa_toc": "Hỏa tốc"}[
            self.value
        ]


class Status(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    WITHDRAWN = "withdrawn"
    # An approved document that a newer approved one replaces; only reached through that.
    SUPERSEDED = "superseded"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.DRAFT: "Dự thảo",
    Status.IN_REVIEW: "Đang xem xét",
    Status.APPROVED: "Đã ban hành",
    Status.WITHDRAWN: "Đã rút",
    Status.SUPERSEDED: "Đã bị thay thế",
}
# A document that came in from another body, in its book (not issued by us).
INCOMING_LABEL = "Văn bản đến"
# A registered entry found wrong and cancelled: kept in its book, marked so.
CANCELLED_LABEL = "Đã hủy"

# Allowed transitions: from -> {to}.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.DRAFT: frozenset({Status.IN_REVIEW, Status.WITHDRAWN}),
    Status.IN_REVIEW: frozenset({Status.APPROVED, Status.DRAFT, Status.WITHDRAWN}),
    Status.APPROVED: frozenset(),
    Status.WITHDRAWN: frozenset(),
    Status.SUPERSEDED: frozenset(),
}

# Steps that cannot be undone: the page asks to confirm them.
IRREVERSIBLE = frozenset({Status.APPROVED, Status.WITHDRAWN})
# What the button for each transition says.
TRANSITION_LABELS = {
    Status.IN_REVIEW: "Gửi xem xét",
    Status.APPROVED: "Phê duyệt và cấp số",
    Status.DRAFT: "Trả lại để sửa",
    Status.WITHDRAWN: "Rút văn bản",
}


class Relation(StrEnum):
    AMENDS = "amends"
    REPLACES = "replaces"
    IMPLEMENTS = "implements"
    REFERS_TO = "refers_to"

    @property
    def label(self) -> str:
        return RELATION_LABELS[self][0]

    @property
    def inverse_label(self) -> str:
        return RELATION_LABELS[self][1]


# Relation -> (as the source says it, as the target shows it).
RELATION_LABELS = {
    Relation.AMENDS: ("Sửa đổi, bổ sung", "Được sửa đổi, bổ sung bởi"),
    Relation.REPLACES: ("Thay thế", "Bị thay thế bởi"),
    Relation.IMPLEMENTS: ("Triển khai thực hiện", "Được triển khai bởi"),
    Relation.REFERS_TO: ("Dẫn chiếu", "Được dẫn chiếu bởi"),
}

# Statuses whose documents can still change (versions, metadata).
EDITABLE = frozenset({Status.DRAFT, Status.IN_REVIEW})


def normalise_doc_type(code: str) -> str | None:
    """The canonical code for what a user typed ("nq", "ctr", "QD" for QĐ), or None."""
    wanted = (code or "").strip().upper().replace("Đ", "D")
    for known in DOC_TYPES:
        if known.upper().replace("Đ", "D") == wanted:
            return known
    return None


def format_number(seq: int, doc_type: str, symbol: str) -> str:
    """The Party-style number: `05-NQ/ĐU` (two digits at least, no "Số:")."""
    return f"{seq:02d}-{doc_type}/{symbol}"


# Said wherever a file comes with a secret document (registering, reading its header).
SECRET_FILE = (
    "Văn bản mật chỉ được đăng ký thông tin (số, ngày, cơ quan ban hành): theo Luật Bảo vệ bí mật "
    "nhà nước, nội dung văn bản mật không được lưu trên hệ thống nối mạng. Tệp không được lưu."
)
