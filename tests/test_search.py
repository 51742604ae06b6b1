"""Search the way members type: with or without diacritics, numbers, phrases, on real text."""

from __future__ import annotations

import unicodedata

import pytest

from ancuu_docs.documents import services
from ancuu_docs.documents.commands import Move, NewDocument
from tests import samples
from tests.conftest import BOTH_ENGINES, HeldWriter

pytestmark = BOTH_ENGINES

LAND = (
    "Nghị quyết về tăng cường công tác quản lý đất đai, trật tự xây dựng và vệ sinh môi trường. "
    "Ban Chấp hành Đảng bộ phường thống nhất đồng ý ban hành. Ủy ban nhân dân phường chủ trì."
)
REPORT = (
    "Báo cáo kết quả lãnh đạo năm 2025. Tổng thu ngân sách ước đạt 181,55 tỷ đồng; "
    "tiếp nhận 4.817 hồ sơ thủ tục hành chính, 97% đúng hạn. Triển khai Chỉ thị số 46-CT/TW "
    "về bầu cử đại biểu Quốc hội. Đoàn thanh niên ở các tổ dân phố hưởng ứng."
)
PROGRAMME = (
    "Chương trình kiểm tra, giám sát toàn khóa theo Quy định số 296-QĐ/TW. "
    "Kiểm tra việc quản lý tài chính, đất công; giám sát đảng viên. Uỷ ban Kiểm tra Đảng ủy thực hiện."
)
LOOKALIKE = "Thông báo kết quả đạt đài phát thanh phường; các khu dân cư đạt chuẩn văn minh."
SECRET = "Phương án khẩn cấp di dời chợ Cống, tuyệt đối giữ kín."
DRAFT = "Dự thảo kế hoạch chỉnh trang kiệt hẻm Lê Ngô Cát."


def _doc(
    office,
    text,
    *,
    title,
    doc_type="NQ",
    path=("in_review", "approved"),
    confidential=False,
    filename="tai-lieu.txt",
    data=None,
):
    doc = services.create_document(
        office,
        NewDocument.of(title=title, doc_type=doc_type, confidential=confidential),
        services.Upload(data if data is not None else text.encode(), filename),
    )
    for step in path:
        services.transition(office, doc.id, Move.of(to=step))
    return doc.id


@pytest.fixture
def library(accounts):
    office = accounts["secretariat"].user
    ids = {
        "land": _doc(
            office,
            LAND,
            title="Nghị quyết về quản lý đất đai, trật tự xây dựng",
            data=samples.docx(LAND.split(". ")),
            filename="nq-dat-dai.docx",
        ),
        "report": _doc(office, REPORT, title="Báo cáo kết quả lãnh đạo năm 2025", doc_type="BC"),
        "programme": _doc(
            office,
            PROGRAMME,
            title="Chương trình kiểm tra, giám sát toàn khóa",
            doc_type="CTr",
            path=("in_review",),
        ),
        "lookalike": _doc(office, LOOKALIKE, title="Thông báo về đài phát thanh", doc_type="TB"),
        "secret": _doc(office, SECRET, title="Phương án di dời chợ", doc_type="KH", confidential=True),
        "draft": _doc(office, DRAFT, title="Kế hoạch chỉnh trang kiệt hẻm", doc_type="KH", path=()),
    }
    return ids


def find(api, q, role="member", **params):
    response = api(role, "GET", "/search", query_string={"q": q, **params})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json


def ids(result):
    return [hit["id"] for hit in result["hits"]]


# ------------------------------------------------------------------ analysis


def test_accent_free_query_finds_the_accented_document(api, library):
    result = find(api, "nghi quyet quan ly dat dai")
    assert ids(result) == [library["land"]]
    assert "<mark>quản</mark>" in result["hits"][0]["highlights"]["title"]


def test_d_with_stroke_folds_to_d(api, library):
    assert library["land"] in ids(find(api, "dang bo phuong dong y"))
    assert library["land"] in ids(find(api, "ĐẢNG BỘ PHƯỜNG"))


