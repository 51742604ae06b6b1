"""One schema per command: the API's JSON, a multipart form and a web form's data give the same
typed values, and every field's mistake comes back at once, in Vietnamese."""

from __future__ import annotations

from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from ancuu_docs.documents.types import DOC_TYPES, Origin, SecurityLevel, Urgency
from ancuu_docs.errors import InvalidInput
from ancuu_docs.registers.commands import BookFilters, Dispatch, Registration
from ancuu_docs.registers.forms import RegistrationForm
from ancuu_docs.schema import parse

INCOMING = {
    "origin": "incoming",
    "doc_type": "CT",
    "number": "46-CT/TW",
    "issuer": "Ban Chấp hành Trung ương",
    "issue_date": "2025-05-06",
    "received_date": "2025-05-09",
    "title": "Về lãnh đạo cuộc bầu cử",
    "urgency": "khan",
    "confidential": "on",
}


def test_json_multipart_and_a_web_form_give_the_same_typed_values(app):
    with app.test_request_context(method="POST", data=INCOMING):
        from_form = RegistrationForm(meta={"csrf": False}).parsed()
    from_json = parse(Registration, {**INCOMING, "confidential": True})
    from_multipart = parse(Registration, MultiDict(INCOMING))
    assert from_json == from_multipart == from_form
    assert from_json.origin is Origin.INCOMING and from_json.urgency is Urgency.URGENT
    assert from_json.issue_date == date(2025, 5, 6) and from_json.confidential is True
    assert from_json.security_level is SecurityLevel.NONE  # nothing sent: the default


def test_every_mistake_is_said_at_once_in_vietnamese(app):
    with app.app_context(), pytest.raises(InvalidInput) as refused:
        parse(
            Registration,
            {
                "origin": "incoming",
                "doc_type": "XX",
                "number": ["46"],  # an API client's list where a word belongs
                "issue_date": "2099-01-01",
                "received_date": "2025-01-01",
                "security_level": "bi_mat",
                "summary": "Tóm tắt",
            },
        )
    errors = refused.value.extra["errors"]
    assert errors == {
        "doc_type": "Loại văn bản «XX» không hợp lệ. Dùng: " + ", ".join(_doc_types()) + ".",
        "number": "Số, ký hiệu phải là chữ.",
        "security_level": errors["security_level"],
        "issue_date": "Ngày ban hành không được sau hôm nay.",
        "title": "Cần nhập trích yếu.",
        "issuer": "Cần nhập cơ quan ban hành.",
        "received_date": "Ngày đến không được trước ngày ban hành.",
    }
    assert errors["security_level"].startswith("Độ mật «bi_mat» không hợp lệ.")
    # The summary rule needs a valid security level: it is not guessed from a wrong one.
    assert "summary" not in errors
    assert refused.value.message.startswith("Thông tin chưa hợp lệ: ")


def _doc_types():
    return list(DOC_TYPES)


def test_a_rule_between_fields_is_said_beside_the_later_field(app):
    with app.app_context(), pytest.raises(InvalidInput) as refused:
        parse(Registration, {**INCOMING, "received_date": "2025-05-01"})
    assert refused.value.extra["errors"] == {"received_date": "Ngày đến không được trước ngày ban hành."}
    with app.app_context(), pytest.raises(InvalidInput) as refused:
        parse(Dispatch, {"copies": "0", "sent_date": "2099-12-31"})
    assert refused.value.extra["errors"] == {
        "copies": "Số bản phải từ 1 đến 10000.",
        "sent_date": "Ngày gửi không được sau hôm nay.",
    }


def test_nothing_sent_takes_each_fields_default(app):
    with app.app_context():
        filters = parse(BookFilters, {})
        assert (filters.issuer, filters.doc_type, filters.overdue) == ("", None, False)
        assert filters.year is None  # the book's latest year, found by books.with_year


def test_the_page_marks_the_fields_the_command_requires(app):
    assert Registration.required_fields == {"doc_type", "number", "issue_date"}
    with app.test_request_context():
        form = RegistrationForm()
        assert form.number.flags.required and form.issue_date.flags.required
        assert not form.title.flags.required  # a top-secret entry has none
