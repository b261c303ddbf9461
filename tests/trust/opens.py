"""Record the files this process opens, to see how private key files come into existence.

Python raises an ``open`` audit event for ``open()``, ``Path.write_bytes()`` and
``os.open()`` alike, with the flags asked for, and an ``os.chmod`` event for every
permission change. A file created with ``O_CREAT | O_EXCL`` under umask 0 and never
chmod-ed afterwards had, from its first byte, the mode it has at the end. A hook cannot be
removed once added, so it stays installed and records only inside :func:`recorded_opens`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Opened:
    """One ``open`` or ``os.chmod`` audit event: its name, the path, the mode and the flags."""

    event: str

    path: str
    mode: object
    flags: int

    @property
    def writes(self) -> bool:
        """Whether the file was opened for writing (text modes count when they say so)."""
        if self.event != "open":
            return False
        if isinstance(self.mode, str):
            return any(letter in self.mode for letter in "wax+")
        return bool(self.flags & (os.O_WRONLY | os.O_RDWR))


_recording: list[list[Opened]] = []


def _hook(event: str, args: tuple[object, ...]) -> None:
    if event not in {"open", "os.chmod"} or not _recording:
        return
    path, mode, flags = args
    if isinstance(path, str | bytes | os.PathLike):
        flags = flags if event == "open" else 0
        _recording[-1].append(Opened(event, os.fsdecode(path), mode, int(flags or 0)))  # type: ignore[call-overload]  # audit-hook args are untyped objects


sys.addaudithook(_hook)


@contextmanager
def recorded_opens() -> Iterator[list[Opened]]:
    """Collect every file opened inside the block, with umask 0 so nothing hides wide modes."""
    opened: list[Opened] = []
    _recording.append(opened)
    previous = os.umask(0)
    try:
        yield opened
    finally:
        os.umask(previous)
        _recording.remove(opened)


def assert_born_private(opened: list[Opened], path: Path) -> None:
    """``path`` was written only through a fresh, exclusive, owner-only create and is 0600 now."""
    events = [o for o in opened if Path(o.path) == path]
    writes = [o for o in events if o.writes]
    assert writes, f"{path} was never written"
    for write in writes:
        assert write.mode in (None, 0o600), f"{path} opened with mode {write.mode!r}"
        assert write.flags & os.O_CREAT and write.flags & os.O_EXCL, (
            f"{path} not created exclusively"
        )
    assert not [o for o in events if o.event == "os.chmod"], f"{path} was narrowed after creation"
    assert path.stat().st_mode & 0o777 == 0o600