def test_old_and_new_tone_placement_match(api, library):
    new_style = ids(find(api, "uỷ ban kiểm tra", role="secretariat"))
    old_style = ids(find(api, "ủy ban kiểm tra", role="secretariat"))
    assert library["programme"] in new_style  # the programme writes "Uỷ ban"
    assert new_style == old_style
    assert library["land"] in ids(find(api, "uỷ ban nhân dân"))  # the resolution writes "Ủy ban"


def test_decomposed_query_is_normalised(api, library):
    nfd = unicodedata.normalize("NFD", "quản lý đất đai")
    assert nfd != "quản lý đất đai"
    assert ids(find(api, nfd)) == [library["land"]]


def test_decomposed_document_text_is_found(api, accounts):
    office = accounts["secretariat"].user
    text = unicodedata.normalize("NFD", "Nghị quyết về phát triển kinh tế số")
    doc_id = _doc(office, text, title="Kinh tế số")
    assert ids(find(api, "kinh tế số")) == [doc_id]
    assert ids(find(api, "nghị quyết phát triển")) == [doc_id]


@pytest.mark.parametrize("typed", ["46-CT/TW", "46-ct/tw"])
def test_referenced_document_numbers_are_found_as_typed(api, library, typed):
    assert ids(find(api, typed)) == [library["report"]]


@pytest.mark.parametrize("typed", ["05-NQ/ĐU", "05-nq/du", "05-Nq/đu"])
def test_own_numbers_are_found_exactly(api, accounts, typed):
    office = accounts["secretariat"].user
    numbered = [
        _doc(office, f"Nghị quyết thứ {i} về công tác dân vận", title=f"Nghị quyết {i}") for i in range(1, 6)
    ]
    result = find(api, typed)
    assert result["hits"][0]["id"] == numbered[4]
    assert result["hits"][0]["number"] == "05-NQ/ĐU"
    assert result["total"] == 1


def test_numbers_written_the_vietnamese_way(api, library):
    assert ids(find(api, "181,55")) == [library["report"]]
    assert ids(find(api, "4.817")) == [library["report"]]
    assert "<mark>181,55</mark>" in find(api, "181,55")["hits"][0]["highlights"]["content"]


def test_one_letter_words_are_kept(api, library):
    # "ý" is a word: "đồng ý" must not shrink to "đồng" (which the report also has).
    assert ids(find(api, "đồng ý")) == [library["land"]]
    assert ids(find(api, "thanh niên ở")) == [library["report"]]


def test_quoted_phrase(api, library):
    assert ids(find(api, '"quản lý đất đai"')) == [library["land"]]
    # Both words stand in the programme too, but apart ("quản lý tài chính, đất công").
    assert library["programme"] in ids(find(api, "quản lý đất", role="secretariat"))
    assert library["programme"] not in ids(find(api, '"quản lý đất"', role="secretariat"))


def test_exact_matches_rank_above_folded_ones(api, library):
    result = find(api, "đạt đài")
    assert ids(result)[:1] == [library["lookalike"]]
    result = find(api, "đất đai")
    assert ids(result)[0] == library["land"]
    both = find(api, "dat dai")  # typed without marks: both documents match, folded
    assert set(ids(both)) >= {library["land"], library["lookalike"]}


# ------------------------------------------------------------------ queries


def test_all_words_required_or_not_and_prefix(api, library):
    assert ids(find(api, "ngân sách trật tự")) == []
    assert set(ids(find(api, "ngân sách OR trật tự"))) == {library["report"], library["land"]}
    assert set(ids(find(api, "kết quả NOT ngân sách"))) == {library["lookalike"]}
    assert library["report"] in ids(find(api, "ngân sác*"))
    assert library["programme"] in ids(find(api, "chuong*", role="secretariat"))


