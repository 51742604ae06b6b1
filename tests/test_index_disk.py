"""The index on a full disk: a failed write leaves no file behind, writes wait (said once)
until there is room, searches answer from the index as it was, and it heals on its own; a
text of random tokens does not blow the index up. On both engines."""

from __future__ import annotations

import logging
import random
import shutil
import string
from pathlib import Path

import pytest

from ancuu_docs.search import indexing, store
from tests import samples
from tests.conftest import BOTH_ENGINES
from tests.processes import tmpfs

pytestmark = BOTH_ENGINES


@pytest.fixture
def small_disk(tmp_path):
    """A 32 MB tmpfs of its own for the index."""
    with tmpfs(tmp_path / "dia-chi-muc", "32m") as mount:
        yield mount


@pytest.fixture
def app_settings(small_disk):
    return {"INDEX_FOLDER": str(small_disk / "index")}


def _fill(disk: Path, leave: int) -> Path:
    filler = disk / "filler"
    filler.write_bytes(b"\0" * max(shutil.disk_usage(disk).free - leave, 0))
    return filler


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and p.name != "WORKER"}


def _total(api, q: str) -> int:
    response = api("secretariat", "GET", "/search", query_string={"q": q})
    assert response.status_code == 200, response.json
    return response.json["total"]


def _random_text(words: int) -> str:
    return " ".join("".join(random.choices(string.ascii_lowercase, k=9)) for _ in range(words))


def test_a_full_index_disk_is_waited_out_said_once_and_heals(app, api, small_disk, caplog):
    caplog.set_level(logging.INFO, logger="ancuu_docs.search.indexing")
    first = api.upload("secretariat", title="Kế hoạch phòng cháy chữa cháy mùa khô", doc_type="KH")
    assert first.status_code == 201 and _total(api, "phòng cháy") == 1
    index = small_disk / "index"
    before = _files(index)
    filler = _fill(small_disk, leave=1024 * 1024)  # 1 MB: less than twice the index and the floor
    for i in range(5):  # changes go on being filed; their index jobs wait
        assert (
            api.upload("secretariat", title=f"Báo cáo an ninh trật tự số {i}", doc_type="BC").status_code
            == 201
        )
    assert _total(api, "phòng cháy") == 1  # searches answer from the index as it was
    assert _total(api, "an ninh trật tự") == 0
    assert _files(index) == before
    said = [r for r in caplog.records if "too full to write" in r.getMessage()]
    assert len(said) == 1 and said[0].levelno == logging.ERROR

    filler.unlink()  # room again: the next flush writes what waited
    assert indexing.flush_outbox() == 5
    assert _total(api, "an ninh trật tự") == 5
    healed = [r for r in caplog.records if "works again" in r.getMessage()]
    assert len(healed) == 1


def test_a_write_that_fails_on_a_full_disk_leaves_no_file_behind(app, api, small_disk, monkeypatch):
    api.upload("secretariat", title="Kế hoạch phòng cháy chữa cháy mùa khô", doc_type="KH")
    index = small_disk / "index"
    before = _files(index)
    monkeypatch.setattr(store, "MIN_ROOM", 0)  # let the writes be tried on the full disk
    filler = _fill(small_disk, leave=3 * sum((index / p).stat().st_size for p in before))
    big = samples.txt(_random_text(150_000))
    for attempt in range(3):  # each try fails and takes its partial files away
        response = api.upload(
            "secretariat", title=f"Tài liệu lớn {attempt}", data=big, filename=f"lon-{attempt}.txt"
        )
        assert response.status_code == 201
        assert indexing.flush_outbox() == 0
        assert _files(index) == before, attempt
    assert _total(api, "phòng cháy") == 1
    filler.unlink()
    indexing.retry_all_now()
    assert indexing.flush_outbox() == 3 and _total(api, "tài liệu lớn") == 3


def test_a_draft_of_random_tokens_grows_the_index_a_bounded_amount(app, api):
    """490,000 distinct tokens in 4.9 MB once grew the Whoosh index 35 times the text; these
    200,000 grew it 75 MB. An entry now adds at most TERMS_PER_ENTRY terms (a few MB)."""
    api.upload("secretariat", title="Kế hoạch phòng cháy", doc_type="KH")
    folder = Path(app.config["INDEX_FOLDER"])
    before = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    text = _random_text(200_000)
    assert (
        api.upload("clerk", title="Dự thảo", data=samples.txt(text), filename="du-thao.txt").status_code
        == 201
    )
    after = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    assert after - before < 8 * 2**20, (before, after, len(text))
    # Its first words are found still; the ones past the limit are not indexed.
    assert _total(api, text.split()[0]) == 1


def test_the_worker_on_a_full_disk_says_so_once_and_heals_when_there_is_room(
    app, api, instance, small_disk, tmp_path
):
    import signal
    import time

    from tests.processes import start_worker, wait_for

    api.upload("secretariat", title="Kế hoạch phòng cháy chữa cháy mùa khô", doc_type="KH")
    filler = _fill(small_disk, leave=256 * 1024)
    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log_file:
        worker = start_worker(
            instance, stderr=log_file, INDEX_FOLDER=small_disk / "index", INDEX_RETRY_LONGEST=2
        )
        try:
            for i in range(3):
                api.upload("secretariat", title=f"Báo cáo an ninh trật tự số {i}", doc_type="BC")
            time.sleep(8)  # many rounds of the worker
            said = log_path.read_text()
            assert said.count("too full to write") == 1 and said.count("Traceback") <= 1, said
            filler.unlink()
            assert wait_for(lambda: _total(api, "an ninh trật tự") == 3, 60)
            assert "works again" in log_path.read_text()
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=30)
