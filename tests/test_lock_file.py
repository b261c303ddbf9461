"""The lock file pins, with hashes, every dependency pyproject.toml declares (issue 7 finding 8), so the
working-day calendar (`holidays`) and everything else is the same version on every machine."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\]+) \\$")


def _normalise(name: str) -> str:
    """PEP 503 name normalisation."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins() -> dict[str, list[str]]:
    """Each pinned distribution of requirements/lock.txt with the hashes listed for it."""
    pins: dict[str, list[str]] = {}
    current = ""
    for line in (ROOT / "requirements" / "lock.txt").read_text().splitlines():
        if match := PIN.match(line):
            current = _normalise(match[1])
            pins[current] = []
        elif line.strip().startswith("--hash=sha256:") and current:
            pins[current].append(line.strip())
    return pins


def _declared() -> set[str]:
    """The names of the runtime and dev dependencies of pyproject.toml."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    return {_normalise(re.split(r"[\s\[<>=!~;]", item, maxsplit=1)[0]) for item in requirements}


def test_every_declared_dependency_is_pinned_with_hashes() -> None:
    """Issue 7 (8): each pyproject dependency is pinned to one version with at least one hash."""
    pins = _pins()
    missing = sorted(name for name in _declared() if name not in pins)
    assert missing == [], "run bin/lock: not pinned " + ", ".join(missing)
    assert all(hashes for hashes in pins.values())
