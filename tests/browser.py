"""Real Chromium for the end-to-end tests: Debian's `chromium` driven by Playwright, the app
served on a local port, and axe-core checking every page a journey visits.

Playwright cannot download its own browsers here, so it is pointed at the system's
(`CHROMIUM`, or the first of `chromium`/`chromium-browser` on PATH). axe-core comes from the
npm registry at a pinned version, fetched once into `.cache/` (`npm pack` checks the
registry's integrity hash); `AXE_JS` names another copy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import threading
from pathlib import Path

from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
AXE_VERSION = "4.14.1"
AXE_CACHE = ROOT / ".cache" / f"axe-core-{AXE_VERSION}"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def chromium_path() -> str:
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise RuntimeError("Chromium không có: cài bằng `apt-get install chromium` (.ci/run làm việc này).")
    return found


def axe_script() -> str:
    """axe.min.js, fetched from the npm registry the first time."""
    if os.environ.get("AXE_JS"):
        return Path(os.environ["AXE_JS"]).read_text(encoding="utf-8")
    target = AXE_CACHE / "axe.min.js"
    if not target.exists():
        AXE_CACHE.mkdir(parents=True, exist_ok=True)
        packed = (
            subprocess.run(
                ["npm", "pack", f"axe-core@{AXE_VERSION}", "--pack-destination", str(AXE_CACHE), "--silent"],
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        with tarfile.open(AXE_CACHE / packed) as archive:
            member = archive.extractfile("package/axe.min.js")
            partial = target.with_suffix(".partial")
            partial.write_bytes(member.read())
            partial.replace(target)
    return target.read_text(encoding="utf-8")


class LiveServer:
    """The test's app on 127.0.0.1:<free port>, in a thread, as a browser reaches it."""

    def __init__(self, app) -> None:
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, name="live-server", daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)


class Axe:
    """Runs axe-core on a page and remembers what it found, page by page."""

    def __init__(self) -> None:
        self.script = axe_script()
        self.checked: list[str] = []
        self.violations: dict[str, list[str]] = {}

    def check(self, page) -> None:
        page.wait_for_load_state("load")
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(content=self.script)
        found = page.evaluate(
            """async () => (await axe.run(document)).violations.map(v =>
                `${v.id} (${v.impact}): ` + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"""
        )
        path = page.url.split("//", 1)[-1].split("/", 1)[-1]
        self.checked.append(path)
        if found:
            self.violations[path] = found
