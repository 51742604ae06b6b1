"""The role x endpoint matrix: who may see and do what, through the API and the pages."""

from __future__ import annotations

import pytest

from ancuu_docs.auth.commands import UserChange
from ancuu_docs.documents import services
from ancuu_docs.documents.commands import Move, NewDocument
from tests import samples

ROLES = ("member", "clerk", "secretariat", "admin")


@pytest.fixture
def world(accounts):
    """One document in each situation a permission depends on."""
    office, clerk = accounts["secretariat"].user, accounts["clerk"].user

    def make(key, author, *, confidential=False, path=()):
        doc = services.create_document(
            author,
            NewDocument.of(title=f"Văn bản {key}", doc_type="NQ", confidential=confidential),
            services.Upload(samples.docx([f"Nội dung riêng của {key}"]), f"{key}.docx"),
        )
        for step in path:
            services.transition(office, doc.id, Move.of(to=step))
        return doc.id

    return {
        "office_draft": make("office_draft", office),
        "clerk_draft": make("clerk_draft", clerk),
        "in_review": make("in_review", office, path=("in_review",)),
        "approved": make("approved", office, path=("in_review", "approved")),
        "secret": make("secret", office, confidential=True, path=("in_review", "approved")),
        "withdrawn": make("withdrawn", office, path=("withdrawn",)),
    }


# Who may read which document: the documented rule, written out.
READABLE = {
    "member": {"approved"},
    "clerk": {"approved", "clerk_draft"},
    "secretariat": {"office_draft", "clerk_draft", "in_review", "approved", "secret", "withdrawn"},
    "admin": {"office_draft", "clerk_draft", "in_review", "approved", "secret", "withdrawn"},
}
DOCS = ("office_draft", "clerk_draft", "in_review", "approved", "secret", "withdrawn")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", DOCS)
def test_read_endpoints(api, world, role, key):
    doc_id = world[key]
    expected = 200 if key in READABLE[role] else 404
    assert api(role, "GET", f"/documents/{doc_id}").status_code == expected
    assert api(role, "GET", f"/documents/{doc_id}/versions/1/file").status_code == expected
    assert api(role, "GET", f"/documents/{doc_id}/diff?from=1&to=1").status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_lists_show_only_readable_documents(api, world, role):
    listed = api(role, "GET", "/documents?per_page=100").json
    names = {k for k, v in world.items() if v in {d["id"] for d in listed["documents"]}}
    assert names == READABLE[role]
    assert listed["total"] == len(READABLE[role])
    drafts = api(role, "GET", "/documents?status=draft").json
    assert {d["id"] for d in drafts["documents"]} == {world[k] for k in READABLE[role] if "draft" in k}


@pytest.mark.parametrize("role", ROLES)
def test_search_finds_only_readable_documents(api, world, role):
    """The same rule in the index: what every member reads is marked there, the rest is
    asked of the database per search."""
    found = api(role, "GET", "/search", query_string={"q": '"nội dung riêng"', "per_page": 50}).json
    assert {k for k, v in world.items() if v in {hit["id"] for hit in found["hits"]}} == READABLE[role]
    assert found["total"] == len(READABLE[role])
    assert sum(found["facets"]["status"].values()) == len(READABLE[role])


@pytest.mark.parametrize(
    ("role", "expected"), [("member", 403), ("clerk", 201), ("secretariat", 201), ("admin", 201)]
)
def test_create(api, accounts, role, expected):
    assert api.upload(role).status_code == expected


@pytest.mark.parametrize(
    ("role", "expected"), [("member", 403), ("clerk", 403), ("secretariat", 201), ("admin", 201)]
)
def test_create_confidential(api, accounts, role, expected):
    assert api.upload(role, confidential="true").status_code == expected


# (role, document) -> status for adding a version with the right base.
ADD_VERSION = {
    ("member", "in_review"): 404,
    ("member", "clerk_draft"): 404,
    ("member", "approved"): 409,
    ("clerk", "clerk_draft"): 201,
    ("clerk", "in_review"): 404,
    ("clerk", "office_draft"): 404,
    ("clerk", "approved"): 409,
    ("secretariat", "office_draft"): 201,
    ("secretariat", "clerk_draft"): 201,
    ("secretariat", "in_review"): 201,
    ("secretariat", "approved"): 409,
    ("secretariat", "withdrawn"): 409,
    ("admin", "secret"): 409,
    ("admin", "in_review"): 201,
}


@pytest.mark.parametrize(("role", "key"), list(ADD_VERSION))
def test_add_version(api, world, role, key):
    response = api.add_version(role, world[key], samples.docx([f"Bản sửa của {role}"]), base_version=1)
    assert response.status_code == ADD_VERSION[(role, key)], response.json


TRANSITION = {
    ("member", "in_review"): 404,
    ("member", "office_draft"): 404,
    ("clerk", "clerk_draft"): 403,
    ("clerk", "in_review"): 404,
    ("secretariat", "in_review"): 200,
    ("secretariat", "secret"): 409,
    ("admin", "in_review"): 200,
    ("admin", "office_draft"): 409,
}


