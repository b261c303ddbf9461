"""The journal's size and last checkpoint for ``tunduk gateway status``, read-only.

Read straight through :mod:`tunduk.journal`'s storages, so the command works whether the
gateway runs or not: SQLite opened ``mode=ro`` (a running gateway's WAL writer is not
disturbed), PostgreSQL in a read-only transaction. Peer cosignatures are counted from
``checkpoint_cosignatures`` when the journal has that table (gw/journal's message log).
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tunduk.journal import JournalError, PostgresStorage, SQLiteStorage, StoredCheckpoint

__all__ = ["journal_status"]

_COSIGNATURES = "SELECT COUNT(*) FROM checkpoint_cosignatures WHERE tree_size = {mark}"


def journal_status(url: str) -> dict[str, Any]:
    """``{"state": "ok", "size", "last_checkpoint"}``, or ``state`` missing/error with ``error``."""
    try:
        if url.startswith("sqlite://"):
            return _sqlite(Path(url[len("sqlite://") :]))
        if url.startswith(("postgresql://", "postgres://")):
            return _postgres(url)
    except (sqlite3.Error, JournalError, OSError) as error:
        return {"state": "error", "error": f"the journal cannot be read: {error}"}
    except Exception as error:  # psycopg's errors; it is imported only for PostgreSQL
        if type(error).__module__.startswith("psycopg"):
            return {"state": "error", "error": f"the journal cannot be read: {error}"}
        raise
    return {"state": "error", "error": f"unsupported journal URL {url.split(':', 1)[0]}:"}


def _sqlite(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {"state": "missing", "error": f"{path} does not exist yet (the gateway never ran)"}
    conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=5)
    try:
        storage = SQLiteStorage(conn)
        size = storage.size()
        latest = storage.latest_checkpoint()
        cosigned = _cosignatures(conn, latest, "?", sqlite3.OperationalError)
    finally:
        conn.close()
    return _section(size, latest, cosigned)


def _postgres(url: str) -> dict[str, Any]:
    import psycopg

    with psycopg.connect(url, connect_timeout=5, autocommit=True) as conn:
        conn.execute("SET default_transaction_read_only = on")
        storage = PostgresStorage(conn)
        size = storage.size()
        latest = storage.latest_checkpoint()
        cosigned = _cosignatures(conn, latest, "%s", psycopg.errors.UndefinedTable)
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
