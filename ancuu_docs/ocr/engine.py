"""Running OCRmyPDF on one file: which files need it, the command, its progress, its errors in
Vietnamese. Knows nothing of jobs or the database."""

from __future__ import annotations

import contextlib
import ctypes
import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

from ..extract import IMAGES, JPEG, PDF, PNG, TIFF

PLUGIN = Path(__file__).with_name("progress_plugin.py")
PR_SET_PDEATHSIG = 1
HEARTBEAT_SECONDS = 10.0
_WCONF = re.compile(r"x_wconf (\d+)")
SUFFIX = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", TIFF: ".tif"}
# A page with fewer characters than this has no text layer worth the name.
PAGE_TEXT_MIN = 20
# OCRmyPDF's exit codes, said for the secretariat.
EXIT_MESSAGES = {
    2: "Tệp quét bị hỏng hoặc không đọc được.",
    3: "Máy chủ thiếu thành phần OCR (Tesseract hoặc gói tiếng Việt).",
    8: "Tệp PDF được đặt mật khẩu: không nhận dạng chữ được.",
}


# Exit codes of a failure that another try may not meet: a missing component the admin may
# install, a file the system could not access, an interruption; a child process (Tesseract,
# Ghostscript) that ran out of memory, and a timeout (the machine was busy). Any other failure
# repeats itself with the same file (a damaged scan, a page too large to draw, a decompression
# bomb, a password): said once.
TRANSIENT_EXITS = frozenset({3, 5, 130})
OUT_OF_MEMORY = ("MemoryError", "out of memory", "Cannot allocate memory", "Killed")
TEMPORARY_PREFIX = "ancuu-ocr-"
# A folder of a process whose number cannot be read is a leftover once it is this old.
LEFTOVER_SECONDS = 3600


class OcrFailed(Exception):
    def __init__(self, message: str, *, retry: bool = True):
        super().__init__(message)
        self.message, self.retry = message, retry


class OcrCancelled(Exception):
    """The worker is stopping: the job is put back, to be read again later."""


@dataclass(frozen=True)
class OcrResult:
    pdf: bytes
    text: str
    pages: int
    # Tesseract's mean word confidence (0-100) over the pages it read; None if it read none.
    confidence: float | None = None


def needs_ocr(media_type: str, data: bytes) -> bool:
    """An image, or a PDF with text on fewer than half its pages."""
    if media_type in IMAGES:
        return True
    if media_type != PDF:
        return False
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return False  # refused at upload already; nothing to read
    try:
        total = len(document)
        with_text = 0
        for index in range(total):
            page = document[index]
            if len(page.get_textpage().get_text_range().strip()) >= PAGE_TEXT_MIN:
                with_text += 1
        return total > 0 and with_text * 2 < total
    finally:
        document.close()


def available(command: str) -> bool:
    return shutil.which(command) is not None


def run(
    data: bytes,
    media_type: str,
    *,
    command: str,
    language: str,
    timeout: float,
    image_dpi: int,
    progress: Callable[[int, int], None],
    jobs: int = 1,
    cancelled: Callable[[], bool] = lambda: False,
    temporary_folder: str | None = None,
) -> OcrResult:
    """OCR one file; the bytes given are never changed. Raises OcrFailed with the reason, or
    OcrCancelled once `cancelled()` says so. Its copy of the file lives in a folder named with
    this process's number, removed on every way out (and by `remove_leftovers` after a kill)."""
    if not available(command):
        raise OcrFailed("Máy chủ chưa cài OCRmyPDF (gói ocrmypdf, tesseract-ocr-vie).", retry=True)
    prefix = f"{TEMPORARY_PREFIX}{os.getpid()}-"
    if temporary_folder:
        Path(temporary_folder).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=prefix, dir=temporary_folder) as folder:
        work = Path(folder)
        source = work / f"in{SUFFIX[media_type]}"
        source.write_bytes(data)
        output, sidecar, marks = work / "out.pdf", work / "out.txt", work / "progress"
        cmd = _command(command, language, jobs, image_dpi if media_type in IMAGES else None, sidecar)
        cmd += [str(source), str(output)]
        (work / "tmp").mkdir()
        env = {
            **os.environ,
            "ANCUU_OCR_PROGRESS": str(marks),
            "OMP_THREAD_LIMIT": str(jobs),
            "TMPDIR": str(work / "tmp"),
        }
        with open(work / "stderr", "w+b") as errors:
            process = subprocess.Popen(
                cmd, stdout=subprocess.DEVNULL, stderr=errors, env=env, preexec_fn=_die_with_parent
            )
            try:
                _follow(process, marks, progress, cancelled=cancelled, timeout=timeout)
            finally:
                if process.poll() is None:  # a timeout, or the job's own failure: never left running
                    process.kill()
                    process.wait()
            errors.seek(0)
            tail = errors.read()[-2000:].decode("utf-8", "replace")
        if process.returncode != 0:
            raise _failure(process.returncode, tail) from RuntimeError(tail)
        text = sidecar.read_text(encoding="utf-8", errors="replace") if sidecar.exists() else ""
        # OCRmyPDF marks pages it skipped (text already there) with a form feed and a note.
        text = unicodedata.normalize("NFC", text.replace("[OCR skipped on page(s)", "").replace("\f", "\n"))
        pdf = output.read_bytes()
        pages = len(pdfium.PdfDocument(pdf))
        return OcrResult(pdf=pdf, text=text.strip(), pages=pages, confidence=mean_confidence(work / "tmp"))


