"""Every route of the application × every role, generated from the app's own URL map.

A new route without a line here fails the first test. Each request carries what a careless or
hostile client would send: no form fields, an empty JSON object. Who may not use a route is
refused before anything they sent is looked at (403, or 404 for what they may not see); who
may is told what is missing (400), or the route answers.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from ancuu_docs.consultation import services as consultations
from ancuu_docs.consultation.commands import OpenConsultation
from ancuu_docs.documents import services
from ancuu_docs.documents.commands import Move, NewDocument
from ancuu_docs.drafting import services as drafting
from ancuu_docs.drafting.commands import NewTemplate
from ancuu_docs.timeutil import local_today
from tests import samples

ROLES = ("anonymous", "member", "clerk", "secretariat", "admin")

# (endpoint, method) -> (path, statuses for anonymous, member, clerk, secretariat, admin).
# Paths name the world's objects: {doc} a document in review, circulated to the member for
# comments (the clerk, not asked, may not read it), {meeting}, {item} an agenda item still to be
# voted on, {key} an uploaded template, {user} the member, {consultation} the member is asked in.
WEB = 302  # a page asked without signing in sends to the login page
API = 401
MATRIX = {
    ("home.index", "GET"): ("/", (WEB, 200, 200, 200, 200)),
    ("documents.index", "GET"): ("/documents", (WEB, 200, 200, 200, 200)),
    ("documents.create", "GET"): ("/documents/new", (WEB, 403, 200, 200, 200)),
    ("documents.create", "POST"): ("/documents/new", (WEB, 403, 400, 400, 400)),
    # The list of issuers is the admin's; issuer 1 is the first the settings filled it with.
    ("registers.issuer_list", "GET"): ("/admin/issuers", (WEB, 403, 403, 403, 200)),
    ("registers.issuer_list", "POST"): ("/admin/issuers", (WEB, 403, 403, 403, 400)),
    ("registers.issuer_edit", "GET"): ("/admin/issuers/1", (WEB, 403, 403, 403, 200)),
    ("registers.issuer_edit", "POST"): ("/admin/issuers/1", (WEB, 403, 403, 403, 400)),
    ("home.add", "GET"): ("/documents/add", (WEB, 403, 200, 200, 200)),
    # Intake 1 does not exist: the office's own staged files only (404), the others' refused first.
    ("registers.stage_file", "POST"): ("/documents/intake", (WEB, 403, 403, 400, 400)),
    ("registers.intake_status", "GET"): ("/documents/intake/1", (WEB, 403, 403, 404, 404)),
    ("registers_api.stage_intake", "POST"): ("/api/v1/intake", (API, 403, 403, 400, 400)),
    ("registers_api.read_intake", "GET"): ("/api/v1/intake/1", (API, 403, 403, 404, 404)),
    ("registers.register", "GET"): ("/documents/register", (WEB, 403, 403, 200, 200)),
    ("registers.register", "POST"): ("/documents/register", (WEB, 403, 403, 400, 400)),
    # {doc} is in review: not yet in the outgoing register (409 for the office).
    ("registers.dispatch", "POST"): ("/documents/{doc}/dispatch", (WEB, 403, 404, 302, 302)),
    ("registers_api.record_dispatch", "POST"): (
        "/api/v1/documents/{doc}/dispatch",
        (API, 403, 404, 409, 409),
    ),
    # {doc} is one of ours: it has no handler or reply deadline (409 for the office).
    # {doc} was never registered: it has no entry to correct or cancel (409 for the office).
    ("registers.correct", "GET"): ("/documents/{doc}/entry", (WEB, 403, 404, 409, 409)),
    ("registers.correct", "POST"): ("/documents/{doc}/entry", (WEB, 403, 404, 409, 409)),
    ("registers.cancel", "GET"): ("/documents/{doc}/cancel", (WEB, 403, 404, 409, 409)),
    ("registers.cancel", "POST"): ("/documents/{doc}/cancel", (WEB, 403, 404, 409, 409)),
    ("registers_api.cancel_entry", "POST"): ("/api/v1/documents/{doc}/cancel", (API, 403, 404, 400, 400)),
    ("registers.handling", "POST"): ("/documents/{doc}/handling", (WEB, 403, 404, 302, 302)),
    ("registers_api.record_handling", "POST"): (
        "/api/v1/documents/{doc}/handling",
        (API, 403, 404, 409, 409),
    ),
    # {doc} is a DOCX draft: it has no OCR rendition (404 for everyone who may read it).
    ("documents.download_rendition", "GET"): (
        "/documents/{doc}/versions/1/renditions/ocr",
        (WEB, 404, 404, 404, 404),
    ),
    ("documents_api.download_rendition", "GET"): (
        "/api/v1/documents/{doc}/versions/1/renditions/ocr",
        (API, 404, 404, 404, 404),
    ),
    # {doc} is a DOCX: it is read as HTML, it has no page images (404 for whoever may read it).
    ("documents.page_image", "GET"): (
        "/documents/{doc}/versions/1/pages/1.png",
        (WEB, 404, 404, 404, 404),
    ),
    ("registers.book", "GET"): ("/registers/incoming", (WEB, 200, 200, 200, 200)),
    ("registers_api.book", "GET"): ("/api/v1/registers/outgoing", (API, 200, 200, 200, 200)),
    ("documents.show", "GET"): ("/documents/{doc}", (WEB, 200, 404, 200, 200)),
    ("documents.diff", "GET"): ("/documents/{doc}/diff?from=1&to=1", (WEB, 200, 404, 200, 200)),
    ("documents.edit", "GET"): ("/documents/{doc}/edit", (WEB, 403, 404, 200, 200)),
    ("documents.edit", "POST"): ("/documents/{doc}/edit", (WEB, 403, 404, 400, 400)),
    ("documents.add_version", "GET"): ("/documents/{doc}/versions", (WEB, 403, 404, 200, 200)),
    ("documents.add_version", "POST"): ("/documents/{doc}/versions", (WEB, 403, 404, 400, 400)),
    ("documents.download", "GET"): ("/documents/{doc}/versions/1/file", (WEB, 200, 404, 200, 200)),
    # Buttons: refused form input is a message on the document page (302 back to it).
    ("documents.restore", "POST"): ("/documents/{doc}/versions/1/restore", (WEB, 403, 404, 302, 302)),
    ("documents.transition", "POST"): ("/documents/{doc}/transitions", (WEB, 403, 404, 302, 302)),
    # Approving asks first (the number it gives, the date, the signer): a page of its own.
    ("documents.approve", "GET"): ("/documents/{doc}/approve", (WEB, 403, 404, 200, 200)),
    ("documents.approve", "POST"): ("/documents/{doc}/approve", (WEB, 403, 404, 400, 400)),
    ("documents.add_relation", "POST"): ("/documents/{doc}/relations", (WEB, 403, 404, 302, 302)),
    ("audit.index", "GET"): ("/audit", (WEB, 403, 403, 200, 200)),
    ("search.search", "GET"): ("/search?q=", (WEB, 200, 200, 200, 200)),
    ("drafting.index", "GET"): ("/drafts", (WEB, 403, 200, 200, 200)),
    ("drafting.fill", "GET"): ("/drafts/resolution", (WEB, 403, 200, 200, 200)),
    ("drafting.fill", "POST"): ("/drafts/resolution", (WEB, 403, 400, 400, 400)),
    ("drafting.admin_templates", "GET"): ("/admin/templates", (WEB, 403, 403, 403, 200)),
    ("drafting.admin_templates", "POST"): ("/admin/templates", (WEB, 403, 403, 403, 400)),
    ("drafting.admin_template", "GET"): ("/admin/templates/{key}", (WEB, 403, 403, 403, 200)),
    ("drafting.admin_template", "POST"): ("/admin/templates/{key}", (WEB, 403, 403, 403, 400)),
    ("drafting.admin_template_file", "GET"): (
        "/admin/templates/{key}/versions/1/file",
        (WEB, 403, 403, 403, 200),
    ),
    ("meetings.index", "GET"): ("/meetings", (WEB, 200, 200, 200, 200)),
    ("meetings.create", "GET"): ("/meetings/new", (WEB, 403, 403, 200, 200)),
    ("meetings.create", "POST"): ("/meetings/new", (WEB, 403, 403, 400, 400)),
    ("meetings.show", "GET"): ("/meetings/{meeting}", (WEB, 200, 200, 200, 200)),
    ("meetings.add_agenda_item", "POST"): ("/meetings/{meeting}/agenda", (WEB, 403, 403, 400, 400)),
    ("meetings.hold", "POST"): ("/meetings/{meeting}/attendance", (WEB, 403, 403, 400, 400)),
    ("meetings.decide", "POST"): ("/meetings/{meeting}/agenda/{item}/decision", (WEB, 403, 403, 400, 400)),
    # The minutes are drafted (and drafted again); closing asks to be confirmed first (400).
    ("meetings.minutes", "POST"): ("/meetings/{meeting}/minutes", (WEB, 403, 403, 302, 302)),
    ("meetings.close", "POST"): ("/meetings/{meeting}/close", (WEB, 403, 403, 400, 400)),
    ("meetings.package", "GET"): ("/meetings/{meeting}/package", (WEB, 200, 200, 200, 200)),
    ("auth.login", "GET"): ("/login", (200, 302, 302, 302, 302)),
    ("auth.login", "POST"): ("/login", (400, 302, 302, 302, 302)),
    ("auth.logout", "POST"): ("/logout", (WEB, 302, 302, 302, 302)),
    ("auth.users", "GET"): ("/admin/users", (WEB, 403, 403, 403, 200)),
    ("auth.users", "POST"): ("/admin/users", (WEB, 403, 403, 403, 400)),
    ("auth.user_edit", "GET"): ("/admin/users/{user}", (WEB, 403, 403, 403, 200)),
    ("auth.user_edit", "POST"): ("/admin/users/{user}", (WEB, 403, 403, 403, 400)),
    ("auth.user_token", "POST"): ("/admin/users/{user}/token", (WEB, 403, 403, 403, 200)),
    ("health_api.health_check", "GET"): ("/api/v1/health", (200, 200, 200, 200, 200)),
    ("documents_api.list_documents", "GET"): ("/api/v1/documents", (API, 200, 200, 200, 200)),
    ("documents_api.create_document", "POST"): ("/api/v1/documents", (API, 403, 400, 400, 400)),
    ("documents_api.get_document", "GET"): ("/api/v1/documents/{doc}", (API, 200, 404, 200, 200)),
    # An empty change changes nothing, for those who may change it.
    ("documents_api.update_document", "PATCH"): ("/api/v1/documents/{doc}", (API, 403, 404, 200, 200)),
    ("documents_api.diff", "GET"): ("/api/v1/documents/{doc}/diff?from=1&to=1", (API, 200, 404, 200, 200)),
    ("documents_api.add_relation", "POST"): ("/api/v1/documents/{doc}/relations", (API, 403, 404, 400, 400)),
    ("documents_api.transition", "POST"): ("/api/v1/documents/{doc}/transitions", (API, 403, 404, 400, 400)),
    ("documents_api.add_version", "POST"): ("/api/v1/documents/{doc}/versions", (API, 403, 404, 400, 400)),
    ("documents_api.download", "GET"): ("/api/v1/documents/{doc}/versions/1/file", (API, 200, 404, 200, 200)),
    ("documents_api.restore_version", "POST"): (
        "/api/v1/documents/{doc}/versions/1/restore",
        (API, 403, 404, 400, 400),
    ),
    ("drafting_api.templates", "GET"): ("/api/v1/templates", (API, 200, 200, 200, 200)),
    ("drafting_api.create_draft", "POST"): ("/api/v1/drafts", (API, 403, 400, 400, 400)),
    ("meetings_api.list_meetings", "GET"): ("/api/v1/meetings", (API, 200, 200, 200, 200)),
    ("meetings_api.create_meeting", "POST"): ("/api/v1/meetings", (API, 403, 403, 400, 400)),
    ("meetings_api.get_meeting", "GET"): ("/api/v1/meetings/{meeting}", (API, 200, 200, 200, 200)),
    ("meetings_api.add_agenda_item", "POST"): (
        "/api/v1/meetings/{meeting}/agenda",
        (API, 403, 403, 400, 400),
    ),
    ("meetings_api.hold", "POST"): ("/api/v1/meetings/{meeting}/attendance", (API, 403, 403, 400, 400)),
    ("meetings_api.decide", "POST"): (
        "/api/v1/meetings/{meeting}/agenda/{item}/decision",
        (API, 403, 403, 400, 400),
    ),
    ("meetings_api.minutes", "POST"): ("/api/v1/meetings/{meeting}/minutes", (API, 403, 403, 201, 201)),
    ("meetings_api.close", "POST"): ("/api/v1/meetings/{meeting}/close", (API, 403, 403, 409, 409)),
    ("meetings_api.package", "GET"): ("/api/v1/meetings/{meeting}/package", (API, 200, 200, 200, 200)),
    ("search_api.search", "GET"): ("/api/v1/search?q=", (API, 200, 200, 200, 200)),
    # {consultation} asks the member (not the clerk) about {doc}; the secretariat closes it.
    ("consultation.open_form", "GET"): ("/documents/{doc}/consultations/new", (WEB, 403, 403, 200, 200)),
    ("consultation.open_form", "POST"): ("/documents/{doc}/consultations/new", (WEB, 403, 403, 400, 400)),
    ("consultation.show", "GET"): ("/consultations/{consultation}", (WEB, 200, 404, 200, 200)),
    ("consultation.answer", "POST"): ("/consultations/{consultation}/answers", (WEB, 400, 404, 403, 403)),
    ("consultation.close", "POST"): ("/consultations/{consultation}/close", (WEB, 403, 403, 302, 302)),
    ("consultation.summary", "GET"): (
        "/consultations/{consultation}/summary.docx",
        (WEB, 403, 404, 200, 200),
    ),
    ("consultation_api.list_consultations", "GET"): ("/api/v1/consultations", (API, 200, 200, 200, 200)),
    ("consultation_api.open_consultation", "POST"): (
        "/api/v1/documents/{doc}/consultations",
        (API, 403, 403, 400, 400),
    ),
    ("consultation_api.get_consultation", "GET"): (
        "/api/v1/consultations/{consultation}",
        (API, 200, 404, 200, 200),
    ),
    ("consultation_api.answer", "POST"): (
        "/api/v1/consultations/{consultation}/answers",
        (API, 400, 404, 403, 403),
    ),
    ("consultation_api.close", "POST"): (
        "/api/v1/consultations/{consultation}/close",
        (API, 403, 403, 200, 409),
    ),
    ("consultation_api.summary", "GET"): (
        "/api/v1/consultations/{consultation}/summary.docx",
        (API, 403, 404, 200, 200),
    ),
    ("auth.own_password", "GET"): ("/account/password", (WEB, 200, 200, 200, 200)),
    ("auth.own_password", "POST"): ("/account/password", (WEB, 400, 400, 400, 400)),
}


def test_every_route_has_its_line(app):
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes - set(MATRIX) == set(), "routes without a line in MATRIX"
    assert set(MATRIX) - routes == set(), "lines for routes that no longer exist"


@pytest.fixture
def world(api, accounts):
    """A document in review, a held meeting with an item to vote on, an uploaded template."""
    office = accounts["secretariat"].user
    doc = services.create_document(
        office,
        NewDocument.of(title="Nghị quyết về chuyển đổi số", doc_type="NQ"),
        services.Upload(samples.docx(["Dự thảo nghị quyết về chuyển đổi số"]), "nq.docx"),
    )
    services.transition(office, doc.id, Move.of(to="in_review"))
    asked = OpenConsultation.of(
        group="named", users=[accounts["member"].id], deadline=local_today() + timedelta(days=30)
    )
    consultation = consultations.open_consultation(office, doc.id, asked)
    meeting = api(
        "secretariat",
        "POST",
        "/meetings",
        json={**samples.CONFERENCE, "ordinal": 3, "date": "2025-12-01", "total_members": 3},
    ).json
    item = {
        "title": "Thông qua Nghị quyết về chuyển đổi số",
        "presenter": "Trần Thị Hoa",
        "document_id": doc.id,
    }
    agenda = api("secretariat", "POST", f"/meetings/{meeting['id']}/agenda", json=item).json["agenda"]
    held = api(
        "secretariat", "POST", f"/meetings/{meeting['id']}/attendance", json={"present": 3, "absent": []}
    )
    assert held.status_code == 200, held.json
    resolution = drafting.get_template("resolution")
    drafting.create_custom_template(
        accounts["admin"].user,
        NewTemplate.of(key="nghi-quyet-rieng", name="Nghị quyết (mẫu riêng)", doc_type="NQ"),
        services.Upload(drafting.template_file(resolution), "nghi-quyet.docx"),
    )
    return {
        "doc": doc.id,
        "meeting": meeting["id"],
        "item": agenda[0]["id"],
        "key": "nghi-quyet-rieng",
        "user": accounts["member"].id,
        "consultation": consultation.id,
    }


@pytest.mark.parametrize(("endpoint", "method"), list(MATRIX), ids=[f"{m} {e}" for e, m in MATRIX])
def test_route_answers_each_role(app, accounts, world, login, endpoint, method):
    path, expected = MATRIX[(endpoint, method)]
    url = path.format(**world)
    answers = []
    for role in ROLES:
        client = app.test_client() if role == "anonymous" else login(role)
        headers = {}
        if url.startswith("/api/") and role != "anonymous":
            headers = accounts[role].headers
        options = {"json": {}} if url.startswith("/api/") and method in ("POST", "PATCH") else {}
        response = client.open(url, method=method, headers=headers, **options)
        answers.append(response.status_code)
        if response.status_code >= 400 and not url.startswith("/api/"):
            assert "Traceback" not in response.get_data(as_text=True)
    assert tuple(answers) == expected, dict(zip(ROLES, answers, strict=True))


# Every name the application reads from a query string, a form or a JSON body.
FIELD_NAMES = [
    "absent",
    "action",
    "base_version",
    "body",
    "comment",
    "confidential",
    "copies",
    "date",
    "date_from",
    "date_to",
    "doc_type",
    "document_id",
    "end_time",
    "expanded",
    "fields",
    "format",
    "from",
    "handler",
    "intake",
    "issue_date",
    "issuer",
    "next",
    "number",
    "ordinal",
    "origin",
    "outcome",
    "overdue",
    "page",
    "per_page",
    "present",
    "q",
    "recipients",
    "relation",
    "replied_date",
    "reply_due",
    "requires_vote",
    "security_level",
    "sent_date",
    "signer",
    "sort",
    "start_time",
    "status",
    "summary",
    "target_id",
    "target_number",
    "template",
    "term",
    "title",
    "to",
    "total_members",
    "year",
    "username",
    "password",
    "display_name",
    "role",
    "key",
    "name",
    "doc_type_filter",
    "presenter",
    "position",
    "method",
    "in_favour",
    "against",
    "abstaining",
    "v",
    "tim",
    "choice",
    "deadline",
    "group",
    "question",
    "users",
    "version",
    "committee",
    "current_password",
    "new_password",
    "repeat_password",
]


def test_nul_characters_in_any_field_of_any_route_never_answer_5xx(app, accounts, world, login):
    """PostgreSQL refuses text with NUL outright: every route must refuse it as bad input first."""
    hostile = {name: "x\x00y" for name in FIELD_NAMES}
    answers = {}
    for role in ("secretariat", "admin"):
        client = login(role)
        for (endpoint, method), (path, _expected) in MATRIX.items():
            url = path.format(**world)
            if url.startswith("/api/"):
                options = {"headers": accounts[role].headers}
                if method in ("POST", "PATCH"):
                    options["json"] = hostile
            else:
                options = {"data": hostile} if method == "POST" else {}
            separator = "&" if "?" in url else "?"
            query = "&".join(f"{name}=x%00y" for name in FIELD_NAMES)
            response = client.open(f"{url}{separator}{query}", method=method, **options)
            answers[(role, endpoint, method)] = response.status_code
            assert b"Traceback" not in response.data
    assert {key: status for key, status in answers.items() if status >= 500} == {}


def test_the_hostile_field_names_cover_what_the_code_reads():
    import re
    from pathlib import Path

    source = "\n".join(p.read_text() for p in Path("ancuu_docs").rglob("*.py"))
    read = set(re.findall(r'(?:args|form|data|body)\.get(?:list)?\("([a-z_]+)"', source))
    read |= set(re.findall(r'query_int\("([a-z_]+)"', source))
    assert read - set(FIELD_NAMES) == set()
