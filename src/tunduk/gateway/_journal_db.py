"""The gateway journal's database: URLs, connections, tables beside the Merkle log.

A journal lives in its own database, SQLite (WAL, ``synchronous=FULL``: a commit is on
disk before it returns) or PostgreSQL. Besides ``tunduk.journal``'s tables it holds:

``stored_messages``
    per leaf index: the message id, when it was recorded, the salt, raw headers and body
    (the three erasable, set to NULL by erasure) and when they were erased;
``checkpoint_cosignatures``
    per checkpoint and peer: the cosignature line, the peer's cosigner key, its binding
    to the peer's signing certificate, and that certificate;
``journal_meta``
    the log's origin, so a journal is never reopened under another name.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg

from tunduk.journal import (
    Dialect,
    JournalError,
    LeafRow,
    NodeRow,
    PostgresStorage,
    SQLiteStorage,
    StoredCheckpoint,
    create_schema,
)

__all__ = ["Connection", "JournalDatabase", "ThreadLocalStorage", "parse_journal_url"]

Connection = Any  # a sqlite3.Connection or a psycopg.Connection
SQLStorage = SQLiteStorage | PostgresStorage

_TYPES = {
    "sqlite": {"int": "INTEGER", "blob": "BLOB"},
    "postgresql": {"int": "BIGINT", "blob": "BYTEA"},
}
_TABLES = [
    """CREATE TABLE IF NOT EXISTS stored_messages (
    idx {int} PRIMARY KEY CHECK (idx >= 0),
    message_id TEXT NOT NULL,
    recorded_us {int} NOT NULL,
    salt {blob},
    headers {blob},
    body {blob},
    erased_us {int}
)""",
    "CREATE INDEX IF NOT EXISTS stored_messages_message_id ON stored_messages (message_id)",
    "CREATE INDEX IF NOT EXISTS stored_messages_recorded ON stored_messages (recorded_us)",
    """CREATE TABLE IF NOT EXISTS checkpoint_cosignatures (
    tree_size {int} NOT NULL,
    peer TEXT NOT NULL,
    signature_line TEXT NOT NULL,
    cosigner_key TEXT NOT NULL,
    key_binding {blob} NOT NULL,
    signing_certificate {blob} NOT NULL,
    received_us {int} NOT NULL,
    PRIMARY KEY (tree_size, peer)
)""",
    "CREATE TABLE IF NOT EXISTS journal_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
]


def parse_journal_url(url: str) -> tuple[Dialect, str]:
    """Return the dialect and the SQLite path or PostgreSQL URL of a journal URL.

    ``sqlite:///abs/path/journal.sqlite3`` (the path after ``sqlite://`` must be absolute)
    or ``postgresql://…`` / ``postgres://…`` (libpq URI).
    """
    if url.startswith("sqlite://"):
        path = url[len("sqlite://") :]
        if not path.startswith("/") or "?" in path:
            raise JournalError(f"journal URL {url!r}: sqlite:// needs an absolute path")
        return "sqlite", path
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql", url
    raise JournalError(f"journal URL {url!r}: must be sqlite:/// or postgresql://")


@dataclass(frozen=True)
class JournalDatabase:
    """Where a gateway journal lives and how to connect to it."""

    dialect: Dialect
    target: str  # the SQLite file path or the PostgreSQL URL

    @classmethod
    def from_url(cls, url: str) -> JournalDatabase:
        """Parse ``url`` (see :func:`parse_journal_url`)."""
        return cls(*parse_journal_url(url))

    def connect_writer(self) -> Connection:
        """Open the connection the writer thread owns: explicit transactions, durable commits."""
        if self.dialect == "sqlite":
            conn = sqlite3.connect(self.target, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA busy_timeout=30000")
            return conn
        return psycopg.connect(self.target, autocommit=False)

    def connect_reader(self) -> Connection:
        """Open a connection for reads (each statement sees the latest commit)."""
        if self.dialect == "sqlite":
            conn = sqlite3.connect(self.target, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA busy_timeout=30000")
            return conn
        return psycopg.connect(self.target, autocommit=True)

    def storage(self, conn: Connection, *, atomic: bool = False) -> SQLStorage:
        """Return the ``tunduk.journal`` storage over ``conn``."""
        if self.dialect == "sqlite":
            return SQLiteStorage(conn, atomic=atomic)
        return PostgresStorage(conn, atomic=atomic)

    def begin(self, conn: Connection) -> None:
        """Open a write transaction on a writer connection."""
        if self.dialect == "sqlite":
            conn.execute("BEGIN IMMEDIATE")

    def create_tables(self, conn: Connection, origin: str) -> None:
        """Create the log's and the gateway's tables; refuse a journal of another origin."""
        self.begin(conn)
        try:
            create_schema(conn)
            for statement in _TABLES:
                conn.execute(statement.format(**_TYPES[self.dialect]))
            found = self.query(conn, "SELECT value FROM journal_meta WHERE name = 'origin'")
            if not found:
                self.execute(
                    conn, "INSERT INTO journal_meta (name, value) VALUES ('origin', ?)", (origin,)
                )
            elif found[0][0] != origin:
                raise JournalError(
                    f"this journal belongs to {found[0][0]!r}, not to {origin!r}; "
                    "give each gateway its own journal database"
                )
            conn.commit()
        except BaseException:
            conn.rollback()
            raise

    def query(self, conn: Connection, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """Run ``sql`` (``?`` placeholders) and return every row."""
        if self.dialect == "postgresql":
            sql = sql.replace("?", "%s")
        cursor = conn.execute(sql, tuple(params))
        return list(cursor.fetchall()) if cursor.description is not None else []

    def execute(self, conn: Connection, sql: str, params: Sequence[Any] = ()) -> int:
        """Run a write statement (``?`` placeholders); return the affected row count."""
        if self.dialect == "postgresql":
            sql = sql.replace("?", "%s")
        return int(conn.execute(sql, tuple(params)).rowcount)

    def insert_many(self, conn: Connection, table: str, columns: str, rows: list[Any]) -> None:
        """Insert ``rows`` in one statement batch (COPY on PostgreSQL)."""
        if not rows:
            return
        if self.dialect == "sqlite":
            marks = ", ".join("?" * len(rows[0]))
            conn.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
            return
        with conn.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


class ThreadLocalStorage:
    """A ``tunduk.journal`` storage giving each thread its own reader connection.

    Writes (checkpoints) through it run in their own transaction (``atomic=True``).
    """

    def __init__(self, database: JournalDatabase) -> None:
        """Connect lazily, once per thread that uses it."""
        self._database = database
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[Connection] = []

    def connection(self) -> Connection:
        """Return this thread's reader connection."""
        conn: Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._database.connect_reader()
            self._local.conn = conn
            self._local.storage = self._database.storage(conn, atomic=True)
            with self._lock:
                self._connections.append(conn)
        return conn

    def _storage(self) -> SQLStorage:
        self.connection()
        storage: SQLStorage = self._local.storage
        return storage

    def close(self) -> None:
        """Close every reader connection (call once no thread uses them)."""
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()

    def size(self) -> int:
        """Return the number of leaves in the log."""
        return self._storage().size()

    def append_leaves(self, entries: Sequence[bytes], leaf_hashes: Sequence[bytes]) -> int:
        """Append leaves (tests only: the gateway appends through its writer)."""
        return self._storage().append_leaves(entries, leaf_hashes)

    def get_nodes(self, keys: Sequence[tuple[int, int]]) -> list[bytes]:
        """Return perfect subtree hashes by ``(level, index)``."""
        return self._storage().get_nodes(keys)

    def get_entry(self, index: int) -> bytes:
        """Return the entry bytes stored at ``index``."""
        return self._storage().get_entry(index)

    def iter_leaves(self, start: int = 0, batch: int = 10_000) -> Iterator[LeafRow]:
        """Yield the stored leaves from ``start`` in index order."""
        return self._storage().iter_leaves(start, batch)

    def iter_level(self, level: int, batch: int = 10_000) -> Iterator[NodeRow]:
        """Yield the stored node hashes of one level in index order."""
        return self._storage().iter_level(level, batch)

    def max_level(self) -> int:
        """Return the highest level that has a stored node."""
        return self._storage().max_level()

    def add_checkpoint(self, checkpoint: StoredCheckpoint) -> None:
        """Store a checkpoint in its own transaction."""
        self._storage().add_checkpoint(checkpoint)

    def checkpoints(self) -> list[StoredCheckpoint]:
        """Return every stored checkpoint, smallest tree size first."""
        return self._storage().checkpoints()

    def latest_checkpoint(self) -> StoredCheckpoint | None:
        """Return the stored checkpoint with the largest tree size, if any."""
        return self._storage().latest_checkpoint()


def run_in(database: JournalDatabase, conn: Connection, action: Callable[[], Any]) -> Any:
    """Run ``action`` in one write transaction on ``conn``, committing or rolling back."""
    database.begin(conn)
    try:
        result = action()
    except BaseException:
        conn.rollback()
        raise
    conn.commit()
    return result
