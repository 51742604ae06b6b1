"""Scans and photos: read by OCR in the background, found by search, originals untouched."""

from __future__ import annotations

import hashlib
import io
import time

import pytest

from ancuu_docs.extensions import db
from ancuu_docs.ocr import services as ocr
from ancuu_docs.ocr.models import JobStatus, OcrJob
from ancuu_docs.search import indexing
from tests import samples
from tests.processes import start_worker, wait_for
from tests.tools import needs

pytestmark = needs("ocrmypdf", "tesseract-vie")

RESOLUTION = [
    [
        "ĐẢNG BỘ THÀNH PHỐ HUẾ",
        "ĐẢNG ỦY PHƯỜNG AN CỰU",
        "Số 05-NQ/ĐU",
        "NGHỊ QUYẾT",
        "về xây dựng lối sống đô thị văn minh",
    ],
    ["Tăng cường tuyên truyền, vận động Nhân dân", "giữ gìn vệ sinh môi trường đô thị."],
    ["Nghị quyết này được phổ biến đến các chi bộ."],
]


def wait_for_ocr(api, doc_id: int, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.rollback()
        job = db.session.query(OcrJob).order_by(OcrJob.id.desc()).first()
        # Done, and its text indexed: the index job is flushed just after the job's commit.
        if (
            job is not None
            and job.status in (JobStatus.DONE, JobStatus.FAILED)
            and not indexing.pending_jobs()
        ):
            return api("secretariat", "GET", f"/documents/{doc_id}").json
        time.sleep(0.5)
    raise AssertionError("OCR did not finish in time")


def test_a_scanned_resolution_answers_at_once_and_becomes_searchable(api):
    scan = samples.scanned_pdf(RESOLUTION)
    started = time.monotonic()
    response = api.upload(
        "secretariat", data=scan, filename="nq-05-quet.pdf", title="Nghị quyết 05 (bản quét)"
    )
    assert response.status_code == 201 and time.monotonic() - started < 10  # OCR runs afterwards
    doc_id = response.json["id"]
    api.transition("secretariat", doc_id, "in_review")
    doc = wait_for_ocr(api, doc_id)
    version = doc["versions"][0]
    assert version["sha256"] == hashlib.sha256(scan).hexdigest()  # the original, byte for byte
    assert api("secretariat", "GET", f"/documents/{doc_id}/versions/1/file").data == scan
    assert [r["kind"] for r in version["renditions"]] == ["ocr"]
    searchable = api("secretariat", "GET", f"/documents/{doc_id}/versions/1/renditions/ocr")
    assert searchable.status_code == 200 and searchable.data.startswith(b"%PDF")
    # In review, not issued: the copy is no more the members' to read than the original.
    assert api("member", "GET", f"/documents/{doc_id}/versions/1/renditions/ocr").status_code == 404
    assert searchable.data != scan
    hits = api("secretariat", "GET", "/search", query_string={"q": "loi song do thi van minh"}).json["hits"]
    assert doc_id in [h["id"] for h in hits]
    by_number = api("secretariat", "GET", "/search", query_string={"q": "05-nq/du"}).json["hits"]
    assert doc_id in [h["id"] for h in by_number]


def test_a_photo_of_a_page_is_accepted_and_searchable(api, login):
    photo = samples.photo_jpeg(["CÔNG VĂN", "về công tác phòng chống thiên tai", "mùa mưa bão năm 2025"])
    response = api.upload(
        "secretariat", data=photo, filename="anh-cong-van.jpg", title="Công văn (ảnh chụp)", doc_type="CV"
    )
    assert response.status_code == 201, response.json
    doc_id = response.json["id"]
    api.transition("secretariat", doc_id, "in_review")
    doc = wait_for_ocr(api, doc_id)
    assert doc["versions"][0]["media_type"] == "image/jpeg" and doc["versions"][0]["renditions"]
    hits = api("secretariat", "GET", "/search", query_string={"q": "phong chong thien tai"}).json["hits"]
    assert doc_id in [h["id"] for h in hits]
    page = login("secretariat").get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "Tải bản PDF đã nhận dạng chữ" in page


def test_a_corrupt_scan_fails_once_with_its_reason_and_affects_nothing_else(app, api):
    """A failure that would repeat is not tried again; a photo whose header is cut off is
    refused at once."""
    cut = samples.photo_jpeg(["Báo cáo kết quả"])[:300]  # a photo cut short in transfer
    refused = api.upload("secretariat", data=cut, filename="hong.jpg", title="Ảnh hỏng", doc_type="BC")
    assert refused.status_code == 400 and refused.json["error"].startswith("Ảnh bị hỏng")
    broken = samples.scan_png(["Báo cáo kết quả"])
    broken = broken[: len(broken) // 3]  # its size is there, its pixels are not
    first = api.upload("secretariat", data=broken, filename="hong.png", title="Ảnh hỏng", doc_type="BC")
    assert first.status_code == 201, first.json  # a PNG by its bytes: taken, then read in the background
    doc = wait_for_ocr(api, first.json["id"])
    db.session.rollback()
    job = db.session.query(OcrJob).one()
    assert job.status == JobStatus.FAILED and job.error == "Tệp quét bị hỏng hoặc không đọc được."
    assert job.attempts == 1 and app.config["OCR_MAX_ATTEMPTS"] == 3
    assert doc["versions"][0]["renditions"] == []
    other = api.upload("secretariat", title="Văn bản khác").json  # uploads go on as before
    assert other["current_version"] == 1


def test_a_job_whose_worker_died_is_taken_up_again(app, api):
    """A running job whose heartbeat went cold (its worker was killed) is claimed again."""
    app.config["OCR_IN_PROCESS"] = False
    doc = api.upload(
        "secretariat", data=samples.scanned_pdf([["Thông báo kết luận"]]), filename="tb.pdf"
    ).json
    db.session.rollback()
    job = db.session.query(OcrJob).one()
    job.status, job.heartbeat_at, job.attempts = JobStatus.RUNNING, job.created_at.replace(year=2020), 1
    db.session.commit()
    assert ocr.run_one() is True
    db.session.rollback()
    job = db.session.get(OcrJob, job.id)
    assert job.status == JobStatus.DONE and job.attempts == 2
    assert api("secretariat", "GET", f"/documents/{doc['id']}").json["versions"][0]["renditions"]


def test_killing_the_worker_mid_job_and_starting_it_again_finishes_the_job(app, instance, api):
    """kill -9 of the worker while it reads a scan; the next worker takes the job up again
    once its heartbeat has gone cold, and finishes it."""
    import signal
    import subprocess

    def start():
        return start_worker(instance, stderr=subprocess.DEVNULL, OCR_STALE_SECONDS=2)

    def job():
        db.session.rollback()
        return db.session.query(OcrJob).one_or_none()

    def wait(condition):
        return wait_for(condition, 120, pause=0.2)

    worker = start()
    try:
        assert wait(indexing.worker_running), "the worker never started"
        pages = [[f"Trang {i}: Chương trình kiểm tra, giám sát toàn khóa"] for i in range(1, 9)]
        doc = api.upload(
            "secretariat", data=samples.scanned_pdf(pages), filename="ctr.pdf", doc_type="CTr"
        ).json
        assert wait(lambda: job() is not None and job().status == JobStatus.RUNNING), "the job never started"
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        assert job().status == JobStatus.RUNNING  # left behind by the dead worker
        worker = start()
        assert wait(lambda: job().status == JobStatus.DONE), f"not finished: {job().status} {job().error}"
        assert job().attempts == 2
        renditions = api("secretariat", "GET", f"/documents/{doc['id']}").json["versions"][0]["renditions"]
        assert [r["kind"] for r in renditions] == ["ocr"]
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)


def test_the_mean_word_confidence_is_kept_and_a_low_one_warned(app, api, login):
    doc = api.upload("secretariat", data=samples.scanned_pdf(RESOLUTION[:1]), filename="nq.pdf").json
    doc = wait_for_ocr(api, doc["id"])
    confidence = doc["versions"][0]["renditions"][0]["confidence"]
    assert 80 < confidence <= 100  # a clean 200 dpi scan of printed text
    client = login("secretariat")
    page = client.get(f"/documents/{doc['id']}").get_data(as_text=True)
    assert f"Độ tin cậy trung bình {round(confidence)}%" in page and "Chất lượng nhận dạng thấp" not in page
    app.config["OCR_CONFIDENCE_WARNING"] = confidence + 1  # a stricter committee
    page = client.get(f"/documents/{doc['id']}").get_data(as_text=True)
    assert "Chất lượng nhận dạng thấp" in page


@pytest.mark.parametrize("typed", ["05-NQ/ĐU", "05-nq/du", "05-NQ/DU"])
def test_a_number_ocr_read_without_the_stroke_is_found_as_typed(api, typed):
    """Tesseract often reads "ĐU" as "DU": the number still matches, with or without đ."""
    misread = samples.txt("Nghị quyết số 05-NQ/DU về chuyển đổi số, do OCR đọc từ bản quét.")
    doc = api.upload("secretariat", data=misread, filename="ocr.txt", title="Bản đọc từ ảnh").json
    api.transition("secretariat", doc["id"], "in_review")
    hits = api("secretariat", "GET", "/search", query_string={"q": typed}).json["hits"]
    assert doc["id"] in [h["id"] for h in hits]


def test_progress_failures_and_the_cli_are_shown_in_vietnamese(app, api, login):
    app.config.update(OCR_IN_PROCESS=False, OCR_MAX_ATTEMPTS=2, OCR_RETRY_SECONDS=60)
    cut = samples.scan_png(["x"])
    broken = api.upload(
        "secretariat",
        data=cut[: len(cut) // 3],
        filename="hong.png",
        title="Ảnh hỏng",
        doc_type="BC",
    ).json
    scan = api.upload("secretariat", data=samples.scanned_pdf([["Trang một"]]), filename="quet.pdf").json
    db.session.rollback()
    broken_job, scan_job = db.session.query(OcrJob).order_by(OcrJob.id).all()
    client = login("secretariat")

    # A corrupt file will not read better later: it fails at once, with its reason.
    assert ocr.run_one() is True
    db.session.rollback()
    broken_job = db.session.get(OcrJob, broken_job.id)
    assert broken_job.status == JobStatus.FAILED and broken_job.attempts == 1
    page = client.get(f"/documents/{broken['id']}").get_data(as_text=True)
    assert "không nhận dạng được: Tệp quét bị hỏng hoặc không đọc được." in page

    # One that runs out of time is tried again later (backoff), then marked failed.
    app.config["OCR_TIMEOUT_SECONDS"] = 0.01
    assert ocr.run_one() is True
    db.session.rollback()
    scan_job = db.session.get(OcrJob, scan_job.id)
    assert scan_job.status == JobStatus.QUEUED and scan_job.attempts == 1
    assert (scan_job.next_try_at - scan_job.created_at).total_seconds() >= 59
    page = client.get(f"/documents/{scan['id']}").get_data(as_text=True)
    assert "lần trước: Nhận dạng chữ quá 0.01 giây: dừng lại." in page
    scan_job.next_try_at = scan_job.created_at  # its turn again
    db.session.commit()
    assert ocr.run_one() is True
    db.session.rollback()
    assert db.session.get(OcrJob, scan_job.id).status == JobStatus.FAILED

    # While a job runs, the page shows its pages.
    scan_job = db.session.get(OcrJob, scan_job.id)
    scan_job.status, scan_job.pages_done, scan_job.pages_total = JobStatus.RUNNING, 3, 12
    scan_job.heartbeat_at = scan_job.created_at.replace(year=2999)  # alive: not taken up again
    db.session.commit()
    assert "Đang nhận dạng chữ (OCR)… trang 3/12" in client.get(f"/documents/{scan['id']}").get_data(
        as_text=True
    )

    status = app.test_cli_runner().invoke(args=["ocr", "status"])
    assert f"văn bản {broken['id']} phiên bản 1: lỗi, trang -, lần thử 1 — Tệp quét bị hỏng" in status.output
    assert f"văn bản {scan['id']} phiên bản 1: đang chạy, trang 3/12, lần thử 2" in status.output
    redo = app.test_cli_runner().invoke(args=["ocr", "redo", str(broken["id"])])
    assert redo.exit_code == 0 and f"văn bản {broken['id']} phiên bản 1" in redo.output
    missing = app.test_cli_runner().invoke(args=["ocr", "redo", "999"])
    assert missing.exit_code != 0 and "Không tìm thấy văn bản." in missing.output


def test_a_multi_page_tiff_is_read_page_by_page_and_counted_against_the_limit(app, api):
    pages = [["Trang một: Kế hoạch tuyên truyền"], ["Trang hai: phòng chống cháy nổ"]]
    doc = api.upload("secretariat", data=samples.scan_tiff(pages), filename="kh.tif", title="Kế hoạch").json
    wait_for_ocr(api, doc["id"])
    db.session.rollback()
    job = db.session.query(OcrJob).one()
    assert job.status == JobStatus.DONE and job.pages_total == 2
    rendition = db.session.get(OcrJob, job.id).version.rendition("ocr")
    assert "tuyên truyền" in rendition.text and "cháy nổ" in rendition.text

    app.config["OCR_MAX_PAGES"] = 3
    four = samples.scan_tiff([[f"Trang {i}"] for i in range(1, 5)])
    longer = api.upload("secretariat", data=four, filename="dai.tif", title="Bản quét dài").json
    wait_for_ocr(api, longer["id"])
    db.session.rollback()
    job = db.session.query(OcrJob).order_by(OcrJob.id.desc()).first()
    assert job.status == JobStatus.FAILED and job.attempts == 1
    assert job.error == "Bản quét 4 trang, quá 3 trang: không nhận dạng."


def test_a_decompression_bomb_is_refused_at_upload_and_never_tried_twice_by_ocr(app, api):
    """A few KB of PNG claiming a billion pixels: 413 at once; handed to OCR anyway (a file
    stored before the limit), OCRmyPDF's refusal is final."""
    from PIL import Image

    from ancuu_docs.ocr import engine

    Image.MAX_IMAGE_PIXELS, limit = None, Image.MAX_IMAGE_PIXELS
    try:
        buffer = io.BytesIO()
        Image.new("1", (30000, 30000), 1).save(buffer, "PNG", optimize=True)
    finally:
        Image.MAX_IMAGE_PIXELS = limit
    bomb = buffer.getvalue()
    assert len(bomb) < 200_000
    refused = api.upload("secretariat", data=bomb, filename="bom.png", title="Ảnh")
    assert refused.status_code == 413 and "Ảnh quá lớn" in refused.json["error"]
    with pytest.raises(engine.OcrFailed) as failed:
        engine.run(
            bomb, "image/png", command="ocrmypdf", language="vie", timeout=120, image_dpi=300, progress=print
        )
    assert failed.value.retry is False and "bom giải nén" in failed.value.message


def _ocr_folders(folder) -> list:
    return sorted(p.name for p in folder.glob("ancuu-ocr-*"))


def test_the_copy_of_a_scan_leaves_the_disk_when_the_worker_stops_or_dies(app, instance, api, tmp_path):
    """Stopped (SIGTERM) mid-scan, the worker puts the job back and removes its copy; killed
    (-9), it leaves the copy, which the next worker removes when it starts."""
    import signal
    import subprocess

    temporary = tmp_path / "ocr-tmp"
    temporary.mkdir()

    def start():
        return start_worker(
            instance, stderr=subprocess.DEVNULL, OCR_STALE_SECONDS=2, OCR_TEMPORARY_FOLDER=temporary
        )

    def job():
        db.session.rollback()
        return db.session.query(OcrJob).one_or_none()

    def reading():
        return job() is not None and job().status == JobStatus.RUNNING and _ocr_folders(temporary)

    pages = [[f"Trang {i}: Chương trình kiểm tra, giám sát toàn khóa"] for i in range(1, 9)]
    worker = start()
    try:
        assert wait_for(indexing.worker_running, 60), "the worker never started"
        api.upload("secretariat", data=samples.scanned_pdf(pages), filename="ctr.pdf", doc_type="CTr")
        assert wait_for(reading, 120, pause=0.2), "the scan was never read"
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
        assert _ocr_folders(temporary) == []
        assert (job().status, job().attempts) == (JobStatus.QUEUED, 0)

        worker = start()
        assert wait_for(reading, 120, pause=0.2), "the scan was never read again"
        left = _ocr_folders(temporary)
        assert left and all(name.startswith(f"ancuu-ocr-{worker.pid}-") for name in left)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        assert _ocr_folders(temporary) == left  # nobody was there to remove it
        worker = start()
        assert wait_for(lambda: left[0] not in _ocr_folders(temporary), 60)
        assert wait_for(lambda: job().status == JobStatus.DONE, 180, pause=0.5), job().error
        assert _ocr_folders(temporary) == []
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
