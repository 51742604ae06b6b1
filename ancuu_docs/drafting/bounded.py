"""Rendering what an admin uploaded, with a deadline and a memory and output bound.

Jinja's sandbox stops unsafe access, not unbounded work: nested loops behind a condition that
the trial render never takes, 'a' * 10**8, huge format widths. Such a render runs in a forked
child process that is killed at the deadline, has its address space limited, and whose output
is refused past a size; the web worker only waits.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
from collections.abc import Callable

from flask import current_app

from ..errors import DomainError, InvalidInput

log = logging.getLogger(__name__)


def run_bounded(work: Callable[[], bytes]) -> bytes:
    """The bytes `work()` returns, computed in a child process within the settings' bounds;
    InvalidInput (naming the bound) when it runs too long, too big, or fails."""
    config = current_app.config
    seconds = config["TEMPLATE_RENDER_SECONDS"]
    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    child = context.Process(
        target=_child, args=(writer, work, config["TEMPLATE_MEMORY_BYTES"], config["TEMPLATE_OUTPUT_BYTES"])
    )
    try:
        child.start()
    finally:
        writer.close()
    try:
        if not reader.poll(seconds):
            child.kill()
            raise InvalidInput(
                f"Mẫu chạy quá {seconds:g} giây (có vòng lặp quá lớn?). Hãy sửa mẫu.", field="file"
            )
        try:
            outcome, payload = reader.recv()
        except EOFError:  # the child died: out of memory, most likely
            raise InvalidInput("Mẫu dùng quá nhiều bộ nhớ khi điền. Hãy sửa mẫu.", field="file") from None
    finally:
        reader.close()
        if child.is_alive():  # the deadline, or this request interrupted: never left running
            child.kill()
        child.join(timeout=5)
    if outcome != "ok":
        raise InvalidInput(payload, field="file")
    return payload


def too_big_message(limit_bytes: int) -> str:
    return f"Văn bản tạo ra từ mẫu lớn quá {limit_bytes // (1024 * 1024)} MB. Hãy sửa mẫu."


def _child(writer, work: Callable[[], bytes], memory_bytes: int, output_bytes: int) -> None:
    try:
        # Room to grow beyond what the parent had mapped already (the fork shares it).
        page = os.sysconf("SC_PAGE_SIZE")
        with open("/proc/self/statm") as statm:
            mapped = int(statm.read().split()[0]) * page
        resource.setrlimit(resource.RLIMIT_AS, (mapped + memory_bytes, mapped + memory_bytes))
        seconds = int(current_app.config["TEMPLATE_RENDER_SECONDS"]) + 2  # a second guard
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds))
        result = work()
        if len(result) > output_bytes:
            writer.send(("error", too_big_message(output_bytes)))
        else:
            writer.send(("ok", result))
    except MemoryError:
        writer.send(("error", "Mẫu dùng quá nhiều bộ nhớ khi điền. Hãy sửa mẫu."))
    except DomainError as err:
        writer.send(("error", err.message))
    except Exception:  # the details are for the log; the user gets a sentence they can act on
        log.exception("rendering an uploaded template failed")
        writer.send(("error", "Mẫu không điền được với thông tin này. Hãy báo quản trị kiểm tra mẫu."))
    finally:
        writer.close()
        os._exit(0)  # no atexit handlers, no inherited database connections closed twice
