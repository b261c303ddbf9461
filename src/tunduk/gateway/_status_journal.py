"""The journal's size and last checkpoint for ``tunduk gateway status``, read-only.

Read straight through :mod:`tunduk.journal`'s storages, so the command works whether the
gateway runs or not: SQLite opened ``mode=ro`` (a running gateway's WAL writer is not
disturbed), PostgreSQL in a read-only transaction. Peer cosignatures are counted from
``checkpoint_cosignatures`` when the journal has that table (gw/journal's message log).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tunduk.journal import JournalError, PostgresStorage, SQLiteStorage, StoredCheckpoint

__all__ = [
    "JournalMissing",
    "ReadOnlyJournal",
    "journal_status",
    "read_only_journal",
    "reading_failure",
]

_COSIGNATURES = "SELECT COUNT(*) FROM checkpoint_cosignatures WHERE tree_size = {mark}"


class JournalMissing(Exception):
    """The journal's SQLite file does not exist yet (the gateway never ran)."""


@dataclass(frozen=True)
class ReadOnlyJournal:
    """A read-only connection to a gateway's journal and its storage."""

    conn: Any
    storage: SQLiteStorage | PostgresStorage
    mark: str
    """The parameter placeholder of the connection's SQL (``?`` or ``%s``)."""
    missing_table: type[Exception]
    """What the driver raises for a table the journal does not have."""


@contextmanager
def read_only_journal(url: str) -> Iterator[ReadOnlyJournal]:
    """Open the journal at ``url`` read-only (SQLite ``mode=ro``, PostgreSQL in read-only
    transactions); raises :class:`JournalMissing`, ``ValueError`` for another scheme, or
    the driver's error."""
    if url.startswith("sqlite://"):
        path = Path(url[len("sqlite://") :])
        if not path.exists():
            raise JournalMissing(f"{path} does not exist yet (the gateway never ran)")
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            yield ReadOnlyJournal(conn, SQLiteStorage(conn), "?", sqlite3.OperationalError)
        finally:
            conn.close()
        return
    if url.startswith(("postgresql://", "postgres://")):
        import psycopg

        with psycopg.connect(url, connect_timeout=5, autocommit=True) as pg:
            pg.execute("SET default_transaction_read_only = on")
            yield ReadOnlyJournal(pg, PostgresStorage(pg), "%s", psycopg.errors.UndefinedTable)
        return
    raise ValueError(f"unsupported journal URL {url.split(':', 1)[0]}:")


def reading_failure(error: Exception) -> str | None:
    """The words for an error met reading a journal, or ``None`` when it is not one."""
    if isinstance(error, (sqlite3.Error, JournalError, OSError)):
        return f"the journal cannot be read: {error}"
    if type(error).__module__.startswith("psycopg"):  # imported only for PostgreSQL
        return f"the journal cannot be read: {error}"
    return None


def journal_status(url: str) -> dict[str, Any]:
    """``{"state": "ok", "size", "last_checkpoint"}``, or ``state`` missing/error with ``error``."""
    try:
        with read_only_journal(url) as journal:
            size = journal.storage.size()
            latest = journal.storage.latest_checkpoint()
            cosigned = _cosignatures(journal.conn, latest, journal.mark, journal.missing_table)
    except JournalMissing as missing:
        return {"state": "missing", "error": str(missing)}
    except ValueError as unsupported:
        return {"state": "error", "error": str(unsupported)}
    except Exception as error:
        words = reading_failure(error)
        if words is None:
            raise
        return {"state": "error", "error": words}
    return _section(size, latest, cosigned)


def _cosignatures(
    conn: Any, latest: StoredCheckpoint | None, mark: str, missing: type[Exception]
) -> int:
    if latest is None:
        return 0
    try:
        row = conn.execute(_COSIGNATURES.format(mark=mark), (latest.tree_size,)).fetchone()
    except missing:
        return 0  # a journal without cosigning
    return int(row[0]) if row else 0


def _section(size: int, latest: StoredCheckpoint | None, cosigned: int) -> dict[str, Any]:
    checkpoint = None
    if latest is not None:
        at = latest.created_at
        checkpoint = {
            "tree_size": latest.tree_size,
            "at": None if at is None else _iso(at),
            "timestamped": latest.timestamp_token is not None,
            "cosignatures": cosigned,
        }
    return {"state": "ok", "size": size, "last_checkpoint": checkpoint}


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
