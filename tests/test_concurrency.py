"""Two people changing the same draft at the same moment: one wins, one is told, nothing is left over."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from ancuu_docs import storage
from ancuu_docs.documents.models import DocumentVersion
from ancuu_docs.documents.services import versions
from ancuu_docs.extensions import db
from tests import samples
from tests.conftest import uploads_files


@pytest.fixture
def both_checked(monkeypatch):
    """Call to hold each of the next two uploads after its checks (policy, stale base, file)
    and before its transaction, until both have been checked: the race the write lock decides."""

    def arm() -> None:
        barrier = threading.Barrier(2, timeout=20)
        check_upload = versions.check_upload

        def checked_then_wait(upload):
            extracted = check_upload(upload)
            barrier.wait()
            return extracted

        monkeypatch.setattr(versions, "check_upload", checked_then_wait)

    return arm


def _race(client, accounts, doc_id: int, payloads: list[bytes]) -> list[int]:
    """Post a new version of `doc_id` on base 1 from two threads at once; their statuses."""
    statuses: list[int] = []

    def post(data: bytes) -> None:
        form = {"base_version": "1", "file": (samples.stream(data), "ban-sua.docx")}
        response = client.post(
            f"/api/v1/documents/{doc_id}/versions",
            data=form,
            content_type="multipart/form-data",
            headers=accounts["clerk"].headers,
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=post, args=(data,)) for data in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(statuses)


def test_two_versions_on_the_same_base_one_wins_one_conflicts(client, api, accounts, both_checked):
    doc = api.upload("clerk", data=samples.docx(["Dự thảo ban đầu"])).json
    both_checked()
    statuses = _race(
        client, accounts, doc["id"], [samples.docx(["Bản sửa của A"]), samples.docx(["Bản sửa của B"])]
    )
    assert statuses == [201, 409]
    versions_now = api("clerk", "GET", f"/documents/{doc['id']}").json["versions"]
    assert [v["n"] for v in versions_now] == [1, 2]


def test_the_losing_upload_leaves_no_file(app, client, api, accounts, both_checked):
    doc = api.upload("clerk", data=samples.docx(["Dự thảo ban đầu"])).json
    both_checked()
    statuses = _race(
        client, accounts, doc["id"], [samples.docx(["Bản sửa thứ nhất"]), samples.docx(["Bản sửa thứ hai"])]
    )
    assert statuses == [201, 409]
    kept = {Path(storage.path_for(sha)) for sha in db.session.scalars(db.select(DocumentVersion.sha256))}
    assert set(uploads_files(app)) == kept and len(kept) == 2
