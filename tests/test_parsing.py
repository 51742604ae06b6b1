"""The one set of parsers behind every form, API body and command: typed values or a Vietnamese
message naming the field."""

from __future__ import annotations

from datetime import date, time

import pytest

from ancuu_docs import parsing
from ancuu_docs.errors import InvalidInput


def _refusal(parser, *args, **kwargs) -> tuple[str | None, str]:
    with pytest.raises(InvalidInput) as caught:
        parser(*args, **kwargs)
    return caught.value.field, caught.value.message


def test_integers_with_bounds_and_defaults():
    assert parsing.integer(" 14 ", field="present", label="số có mặt", low=0, high=15) == 14
    assert parsing.integer("", field="page", label="trang", default=1) == 1
    assert _refusal(parsing.integer, "", field="present", label="số có mặt") == (
        "present",
        "Cần nhập số có mặt.",
    )
    assert _refusal(parsing.integer, "16", field="present", label="số có mặt", low=0, high=15) == (
        "present",
        "Số có mặt phải từ 0 đến 15.",
    )
    assert _refusal(parsing.integer, "mười", field="n", label="số") == ("n", "Số phải là số nguyên.")
    assert _refusal(parsing.integer, True, field="n", label="số")[1] == "Số phải là số nguyên."


def test_times_as_vietnamese_write_them():
    for typed in ("14:00", "14h00", "14g00"):
        assert parsing.time_of_day(typed, field="t", label="giờ") == time(14, 0)
    assert (
        _refusal(parsing.time_of_day, "24:00", field="t", label="giờ")[1] == "Giờ không hợp lệ (dạng hh:mm)."
    )
    assert parsing.time_of_day("", field="t", label="giờ", required=False) is None


def test_dates_texts_choices_and_flags():
    assert parsing.day("2025-11-05", field="d", label="ngày họp") == date(2025, 11, 5)
    assert _refusal(parsing.day, "5/11/2025", field="d", label="ngày họp")[1] == (
        "Ngày họp không hợp lệ (dạng YYYY-MM-DD)."
    )
    assert parsing.text("  Hội trường  ", field="p", label="địa điểm", limit=20) == "Hội trường"
    assert (
        _refusal(parsing.text, "x" * 21, field="p", label="địa điểm", limit=20)[1]
        == "Địa điểm dài quá 20 ký tự."
    )
    assert (
        _refusal(parsing.text, {"a": 1}, field="p", label="địa điểm", limit=20)[1] == "Địa điểm phải là chữ."
    )
    assert (
        _refusal(parsing.choice, "x", ["a", "b"], field="c", label="loại")[1]
        == "Loại «x» không hợp lệ. Dùng: a, b."
    )
    assert [parsing.boolean(v) for v in ("có", "on", "1", True, "", "0", None, "không")] == [True] * 4 + [
        False
    ] * 4


def test_checks_gather_every_error():
    check = parsing.Checks()
    check(parsing.text, "", field="place", label="địa điểm", limit=300, required=True)
    check(parsing.day, "hôm nay", field="date", label="ngày họp")
    assert check(parsing.integer, "15", field="total", label="tổng số") == 15
    with pytest.raises(InvalidInput) as caught:
        check.done()
    assert caught.value.extra["errors"] == {
        "place": "Cần nhập địa điểm.",
        "date": "Ngày họp không hợp lệ (dạng YYYY-MM-DD).",
    }
    assert caught.value.field == "place"
