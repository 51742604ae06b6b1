"""How the audit log names what happens to uploaded templates."""


def audit_labels() -> dict:
    return {
        "actions": {"template.version": "Tải lên mẫu văn bản"},
        "objects": {"template": ("Mẫu văn bản", None, None)},  # pages are by key: no link
        "details": {"template_key": "Mã mẫu", "n": "Phiên bản mẫu"},
    }