def test_filters_sort_facets_and_pages(api, library):
    everything = find(api, "", role="secretariat", per_page=50)
    assert everything["total"] == 6
    assert everything["facets"]["doc_type"] == {"NQ": 1, "BC": 1, "CTr": 1, "TB": 1, "KH": 2}
    assert everything["facets"]["status"] == {"approved": 4, "in_review": 1, "draft": 1}
    assert sum(everything["facets"]["year"].values()) == 6

    assert ids(find(api, "", role="secretariat", doc_type="KH", status="draft")) == [library["draft"]]
    assert find(api, "kết quả", term="2030-2035")["total"] == 0
    assert find(api, "kết quả", term="2025-2030")["total"] == 2
    assert find(api, "kết quả", date_from="2000-01-01", date_to="2000-12-31")["total"] == 0
    assert find(api, "kết quả", date_from="2020-01-01")["total"] == 2

    first = find(api, "", role="secretariat", per_page=4, sort="date")
    second = find(api, "", role="secretariat", per_page=4, page=2, sort="date")
    assert len(first["hits"]) == 4 and len(second["hits"]) == 2
    assert not set(ids(first)) & set(ids(second))


def test_highlights_mark_words_and_escape_the_rest(api, accounts):
    office = accounts["secretariat"].user
    _doc(
        office,
        "Kế hoạch <script>alert(1)</script> tuyên truyền pháp luật & đất đai",
        title="Kế hoạch <b>tuyên truyền</b>",
        doc_type="KH",
    )
    hit = find(api, "tuyên truyền")["hits"][0]
    assert hit["highlights"]["title"] == "Kế hoạch &lt;b&gt;<mark>tuyên</mark> <mark>truyền</mark>&lt;/b&gt;"
    content = hit["highlights"]["content"]
    assert "&lt;script&gt;" in content and "<script>" not in content
    assert "<mark>tuyên</mark>" in content and "&amp;" in content


def test_did_you_mean(api, library):
    result = find(api, "thanh nieen")
    assert result["total"] == 0
    assert result["suggestion"] == "thanh nien"
    assert ids(find(api, result["suggestion"])) == [library["report"]]
    assert find(api, "đất đai")["suggestion"] is None


# Malformed input -> what it means: a query it stands for, "nothing" (0 hits) or a 400.
MALFORMED = [
    ('"quản lý', '"quản lý"'),  # an unclosed quote closes at the end
    ("(đất đai", "đất đai"),
    ("đất đai)", "đất đai"),
    ("đất AND OR đai", "đất đai"),
    ("kết quả AND OR ngân", "kết quả ngân"),  # the word after dropped operators is kept
    ("(" * 300 + "đất đai", 400),  # nested too deep: refused, not a crash
    ("*", ""),  # everything, as browsing
    ("AND", "nothing"),
    ("OR", "nothing"),
    ("NOT", "nothing"),
    ('"', 400),
    ("((", 400),
    (":", 400),
]


@pytest.mark.parametrize(("bad", "meaning"), MALFORMED, ids=[bad[:40] for bad, _ in MALFORMED])
def test_malformed_queries_answer_results_or_a_clear_400(api, library, bad, meaning):
    response = api("member", "GET", "/search", query_string={"q": bad})
    if meaning == 400:
        assert response.status_code == 400
        assert response.json["error"].startswith("Không hiểu câu tìm kiếm.")
    elif meaning == "nothing":
        assert response.status_code == 200 and response.json["total"] == 0
    else:
        assert response.status_code == 200
        assert ids(response.json) == ids(find(api, meaning)) and ids(response.json)


def test_very_long_query_is_a_clear_400(api, library):
    response = api("member", "GET", "/search", query_string={"q": "đất đai " * 700})
    assert response.status_code == 400
    assert "quá dài" in response.json["error"]


@pytest.mark.parametrize(
    "params",
    [
        {"page": "0"},
        {"page": "x"},
        {"per_page": "1000"},
        {"sort": "size"},
        {"doc_type": "ZZ"},
        {"status": "gone"},
        {"date_from": "2025-13-01"},
        {"date_from": "2025-12-01", "date_to": "2025-01-01"},
        {"issuer": "Tỉnh ủy " * 30},
    ],
)
def test_bad_parameters_are_400(api, library, params):
    response = api("member", "GET", "/search", query_string={"q": "đất đai", **params})
    assert response.status_code == 400 and response.json["error"]


# ------------------------------------------------------------------ permissions