def run_configured(
    config: Mapping,
    data: bytes,
    media_type: str,
    *,
    pages: int,
    progress: Callable[[int, int], None],
    cancelled: Callable[[], bool] = lambda: False,
) -> OcrResult:
    """`run` with the application's OCR settings (`config`: the app's), given time for `pages`."""
    return run(
        data,
        media_type,
        command=config["OCR_COMMAND"],
        language=config["OCR_LANGUAGE"],
        timeout=config["OCR_TIMEOUT_SECONDS"] * max(1, pages),
        image_dpi=config["OCR_IMAGE_DPI"],
        progress=progress,
        jobs=config["OCR_JOBS"],
        cancelled=cancelled,
        temporary_folder=config["OCR_TEMPORARY_FOLDER"] or None,
    )


def _command(command: str, language: str, jobs: int, image_dpi: int | None, sidecar: Path) -> list[str]:
    """OCRmyPDF's arguments, without the input and output files."""
    cmd = [
        command,
        "--language", language,
        "--skip-text",
        "--output-type", "pdf",
        "--optimize", "0",
        "--jobs", str(jobs),
        "--sidecar", str(sidecar),
        "--plugin", str(PLUGIN),
        # hOCR pages, kept (-k) in our folder, carry each word's confidence.
        "--pdf-renderer", "hocr",
        "--keep-temporary-files",
    ]  # fmt: skip
    if image_dpi is not None:  # a photo or a scan as an image says no resolution of its own
        cmd += ["--image-dpi", str(image_dpi)]
    return cmd


def _follow(process, marks: Path, progress, *, cancelled: Callable[[], bool], timeout: float) -> None:
    """Wait for OCRmyPDF, passing its page progress on; cancelled or over time, stop waiting
    (the caller kills it)."""
    started, seen, beat = time.monotonic(), None, time.monotonic()
    while process.poll() is None:
        if cancelled():
            raise OcrCancelled()
        if time.monotonic() - started > timeout:  # a busy machine: tried again later
            raise OcrFailed(f"Nhận dạng chữ quá {timeout:g} giây: dừng lại.")
        seen = _report(marks, seen, progress)
        if time.monotonic() - beat > HEARTBEAT_SECONDS:  # a long page: still alive
            progress(*(seen or (0, 0)))
            beat = time.monotonic()
        time.sleep(0.5)
    _report(marks, seen, progress)


def _failure(code: int, tail: str) -> OcrFailed:
    if "DecompressionBomb" in tail or "decompression bomb" in tail:
        return OcrFailed("Ảnh quét quá lớn (nghi là «bom giải nén»): không nhận dạng.", retry=False)
    if "image file is truncated" in tail or "cannot identify image file" in tail:
        return OcrFailed(EXIT_MESSAGES[2], retry=False)
    if "rasterizing failed" in tail:
        return OcrFailed("Trang quá lớn hoặc bị hỏng: không vẽ được để nhận dạng.", retry=False)
    message = EXIT_MESSAGES.get(code, "Nhận dạng chữ không thành công.")
    # A negative code: killed by a signal (the kernel's, out of memory): may pass another time.
    transient = code in TRANSIENT_EXITS or code < 0 or any(word in tail for word in OUT_OF_MEMORY)
    return OcrFailed(message, retry=transient)


def remove_leftovers(temporary_folder: str | None = None) -> int:
    """Remove the folders of OCR runs whose process is gone (killed mid-scan, kill -9
    included): their copy of a scan must not stay on the disk. How many were removed."""
    root = Path(temporary_folder or tempfile.gettempdir())
    removed = 0
    for folder in root.glob(f"{TEMPORARY_PREFIX}*"):
        if not folder.is_dir() or _alive(folder.name[len(TEMPORARY_PREFIX) :].split("-", 1)[0], folder):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed += 1
    return removed


def _alive(pid_text: str, folder: Path) -> bool:
    if not pid_text.isdigit():  # an older name without the process: by its age
        try:
            return time.time() - folder.stat().st_mtime < LEFTOVER_SECONDS
        except FileNotFoundError:
            return True
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive, not ours to judge
        return True
    return True


def mean_confidence(folder: Path) -> float | None:
    """The mean of every word's `x_wconf` in the hOCR pages Tesseract wrote."""
    scores = [
        int(match)
        for page in folder.rglob("*.hocr")
        for match in _WCONF.findall(page.read_text(encoding="utf-8", errors="replace"))
    ]
    return round(sum(scores) / len(scores), 1) if scores else None


def _die_with_parent() -> None:
    """In the child: killed when the worker dies (kill -9 included), never left orphaned."""
    with contextlib.suppress(OSError):  # not Linux: the timeout still bounds it
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def page_count(data: bytes, media_type: str, *, at_most: int) -> int:
    """Pages to read: a PDF's, a TIFF's frames (a multi-page scan), one for a photo. Counted no
    further than `at_most` + 1 (a longer one is refused anyway)."""
    if media_type == TIFF:
        return tiff_frames(data, at_most=at_most)
    if media_type in IMAGES:
        return 1
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return 0
    try:
        return len(document)
    finally:
        document.close()


def _report(marks: Path, seen, progress) -> tuple | None:
    try:
        done, total = (int(x) for x in marks.read_text().split())
    except (OSError, ValueError):
        return seen
    if (done, total) != seen:
        progress(done, total)
    return done, total


def tiff_frames(data: bytes, *, at_most: int) -> int:
    """A TIFF's pages, read from its directories only (no pixel is decoded)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            count = 1
            while count <= at_most:
                try:
                    image.seek(count)
                except EOFError:
                    break
                count += 1
            return count
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError, Image.DecompressionBombError):
        return 1  # unreadable here: OCRmyPDF says why
