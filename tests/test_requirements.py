"""requirements.lock is what `make` installs: it must hold every pin of requirements.txt and
requirements-dev.txt at the same version, each package with its hashes (`make lock` writes it
again after a pin changes)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("-r "):
            pins.update(_pins(path.parent / line[3:].strip()))
        elif match := PIN.match(line):
            pins[_name(match[1])] = match[2]
        elif line and not line.startswith("#"):
            raise AssertionError(f"{path.name}: not an exact pin: {line!r}")
    return pins


def _locked() -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes) from the lock."""
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    locked = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        if match := PIN.match(block):
            locked[_name(match[1])] = (match[2], block.count("--hash=sha256:"))
    return locked


def test_every_pin_is_in_the_lock_at_its_version():
    pins, locked = _pins(ROOT / "requirements-dev.txt"), _locked()
    disagreeing = {name: (version, locked.get(name, ("missing",))[0]) for name, version in pins.items()}
    disagreeing = {name: both for name, both in disagreeing.items() if both[0] != both[1]}
    assert disagreeing == {}, "requirements*.txt and requirements.lock disagree; run `make lock`"
    assert set(_pins(ROOT / "requirements.txt")) <= set(pins)


def test_every_locked_package_has_its_hashes():
    locked = _locked()
    assert len(locked) > len(_pins(ROOT / "requirements-dev.txt"))  # the transitive ones too
    assert [name for name, (_version, hashes) in locked.items() if hashes == 0] == []