def test_member_never_sees_confidential_or_draft_words(api, library):
    for words in ("di dời chợ Cống", "khẩn cấp", "chỉnh trang kiệt hẻm", "Lê Ngô Cát"):
        result = find(api, words)
        assert result["total"] == 0 and result["hits"] == []
        assert all(counts == {} for counts in result["facets"].values()), result["facets"]
        assert result["suggestion"] is None
    # A near miss of a word only the secret document holds suggests nothing.
    assert find(api, "khẩn cấpp")["suggestion"] is None
    assert find(api, "di doii cho")["suggestion"] is None
    # The office finds them.
    assert ids(find(api, "di dời chợ Cống", role="secretariat")) == [library["secret"]]
    assert ids(find(api, "Lê Ngô Cát", role="clerk")) == []


def test_facet_counts_leave_out_what_the_user_may_not_read(api, library):
    facets = find(api, "")["facets"]
    # The programme in review is the office's (and whoever is asked to comment on it).
    assert facets["doc_type"] == {"NQ": 1, "BC": 1, "TB": 1}
    assert facets["status"] == {"approved": 3}


def test_a_document_restricted_is_hidden_before_the_index_knows(app, api, library):
    """The index says "every member reads it"; the database says restricted now: hidden from
    the total, the facets and the suggestions at once, and after the index has caught up."""
    from ancuu_docs.search import indexing

    phrase = '"lãnh đạo bầu cử"'
    registered = api(
        "secretariat",
        "POST",
        "/documents",
        json={
            "origin": "incoming",
            "doc_type": "CT",
            "title": "Chỉ thị về lãnh đạo bầu cử đại biểu Quốc hội",
            "number": "46-CT/TW",
            "issuer": "Bộ Chính trị",
            "issue_date": "2025-06-16",
            "received_date": "2025-06-20",
        },
    )
    assert registered.status_code == 201, registered.json
    assert find(api, phrase)["total"] == 1
    app.config["INDEX_LOCK_TIMEOUT"] = 0.05
    lock = _hold_index_lock(app)
    try:
        path = f"/documents/{registered.json['id']}"
        assert api("secretariat", "PATCH", path, json={"confidential": True}).status_code == 200
        assert indexing.pending_jobs() == 1  # the index could not be told, and still says "public"
        result = find(api, phrase)
        assert result["total"] == 0 and result["hits"] == []
        assert result["facets"]["doc_type"] == {}
        assert find(api, '"lanh dao bau cuu"')["suggestion"] is None
    finally:
        lock.cancel()
    indexing.retry_all_now()
    indexing.flush_outbox()
    assert indexing.pending_jobs() == 0
    assert find(api, phrase)["total"] == 0
    assert ids(find(api, phrase, role="secretariat")) == [registered.json["id"]]


def test_a_document_approved_is_found_before_the_index_knows(app, api, library):
    """The index says "a draft"; the database says approved now: every member finds it."""
    from ancuu_docs.search import indexing

    assert find(api, "Lê Ngô Cát")["total"] == 0
    app.config["INDEX_LOCK_TIMEOUT"] = 0.05
    lock = _hold_index_lock(app)
    try:
        for step in ("in_review", "approved"):
            assert api.transition("secretariat", library["draft"], step).status_code == 200
        assert indexing.pending_jobs() == 2  # one per step, neither indexed
        assert ids(find(api, "Lê Ngô Cát")) == [library["draft"]]
    finally:
        lock.cancel()
    indexing.retry_all_now()
    indexing.flush_outbox()
    assert indexing.pending_jobs() == 0
    assert ids(find(api, "Lê Ngô Cát")) == [library["draft"]]


def test_a_clerk_finds_their_own_drafts_and_nobody_else_does(api, accounts, library):
    upload = api.upload("clerk", title="Dự thảo báo cáo tổ dân phố Ngự Bình", data=samples.docx(["Ngự Bình"]))
    assert upload.status_code == 201
    assert ids(find(api, "Ngự Bình", role="clerk")) == [upload.json["id"]]
    assert find(api, "Ngự Bình", role="member")["total"] == 0
    # Not the office's drafts, though: the clerk reads their own.
    assert find(api, "chỉnh trang kiệt hẻm", role="clerk")["total"] == 0
    assert find(api, "", role="clerk")["facets"]["status"] == {"approved": 3, "draft": 1}