@pytest.mark.parametrize(("role", "key"), list(TRANSITION))
def test_transition(api, world, role, key):
    response = api.transition(role, world[key], "approved")
    assert response.status_code == TRANSITION[(role, key)], response.json


EDIT = {
    ("member", "in_review"): 404,
    ("member", "approved"): 403,
    ("member", "secret"): 404,
    ("clerk", "clerk_draft"): 403,
    ("secretariat", "office_draft"): 200,
    ("admin", "clerk_draft"): 200,
    ("secretariat", "approved"): 409,
}


@pytest.mark.parametrize(("role", "key"), list(EDIT))
def test_metadata_edit(api, world, role, key):
    response = api(role, "PATCH", f"/documents/{world[key]}", json={"summary": "Tóm tắt mới"})
    assert response.status_code == EDIT[(role, key)], response.json


def test_no_or_bad_token_is_401_everywhere(api, world):
    doc_id = world["approved"]
    for method, path in [
        ("GET", "/documents"),
        ("GET", f"/documents/{doc_id}"),
        ("POST", "/documents"),
        ("POST", f"/documents/{doc_id}/transitions"),
        ("GET", f"/documents/{doc_id}/versions/1/file"),
    ]:
        response = api(None, method, path)
        assert response.status_code == 401 and response.is_json, path
        assert response.headers["WWW-Authenticate"] == 'Bearer realm="ancuu-docs"', path
        response = api(None, method, path, headers={"Authorization": "Bearer not-a-token"})
        assert response.status_code == 401, path
        assert 'error="invalid_token"' in response.headers["WWW-Authenticate"], path
    assert api(None, "GET", "/health").json == {"status": "ok"}


def test_deactivated_user_token_stops_working(api, accounts):
    from ancuu_docs.auth import services as users

    users.update_user(None, accounts["member"].id, UserChange.of(active=False))
    assert api("member", "GET", "/documents").status_code == 401


# Web pages: (path template, {role: status}).
PAGES = [
    ("/", {"member": 200, "clerk": 200, "secretariat": 200, "admin": 200}),
    ("/documents/new", {"member": 403, "clerk": 200, "secretariat": 200, "admin": 200}),
    ("/audit", {"member": 403, "clerk": 403, "secretariat": 200, "admin": 200}),
    ("/admin/users", {"member": 403, "clerk": 403, "secretariat": 403, "admin": 200}),
    ("/documents/{in_review}", {"member": 404, "clerk": 404, "secretariat": 200, "admin": 200}),
    ("/documents/{secret}", {"member": 404, "clerk": 404, "secretariat": 200, "admin": 200}),
    ("/documents/{clerk_draft}", {"member": 404, "clerk": 200, "secretariat": 200, "admin": 200}),
    ("/documents/{in_review}/edit", {"member": 404, "clerk": 404, "secretariat": 200, "admin": 200}),
    ("/documents/{in_review}/versions", {"member": 404, "clerk": 404, "secretariat": 200, "admin": 200}),
    ("/documents/{approved}/edit", {"member": 403, "clerk": 403, "secretariat": 409, "admin": 409}),
    ("/documents/{clerk_draft}/versions", {"member": 404, "clerk": 200, "secretariat": 200, "admin": 200}),
    (
        "/documents/{approved}/versions/1/file",
        {"member": 200, "clerk": 200, "secretariat": 200, "admin": 200},
    ),
    ("/documents/{secret}/versions/1/file", {"member": 404, "clerk": 404, "secretariat": 200, "admin": 200}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("path", "expected"), PAGES, ids=[p for p, _ in PAGES])
def test_pages(login, world, role, path, expected):
    client = login(role)
    response = client.get(path.format(**world))
    assert response.status_code == expected[role]
    if response.status_code in (403, 404):
        assert "Lỗi" in response.get_data(as_text=True)  # a page in Vietnamese, no trace


@pytest.mark.parametrize("role", ROLES)
def test_web_transition_and_restore_buttons(login, world, role):
    client = login(role)
    response = client.post(f"/documents/{world['in_review']}/transitions", data={"to": "approved"})
    assert response.status_code == (302 if role in ("secretariat", "admin") else 404)
    response = client.post(f"/documents/{world['approved']}/transitions", data={"to": "superseded"})
    assert response.status_code == (302 if role in ("secretariat", "admin") else 403)
    response = client.post(f"/documents/{world['secret']}/transitions", data={"to": "withdrawn"})
    assert response.status_code == (302 if role in ("secretariat", "admin") else 404)


def test_pages_need_login(client, world):
    for path in ("/", "/documents/new", f"/documents/{world['approved']}", "/audit", "/admin/users"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path


def test_document_page_shows_only_the_buttons_this_user_may_press(login, world):
    member_page = login("member").get(f"/documents/{world['approved']}").get_data(as_text=True)
    assert "Phê duyệt và cấp số" not in member_page and "Tải lên phiên bản mới" not in member_page
    assert "Sửa thông tin" not in member_page
    office_page = login("secretariat").get(f"/documents/{world['in_review']}").get_data(as_text=True)
    assert "Phê duyệt và cấp số" in office_page and "Trả lại để sửa" in office_page
    assert "Gửi xem xét" not in office_page  # already in review
