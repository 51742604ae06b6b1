"""Whatever a member types, search answers with results or a clear 400, never a 500."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import BOTH_ENGINES
from tests.test_search import library  # noqa: F401  (the fixture)

pytestmark = BOTH_ENGINES

SYNTAX = [
    '"',
    "(",
    ")",
    "*",
    "?",
    ":",
    "^",
    "~",
    "[",
    "]",
    "{",
    "}",
    "-",
    "/",
    "\\",
    "'",
    " ",
    "AND",
    "OR",
    "NOT",
    "ANDNOT",
    "TO",
    "đ",
    "Đ",
    "ủy",
    "uỷ",
    "46-CT/TW",
    "05-nq/du",
    "181,55",
    "\u0301",
    "\x00",
]
queries = st.one_of(
    st.text(max_size=80),
    st.lists(
        st.sampled_from(SYNTAX) | st.text(alphabet="aăâdđeêioôơuưyàáảãạ", min_size=1, max_size=6), max_size=25
    ).map(" ".join),
    st.text(min_size=400, max_size=700),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    q=queries,
    page=st.integers(min_value=-2, max_value=5),
    sort=st.sampled_from(["", "date", "relevance", "x"]),
)
def test_random_queries_never_fail(api, library, q, page, sort):  # noqa: F811
    response = api("member", "GET", "/search", query_string={"q": q, "page": str(page), "sort": sort})
    assert response.status_code in (200, 400), (q, response.get_data(as_text=True)[:300])
    assert response.is_json
    if response.status_code == 400:
        assert response.json["error"]
    else:
        assert response.json["total"] >= len(response.json["hits"])