# ------------------------------------------------------------------ consistency


def _hold_index_lock(app):
    """A second writer holding the index lock, as another process would."""
    from ancuu_docs.search import indexing

    with app.app_context():
        indexing.ensure_index()
        return HeldWriter(indexing.store())


def test_failed_index_write_never_loses_or_blocks_an_upload(app, api, library):
    from ancuu_docs.search import indexing

    app.config["INDEX_LOCK_TIMEOUT"] = 0.05
    lock = _hold_index_lock(app)
    try:
        response = api.upload("secretariat", title="Kế hoạch phòng chống lụt bão năm 2026", doc_type="KH")
        assert response.status_code == 201
        assert indexing.pending_jobs() == 1
        assert find(api, "lụt bão", role="secretariat")["total"] == 0  # not yet in the index
    finally:
        lock.cancel()
    # The job waits for its backoff; `index sync` (or the next due flush) indexes it.
    result = app.test_cli_runner().invoke(args=["index", "sync"])
    assert result.exit_code == 0, result.output
    assert indexing.pending_jobs() == 0
    assert ids(find(api, "lụt bão", role="secretariat")) == [response.json["id"]]


def test_index_follows_every_change(api, library):
    doc = api.upload("secretariat", title="Kế hoạch tổ chức Tết Trung thu", doc_type="KH").json
    assert ids(find(api, "Trung thu", role="secretariat")) == [doc["id"]]
    api.add_version(
        "secretariat", doc["id"], samples.docx(["Vui Tết Trung thu cho thiếu nhi khu vực 5"]), base_version=1
    )
    assert ids(find(api, "thiếu nhi khu vực", role="secretariat")) == [doc["id"]]
    api("secretariat", "PATCH", f"/documents/{doc['id']}", json={"title": "Kế hoạch vui Tết thiếu nhi"})
    assert ids(find(api, "vui tết thiếu nhi", role="secretariat")) == [doc["id"]]
    assert find(api, "Trung thu", role="member")["total"] == 0
    api.transition("secretariat", doc["id"], "in_review")
    assert find(api, "Trung thu", role="member")["total"] == 0  # in review: the office's
    approved = api.transition("secretariat", doc["id"], "approved").json
    assert ids(find(api, "Trung thu", role="member")) == [doc["id"]]
    result = find(api, approved["number"], role="member")
    assert ids(result) == [doc["id"]] and result["hits"][0]["status"] == "approved"


def test_cancelled_writer_is_never_committed(app, library):
    from ancuu_docs.search import indexing

    before = indexing.store().stamps()
    with pytest.raises(RuntimeError), indexing.store().writer() as writer:
        writer.delete(f"document:{library['land']}")
        raise RuntimeError("interrupted")
    assert indexing.store().stamps() == before


def test_check_repair_mends_a_damaged_index(app, api, library):
    from ancuu_docs.search import indexing
    from ancuu_docs.searchable import SearchEntry

    land, report = f"document:{library['land']}", f"document:{library['report']}"
    entry = next(e for batch in indexing.entries([report]) for e in batch)
    stale = SearchEntry(**{**entry.__dict__, "stamp": "2000-01-01T00:00:00#1", "content": "nội dung cũ"})
    ghost = SearchEntry(**{**entry.__dict__, "key": "document:999999", "title": "Văn bản ma"})
    indexing.store().apply([stale, ghost], deletes=[land])
    assert ids(find(api, "quản lý đất đai")) == []

    runner = app.test_cli_runner()
    result = runner.invoke(args=["index", "check"])
    assert result.exit_code == 1
    assert f"Thiếu: 1 ({land})" in result.output
    assert f"Cũ: 1 ({report})" in result.output
    assert "Thừa: 1 (document:999999)" in result.output

    result = runner.invoke(args=["index", "check", "--repair"])
    assert result.exit_code == 0 and "Đã sửa" in result.output
    assert runner.invoke(args=["index", "check"]).exit_code == 0
    assert ids(find(api, "quản lý đất đai")) == [library["land"]]
    assert ids(find(api, "181,55")) == [library["report"]]


