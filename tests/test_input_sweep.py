"""Every field of every route, sent as what a broken or hostile client sends: never a 5xx.

The routes come from the URL map (through the route matrix, which has a line for each); the
fields of each are those its handler really reads, found by asking each route once with a
request that notes every name looked up in its query string, form or JSON body (nested JSON
objects too). Each field is then sent, one at a time, in place of its value in a body that is
otherwise right: as a number, a fraction, a boolean, a list, an object, null, integers past
any column (and below), a negative one, a string with NUL. Forms get the same as text, a
repeated field for the list. Every answer is checked: below 500, no trace, and for the API an
`error` in words. The counts, and the longest write transaction seen, go to
ANCUU_SWEEP_REPORT when it names a file.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections import Counter

from flask import Request
from sqlalchemy import event
from werkzeug.datastructures import ImmutableMultiDict

from ancuu_docs.extensions import db
from tests import samples
from tests.test_registering import DIRECTIVE
from tests.test_route_matrix import MATRIX, world  # noqa: F401 (the fixture)

HUGE = 2**70
JSON_VALUES = [7, 1.5, True, False, [], ["x"], {}, {"k": "v"}, None, HUGE, -HUGE, -1, "x\x00y"]
FORM_VALUES = ["7", "1.5", "true", ["a", "b"], "{}", "", str(HUGE), str(-HUGE), "-1", "x\x00y"]

_SEEN = threading.local()


def _note(name) -> None:
    names = getattr(_SEEN, "names", None)
    if names is not None and isinstance(name, str):
        names.add(name)


class NotingMultiDict(ImmutableMultiDict):
    """A query string or form that notes the names looked up in it."""

    def __getitem__(self, key):
        _note(key)
        return super().__getitem__(key)

    def get(self, key, default=None, type=None):
        _note(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):
        _note(key)
        return super().getlist(key, type)

    def __contains__(self, key):
        _note(key)
        return super().__contains__(key)


class NotingDict(dict):
    """A JSON object that notes the names looked up in it (`prefix.name` when nested)."""

    def __init__(self, data: dict, prefix: str = ""):
        super().__init__({k: _noting(v, f"{prefix}{k}.") for k, v in data.items()})
        self.prefix = prefix

    def get(self, key, default=None):
        _note(f"{self.prefix}{key}")
        return super().get(key, default)

    def __getitem__(self, key):
        _note(f"{self.prefix}{key}")
        return super().__getitem__(key)

    def __contains__(self, key):
        _note(f"{self.prefix}{key}")
        return super().__contains__(key)


def _noting(value, prefix: str):
    return NotingDict(value, prefix) if isinstance(value, dict) else value


class NotingRequest(Request):
    parameter_storage_class = NotingMultiDict

    def get_json(self, *args, **kwargs):
        body = super().get_json(*args, **kwargs)
        return NotingDict(body) if isinstance(body, dict) else body


# What a right request of each route carries, so a hostile field meets the checks behind the
# first ones. Names the handler reads beyond these are found by asking it.
DOCUMENT = {
    "title": "Nghị quyết về chuyển đổi số",
    "doc_type": "NQ",
    "summary": "Tóm tắt",
    "confidential": "false",
}
DRAFT_FIELDS = {
    "date": "2025-11-05",
    "meeting": "Hội nghị lần thứ hai",
    "subject": "về chuyển đổi số",
    "opening": "Ngày 05 tháng 11 năm 2025.",
    "body": "I- NỘI DUNG\nTriển khai.",
    "signature_authority": "T/M ĐẢNG ỦY",
    "signer_title": "BÍ THƯ",
    "signer_name": "Nguyễn Văn Hùng",
}
AGENDA = {
    "title": "Thông qua",
    "presenter": "Trần Thị Hoa",
    "presenter_position": "Chánh Văn phòng",
    "discussion": "",
}
VOTE = {"method": "Giơ tay", "in_favour": 3, "against": 0, "abstaining": 0, "conclusion": "", "confirm": "y"}
BASELINES = {
    "documents.create": DOCUMENT,
    "registers.register": {**DIRECTIVE, "term": "2025-2030", "security_level": "none", "action": "register"},
    "registers.dispatch": {"recipients": "Thành ủy", "copies": "2", "sent_date": "2025-11-06"},
    "registers.handling": {"handler": "Trần Thị Hoa", "reply_due": "2025-12-01", "replied_date": ""},
    "documents.edit": {"title": "Nghị quyết", "summary": "", "signer": "", "confidential": ""},
    "documents.add_version": {"base_version": "1", "comment": "Sửa"},
    "documents.restore": {"base_version": "1"},
    "documents.transition": {"to": "draft"},
    "documents.approve": {"issue_date": "2025-11-05", "signer": "Nguyễn Văn Hùng", "confirm": "y"},
    "documents.add_relation": {"relation": "refers_to", "target_number": "46-CT/TW"},
    "drafting.fill": {**DRAFT_FIELDS, "action": "preview"},
    "drafting.admin_templates": {"key": "mau-moi", "name": "Mẫu mới", "doc_type": "NQ", "fields": "[]"},
    "drafting.admin_template": {"fields": "[]", "comment": ""},
    "meetings.create": {**samples.CONFERENCE, "ordinal": 9},
    "meetings.add_agenda_item": AGENDA,
    "meetings.hold": {"present": 3, "absent-0-name": "", "absent-0-reason": ""},
    "meetings.decide": VOTE,
    "meetings.close": {"confirm": "y"},
    "auth.login": {"username": "member", "password": "member-password"},
    "auth.users": {
        "username": "nguoi-moi",
        "display_name": "Người mới",
        "role": "member",
        "password": "mat-khau-moi-1",
    },
    "auth.user_edit": {"role": "member", "active": "y", "password": "", "committee": ""},
    "auth.own_password": {
        "current_password": "sai",
        "new_password": "mat-khau-moi-2",
        "repeat_password": "x",
    },
    "consultation.open_form": {
        "group": "named",
        "users": "",
        "deadline": "2099-01-01",
        "question": "Ý kiến?",
    },
    "consultation.answer": {"choice": "agree", "comment": "", "version": "1"},
    "documents_api.create_document": {"title": "Nghị quyết", "doc_type": "NQ"},
    "documents_api.update_document": {"title": "Nghị quyết", "summary": "Tóm tắt"},
    "documents_api.add_relation": {"relation": "refers_to", "target_number": "46-CT/TW"},
    "documents_api.transition": {"to": "approved", "issue_date": "2025-11-05", "signer": "Nguyễn Văn Hùng"},
    "documents_api.add_version": {"base_version": "1", "comment": "Sửa"},
    "documents_api.restore_version": {"base_version": 1},
    "registers_api.record_dispatch": {"recipients": "Thành ủy", "copies": 2, "sent_date": "2025-11-06"},
    "registers_api.record_handling": {"handler": "Trần Thị Hoa", "reply_due": "2025-12-01"},
    "drafting_api.create_draft": {"template": "resolution", "title": "Nghị quyết", "fields": DRAFT_FIELDS},
    "meetings_api.create_meeting": {**samples.CONFERENCE, "ordinal": 8},
    "meetings_api.add_agenda_item": {**AGENDA, "requires_vote": True},
    "meetings_api.hold": {"present": 3, "absent": [{"name": "Lê Văn Cường", "reason": "ốm"}]},
    "meetings_api.decide": {k: v for k, v in VOTE.items() if k != "confirm"},
    "consultation_api.open_consultation": {
        "group": "executive",
        "deadline": "2099-01-01",
        "question": "Ý kiến?",
    },
    "consultation_api.answer": {"choice": "agree", "comment": "", "version": 1},
    "search.search": {"q": "nghị quyết", "sort": "date", "page": "1"},
    "search_api.search": {"q": "nghị quyết", "sort": "date", "page": "1", "per_page": "10"},
    "documents.index": {"sort": "date", "page": "1"},
    "documents_api.list_documents": {"sort": "date", "page": "1", "per_page": "10"},
    "registers.book": {"year": "2025"},
    "registers_api.book": {"year": "2025"},
    "audit.index": {"page": "1"},
    "documents.show": {"v": "1", "tim": "nghị quyết"},
}
# Asked last (they change the accounts the sweep uses), or as the one asked for comments.
LAST = ("auth.users", "auth.user_edit", "auth.user_token", "auth.own_password")
AS_MEMBER = ("consultation.answer", "consultation_api.answer")
SKIPPED = {("auth.logout", "POST")}  # ends the session the sweep goes on with


class WriteTimes:
    """The longest transaction that wrote (held SQLite's write lock, or rows' locks), from its
    start to its end: a transaction that only read is not counted (it blocks no writer)."""

    def __init__(self, engine):
        self.started: dict[int, float] = {}
        self.writing: set[int] = set()
        self.longest = 0.0
        event.listen(engine, "begin", self._begin)
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", self._end)
        event.listen(engine, "rollback", self._end)

    def _begin(self, connection):
        self.started[id(connection)] = time.perf_counter()

    def _statement(self, connection, _cursor, statement, *_args):
        words = statement.lstrip()[:6].upper()
        if words in ("INSERT", "UPDATE", "DELETE") or "FOR UPDATE" in statement:
            self.writing.add(id(connection))

    def _end(self, connection):
        started = self.started.pop(id(connection), None)
        if started is not None and id(connection) in self.writing:
            self.longest = max(self.longest, time.perf_counter() - started)
        self.writing.discard(id(connection))


def _order(key) -> int:
    endpoint, method = key
    if endpoint in AS_MEMBER:
        return 0
    if method == "GET":
        return 1
    return 3 if endpoint in LAST else 2


def _send(client, url: str, method: str, api: bool, body: dict, headers: dict):
    if method == "GET":
        return client.open(url, method="GET", query_string=body, headers=headers)
    if api:
        return client.open(url, method=method, json=body, headers=headers)
    return client.open(url, method=method, data=body, headers=headers)


def _fields(client, url, method, api, baseline, headers) -> set[str]:
    """The names the route's handler looks up, asked with its baseline (or one dummy field:
    an empty form is not even read)."""
    _SEEN.names = set()
    try:
        _send(client, url, method, api, baseline or {"_": "x"}, headers)
        return {n for n in _SEEN.names if n not in ("csrf_token", "_")} | set(baseline)
    finally:
        _SEEN.names = None


def _replace(body: dict, name: str, value) -> dict:
    """`body` with the (perhaps nested: "fields.subject") field `name` set to `value`."""
    head, _, rest = name.partition(".")
    if rest and isinstance(body.get(head), dict):
        return {**body, head: _replace(body[head], rest, value)}
    return {**body, name: value}


def test_no_field_of_any_route_ever_answers_5xx(app, accounts, world, login):  # noqa: F811
    app.request_class = NotingRequest
    times = WriteTimes(db.engine)
    clients = {"admin": login("admin"), "member": login("member"), None: app.test_client()}
    counts: Counter = Counter()
    failures = []
    for endpoint, method in sorted(MATRIX, key=_order):
        if (endpoint, method) in SKIPPED:
            continue
        path, _expected = MATRIX[(endpoint, method)]
        url = path.split("?")[0].format(**world)
        api = url.startswith("/api/")
        role = "member" if endpoint in AS_MEMBER else (None if endpoint == "auth.login" else "admin")
        client = clients[role]
        headers = accounts[role].headers if api and role else {}
        baseline = BASELINES.get(endpoint, {})
        values = JSON_VALUES if api and method != "GET" else FORM_VALUES
        for name in sorted(_fields(client, url, method, api, baseline, headers)):
            for value in values:
                body = _replace(baseline, name, value)
                if not api or method == "GET":
                    body = {k: v if isinstance(v, (str, list)) else json.dumps(v) for k, v in body.items()}
                response = _send(client, url, method, api, body, headers)
                counts[response.status_code // 100] += 1
                text = response.get_data(as_text=True)
                bad = response.status_code >= 500 or "Traceback" in text
                if api and 400 <= response.status_code < 500:
                    bad = bad or not (response.is_json and response.json.get("error"))
                if bad:
                    failures.append((endpoint, method, name, repr(value)[:40], response.status_code))
    report = {
        "requests": sum(counts.values()),
        "by_class": {f"{k}xx": v for k, v in sorted(counts.items())},
        "longest_write_transaction_s": round(times.longest, 3),
    }
    if os.environ.get("ANCUU_SWEEP_REPORT"):
        with open(os.environ["ANCUU_SWEEP_REPORT"], "a") as out:
            out.write(json.dumps(report) + "\n")
    assert failures == [], failures[:20]
    assert counts[4] > 1000 and report["requests"] > 2000, report
