"""The hostile-file corpus (tests/hostile_files.py), each file uploaded as a clerk would:
refused with a 4xx that says why in Vietnamese and nothing left behind, or stored cleanly — the
same bytes downloaded, the page read without an error, page images drawn or refused, OCR ended
(done, or failed once with its reason), its copies gone, the store matching the database."""

from __future__ import annotations

import hashlib
import re

import pytest

from ancuu_docs import storage_check
from ancuu_docs.documents.models import Document
from ancuu_docs.extensions import db
from ancuu_docs.ocr import services as ocr
from ancuu_docs.ocr.models import JobStatus, OcrJob
from tests.conftest import uploads_files
from tests.hostile_files import KINDS
from tests.tools import needs

# Scans and photos among them are read by OCR, for real.
pytestmark = needs("ocrmypdf", "tesseract-vie")

VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.I)


@pytest.fixture
def app_settings(tmp_path):
    return {"OCR_IN_PROCESS": False, "OCR_TEMPORARY_FOLDER": str(tmp_path / "ocr-tmp")}


def _read_everything(api, login, doc: dict) -> None:
    client = login("clerk")
    page = client.get(f"/documents/{doc['id']}")
    assert page.status_code == 200 and "Traceback" not in page.get_data(as_text=True)
    image = client.get(f"/documents/{doc['id']}/versions/1/pages/1.png")
    assert image.status_code in (200, 404), image.status_code
    assert api("clerk", "GET", f"/documents/{doc['id']}").status_code == 200


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_hostile_file_is_refused_or_stored_cleanly(app, api, login, tmp_path, kind):
    filename, make, expected = KINDS[kind]
    data = make()
    response = api.upload("clerk", data=data, filename=filename, title=f"Tệp thử: {kind}")
    if expected == "refused":
        assert 400 <= response.status_code < 500, (response.status_code, response.json)
        message = response.json["error"]
        assert VIETNAMESE.search(message) and "Traceback" not in message, message
        db.session.rollback()
        assert db.session.query(Document).count() == 0 and uploads_files(app) == []
        return
    assert response.status_code == 201, response.json
    doc = response.json
    stored = api("clerk", "GET", f"/documents/{doc['id']}/versions/1/file").data
    assert hashlib.sha256(stored).digest() == hashlib.sha256(data).digest()
    while ocr.run_one():  # what the worker does, here and now
        pass
    db.session.rollback()
    for job in db.session.query(OcrJob):
        assert job.status in (JobStatus.DONE, JobStatus.FAILED), (job.status, job.error)
        if job.status == JobStatus.FAILED:
            assert VIETNAMESE.search(job.error) and job.attempts == 1, (job.error, job.attempts)
    assert not list((tmp_path / "ocr-tmp").glob("ancuu-ocr-*"))
    _read_everything(api, login, doc)
    report = storage_check.check()
    assert report.ok and not report.orphans and not report.missing