def test_rebuild_shows_progress_and_swaps_in_a_new_generation(app, library):
    from ancuu_docs.search import indexing

    before = indexing.store().current_generation()
    result = app.test_cli_runner().invoke(args=["index", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "Dựng chỉ mục" in result.output and "6/6" in result.output
    after = indexing.store().current_generation()
    assert after != before
    assert indexing.check().ok


def test_rebuild_killed_halfway_leaves_search_working(app, instance, api, library):
    import subprocess
    import sys
    import textwrap

    from ancuu_docs.search import indexing

    before = indexing.store().current_generation()
    script = textwrap.dedent(
        f"""
        import os
        from ancuu_docs import create_app
        from ancuu_docs.search import indexing
        app = create_app({{"SECRET_KEY": "t", "UPLOAD_FOLDER": {str(instance / "uploads")!r}}},
                         instance_path={str(instance)!r})
        with app.app_context():
            def die(_n):
                os._exit(9)  # killed: no cleanup, no cancel, no exception handlers
            indexing.rebuild(progress=die, chunk=2)
        """
    )
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert completed.returncode == 9, completed.stderr
    generations = indexing.store().generations()
    assert len(generations) == 2  # the half-built one is left on disk
    (half_built,) = set(generations) - {before}
    assert indexing.store().current_generation() == before
    assert ids(find(api, "quản lý đất đai")) == [library["land"]]
    # The next rebuild clears the leftover, completes, and keeps the one it replaced.
    rebuilt = indexing.rebuild()
    assert indexing.check().ok
    assert set(indexing.store().generations()) == {before, rebuilt}
    assert half_built not in indexing.store().generations()


def test_a_stale_index_is_reported_by_search_and_rebuilt_by_the_worker(app, api, login, library):
    """A search never rebuilds: it says the index is not ready; the worker builds it again."""
    import json

    from ancuu_docs.search import indexing

    pointer = indexing.store().root / "CURRENT"
    info = json.loads(pointer.read_text())
    pointer.write_text(json.dumps({**info, "schema_version": info["schema_version"] - 1}))
    response = api("member", "GET", "/search", query_string={"q": "quản lý đất đai"})
    assert response.status_code == 503 and "Chỉ mục tìm kiếm đang được dựng lại" in response.json["error"]
    page = login("member").get("/search", query_string={"q": "đất đai"})
    assert page.status_code == 503 and "Chỉ mục tìm kiếm đang được dựng lại" in page.get_data(as_text=True)
    assert json.loads(pointer.read_text())["generation"] == info["generation"]  # search built nothing

    indexing.worker_step(verify=True)
    assert ids(find(api, "quản lý đất đai")) == [library["land"]]
    assert indexing.store().current_generation() not in (None, info["generation"])


# ------------------------------------------------------------------ pages


def test_search_page_with_facets_snippets_and_suggestion(login, library):
    client = login("member")
    page = client.get("/search", query_string={"q": "quan ly dat dai"}).get_data(as_text=True)
    assert "<mark>quản</mark> <mark>lý</mark> <mark>đất</mark> <mark>đai</mark>" in page
    assert "<h3>Loại</h3>" in page and "1 kết quả" in page
    page = client.get("/search", query_string={"q": "thanh nieen"}).get_data(as_text=True)
    assert "Có phải bạn muốn tìm" in page and "thanh nien" in page
    response = client.get("/search", query_string={"q": "x" * 600})
    assert response.status_code == 400 and "quá dài" in response.get_data(as_text=True)


def test_search_box_on_every_page(login, library):
    client = login("member")
    for path in ("/", f"/documents/{library['land']}", "/search?q=đất"):
        assert 'role="search"' in client.get(path).get_data(as_text=True)


def test_document_page_lists_similar_documents_the_user_may_read(login, accounts, library):
    office = accounts["secretariat"].user
    twin = _doc(office, LAND + " Bổ sung nhiệm vụ năm 2026.", title="Nghị quyết bổ sung về quản lý đất đai")
    page = login("member").get(f"/documents/{library['land']}").get_data(as_text=True)
    assert "Văn bản tương tự" in page and f"/documents/{twin}" in page
    assert f'/documents/{library["secret"]}"' not in page


def test_single_changes_keep_the_index_compact(api, accounts):
    """Each change commits a small segment; tiny ones are merged once a few have gathered."""
    from ancuu_docs.search import indexing
    from ancuu_docs.search.engines.whoosh import MERGE_AT

    office = accounts["secretariat"].user
    for i in range(MERGE_AT * 2 + 3):
        _doc(
            office, f"Thông báo số {i} về lịch tiếp công dân", title=f"Thông báo {i}", doc_type="TB", path=()
        )
    segments = indexing.store().open().segment_count()
    assert 1 <= segments <= MERGE_AT
    assert find(api, "lịch tiếp công dân", role="secretariat")["total"] == MERGE_AT * 2 + 3


def test_repeated_searches_are_answered_from_the_cache_and_never_stale(api, library):
    from ancuu_docs.search.querying import RESULTS_CACHE

    first = find(api, "đất đai")
    hits_before = RESULTS_CACHE.hits
    assert find(api, "đất đai") == first and RESULTS_CACHE.hits == hits_before + 1
    # Spacing typed differently is the same query: one answer.
    assert find(api, "đất  đai ") == first and RESULTS_CACHE.hits == hits_before + 2
    # The office may read more: its answer is its own, never served to a member.
    assert ids(find(api, "di dời chợ Cống", role="secretariat")) == [library["secret"]]
    assert find(api, "di dời chợ Cống")["total"] == 0
    # Any change to the index makes new keys: the new document shows at once.
    made = api.upload("secretariat", title="Nghị quyết về quản lý đất đai đô thị").json
    api.transition("secretariat", made["id"], "in_review")
    api.transition("secretariat", made["id"], "approved")
    again = find(api, "đất đai")
    assert made["id"] in ids(again) and again["total"] == first["total"] + 1


def test_the_results_cache_is_bounded(search_backend):
    from ancuu_docs.search.querying import Results, ResultsCache

    cache = ResultsCache(3)
    for n in range(5):
        cache.put(("k", n), Results(total=n, hits=[]))
    assert len(cache) == 3 and cache.get(("k", 0)) is None and cache.get(("k", 4)).total == 4
    cache.get(("k", 2))
    cache.put(("k", 5), Results(total=5, hits=[]))
    assert cache.get(("k", 2)) is not None and cache.get(("k", 3)) is None  # least recently used went


def test_the_results_cache_can_be_turned_off(instance, database_url, search_backend):
    from ancuu_docs.search.querying import RESULTS_CACHE
    from tests.conftest import _make_app

    _make_app(instance, DATABASE_URL=database_url, SEARCH_RESULTS_CACHE=0)
    assert RESULTS_CACHE.size == 0
    _make_app(instance, DATABASE_URL=database_url)
    assert RESULTS_CACHE.size == 256


def test_changing_the_engine_rebuilds_the_index(app, api, library, search_backend):
    """The pointer file names the engine: the other engine's index is not read, it is rebuilt."""
    from ancuu_docs.search import indexing

    app.config["SEARCH_BACKEND"] = "tantivy" if search_backend == "whoosh" else "whoosh"
    assert indexing.store().current_generation() is None
    response = api("member", "GET", "/search", query_string={"q": "quản lý đất đai"})
    assert response.status_code == 503
    indexing.worker_step(verify=True)
    assert ids(find(api, "quản lý đất đai")) == [library["land"]]


def test_a_misspelt_engine_stops_the_start(instance, database_url, search_backend):
    from tests.conftest import _make_app

    with pytest.raises(ValueError, match="SEARCH_BACKEND must be one of whoosh, tantivy"):
        _make_app(instance, DATABASE_URL=database_url, SEARCH_BACKEND="elastic")
