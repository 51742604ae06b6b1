"""The programs some tests run for real: OCRmyPDF with Tesseract's Vietnamese data, LibreOffice,
Poppler, Chromium.

A test says what it needs with `@needs(...)` (or `pytestmark = needs(...)`). Where a tool is
missing on a developer's machine the test skips, naming the Debian package to install; under
`CI=true` (.ci/run) it fails instead, so CI never passes having quietly left them out.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess

import pytest


def _tesseract_reads_vietnamese() -> bool:
    if not shutil.which("tesseract"):
        return False
    listed = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True)
    return "vie" in listed.stdout.split()


# name -> (is it here?, the Debian package that brings it)
TOOLS = {
    "ocrmypdf": (lambda: bool(shutil.which("ocrmypdf")), "ocrmypdf"),
    "tesseract-vie": (_tesseract_reads_vietnamese, "tesseract-ocr-vie"),
    "soffice": (
        lambda: bool(shutil.which("soffice") or shutil.which("libreoffice")),
        "libreoffice-writer-nogui",
    ),
    "pdftotext": (lambda: bool(shutil.which("pdftotext")), "poppler-utils"),
    "chromium": (
        lambda: bool(
            os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
        ),
        "chromium",
    ),
}


def needs(*names: str) -> pytest.MarkDecorator:
    unknown = set(names) - set(TOOLS)
    if unknown:
        raise ValueError(f"unknown tools: {sorted(unknown)}")
    return pytest.mark.needs(*names)


@functools.cache
def present(name: str) -> bool:
    return TOOLS[name][0]()


def on_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def missing_means(names: list[str]) -> None:
    """Skip (or, under CI=true, fail) a test whose tools are not all here."""
    missing = [name for name in names if not present(name)]
    if not missing:
        return
    message = "Missing " + ", ".join(f"{name} ({TOOLS[name][1]})" for name in missing)
    if on_ci():
        pytest.fail(
            f"{message}: CI=true, so this fails instead of skipping; .ci/run installs them", pytrace=False
        )
    pytest.skip(f"{message}: `make test` installs them as root")
