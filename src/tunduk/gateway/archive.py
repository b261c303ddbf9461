"""``tunduk gateway archive``: a verified, self-contained copy of the gateway's journal.

The organisation keeps its journal for years (003 §3.2.5; evidence for courts, 004), so
its administrator archives it: :func:`archive_journal` copies the SQLite journal with
SQLite's online backup (a consistent snapshot, while the gateway keeps writing) into a
new single file (no write-ahead log beside it), readable by the owner only (it holds the
message bodies not yet erased), then verifies the copy exactly as ``tunduk journal verify
--gateway-config`` verifies the live journal: every leaf and subtree hash, every stored
body against its commitment, every checkpoint's signature, time-stamp and peer
cosignatures. ``tunduk journal verify --gateway-config FILE --journal ARCHIVE`` checks it
again at any later time, with the gateway's keys and kept configurations.

An existing file is never overwritten. A PostgreSQL journal is archived with PostgreSQL's
own tools (``pg_dump``; ``docs/gateway.md``).
"""

from __future__ import annotations

import dataclasses
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ._words import WordedError
from .config import GatewayConfig
from .journal_audit import JournalAudit, verify_gateway_journal

__all__ = ["ArchiveError", "Archived", "archive_journal", "with_journal"]


class ArchiveError(WordedError):
    """The journal cannot be archived: a PostgreSQL journal, none yet, or the target exists."""


_PAGES_PER_STEP = 4096
"""Pages copied per backup step; the gateway's writer may commit between steps."""


@dataclass(frozen=True)
class Archived:
    """Where the archive went and what verifying it found."""

    path: Path
    audit: JournalAudit


def with_journal(config: GatewayConfig, journal: Path) -> GatewayConfig:
    """``config`` with its journal replaced by the SQLite file ``journal`` (an archive)."""
    return dataclasses.replace(config, journal_url=f"sqlite:///{journal.absolute()}")


def archive_journal(
    config: GatewayConfig,
    target: Path,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> Archived:
    """Copy the gateway's SQLite journal to ``target`` and verify the copy.

    Raises :class:`ArchiveError` (the words say why) for a PostgreSQL journal, a journal that
    does not exist, or a ``target`` that exists already.
    """
    if not config.journal_url.startswith("sqlite://"):
        raise ArchiveError(
            "journal.url",
            "the journal is in PostgreSQL: archive it with pg_dump (docs/gateway.md, Journal)",
        )
    source = Path(config.journal_url[len("sqlite://") :])
    if not source.is_file():
        raise ArchiveError(source, "there is no journal here (the gateway never ran)")
    if target.exists():
        raise ArchiveError(target, "exists already; an archive never overwrites a file")
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    _copy(source, partial)
    os.replace(partial, target)
    audit = verify_gateway_journal(with_journal(config, target), progress=progress)
    _single_file(target)  # verifying opened it as a journal, in write-ahead-log mode
    return Archived(target, audit)


def _single_file(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()


def _copy(source: Path, target: Path) -> None:
    """SQLite's online backup of ``source`` into a new single-file database ``target``."""
    reader = sqlite3.connect(f"{source.absolute().as_uri()}?mode=ro", uri=True, timeout=30)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)  # created owner-only before a byte of a body is in it
    try:
        writer = sqlite3.connect(target)
        try:
            reader.backup(writer, pages=_PAGES_PER_STEP)
            writer.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            writer.commit()
        finally:
            writer.close()
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    finally:
        reader.close()
