"""SQL storages: SQLite (``sqlite3``) and PostgreSQL (``psycopg`` 3).

Both work inside the caller's transaction and never commit, roll back or begin one
on their own, unless built with ``atomic=True`` (then each write runs in a savepoint,
which commits only when no outer transaction is open). Appends reserve their indices
with ``UPDATE journal_head ... RETURNING``: the row lock serialises concurrent writers
until their transactions end, so indices form one gap-free sequence. That needs the
READ COMMITTED isolation level on PostgreSQL (the default, and Django's).
"""

from __future__ import annotations

import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any, TypeVar

import psycopg
from psycopg import pq

from ._errors import StorageError
from ._storage import LeafRow, NodeRow, StoredCheckpoint
from ._tree import complete_nodes, frontier_keys

__all__ = ["PostgresStorage", "SQLiteStorage"]

_T = TypeVar("_T")
Row = tuple[Any, ...]


def _as_datetime(value: object) -> datetime | None:
    """A stored ``created_at`` as an aware UTC datetime (SQLite keeps UTC text)."""
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if isinstance(value, str):
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    return None


class _SQLStorage(ABC):
    """Queries shared by the SQL storages; subclasses adapt the driver."""

    _atomic: bool

    @abstractmethod
    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[Row]: ...

    @abstractmethod
    def _insert_many(self, table: str, columns: str, rows: list[Row]) -> None: ...

    @abstractmethod
    def _in_transaction(self) -> bool: ...

    @abstractmethod
    def _savepoint(self) -> AbstractContextManager[object]: ...

    def _write(self, action: Callable[[], _T]) -> _T:
        if self._atomic:
            with self._savepoint():
                return action()
        if not self._in_transaction():
            raise StorageError(
                "journal writes need an open transaction on the connection "
                "(wrap them in one, or build the storage with atomic=True)"
            )
        return action()

    def size(self) -> int:
        """Return the number of leaves in the log."""
        rows = self._query("SELECT tree_size FROM journal_head WHERE id = 1")
        if not rows:
            raise StorageError("journal_head has no row; run create_schema() first")
        return int(rows[0][0])

    def append_leaves(self, entries: Sequence[bytes], leaf_hashes: Sequence[bytes]) -> int:
        """Append leaves and the subtree hashes they complete; return the first index."""
        if len(entries) != len(leaf_hashes):
            raise StorageError("entries and leaf hashes differ in number")
        if not entries:
            return self.size()
        return self._write(lambda: self._append(entries, leaf_hashes))

    def _append(self, entries: Sequence[bytes], leaf_hashes: Sequence[bytes]) -> int:
        count = len(entries)
        rows = self._query(
            "UPDATE journal_head SET tree_size = tree_size + ? WHERE id = 1 RETURNING tree_size",
            (count,),
        )
        if not rows:
            raise StorageError("journal_head has no row; run create_schema() first")
        first = int(rows[0][0]) - count
        frontier = self.get_nodes(frontier_keys(first))
        nodes = complete_nodes(first, frontier, leaf_hashes)
        self._insert_many(
            "journal_leaf",
            "idx, leaf_hash, entry",
            [(first + i, h, e) for i, (h, e) in enumerate(zip(leaf_hashes, entries, strict=True))],
        )
        if nodes:
            self._insert_many("journal_node", "level, idx, hash", list(nodes))
        return first

    def get_nodes(self, keys: Sequence[tuple[int, int]]) -> list[bytes]:
        """Return perfect subtree hashes by ``(level, index)``; level 0 is the leaves."""
        found: dict[tuple[int, int], bytes] = {}
        leaves = [i for lv, i in keys if lv == 0]
        if leaves:
            marks = ", ".join("?" * len(leaves))
            for idx, h in self._query(
                f"SELECT idx, leaf_hash FROM journal_leaf WHERE idx IN ({marks})", leaves
            ):
                found[0, int(idx)] = bytes(h)
        inner = [k for k in keys if k[0] > 0]
        if inner:
            # OR of equalities, not ``(level, idx) IN ((?, ?), …)``: SQLite answers a row-value
            # IN list with a scan of the whole table (O(n) per append); this form is a
            # primary-key lookup per key on SQLite and PostgreSQL alike.
            where = " OR ".join(["(level = ? AND idx = ?)"] * len(inner))
            params = [v for k in inner for v in k]
            for level, idx, h in self._query(
                f"SELECT level, idx, hash FROM journal_node WHERE {where}", params
            ):
                found[int(level), int(idx)] = bytes(h)
        try:
            return [found[k] for k in keys]
        except KeyError as exc:
            raise StorageError(f"subtree (level, index) {exc.args[0]} is not stored") from None

    def get_entry(self, index: int) -> bytes:
        """Return the entry bytes stored at ``index``."""
        rows = self._query("SELECT entry FROM journal_leaf WHERE idx = ?", (index,))
        if not rows:
            raise StorageError(f"no entry at index {index}")
        return bytes(rows[0][0])

    def iter_leaves(self, start: int = 0, batch: int = 10_000) -> Iterator[LeafRow]:
        """Yield the stored leaves with index >= ``start`` in index order, as stored."""
        while True:
            rows = self._query(
                "SELECT idx, leaf_hash, entry FROM journal_leaf WHERE idx >= ? "
                "ORDER BY idx LIMIT ?",
                (start, batch),
            )
            for idx, h, e in rows:
                yield LeafRow(int(idx), bytes(h), bytes(e))
            if len(rows) < batch:
                return
            start = int(rows[-1][0]) + 1

    def iter_level(self, level: int, batch: int = 10_000) -> Iterator[NodeRow]:
        """Yield the stored node hashes of one level >= 1 in index order, as stored."""
        start = 0
        while True:
            rows = self._query(
                "SELECT idx, hash FROM journal_node WHERE level = ? AND idx >= ? "
                "ORDER BY idx LIMIT ?",
                (level, start, batch),
            )
            for idx, h in rows:
                yield NodeRow(level, int(idx), bytes(h))
            if len(rows) < batch:
                return
            start = int(rows[-1][0]) + 1

    def max_level(self) -> int:
        """Return the highest level that has a stored node (0 if none)."""
        return int(self._query("SELECT COALESCE(MAX(level), 0) FROM journal_node")[0][0])

    def add_checkpoint(self, checkpoint: StoredCheckpoint) -> None:
        """Store a checkpoint; a second one for the same tree size is an error."""

        def insert() -> None:
            if self._query(
                "SELECT 1 FROM journal_checkpoint WHERE tree_size = ?", (checkpoint.tree_size,)
            ):
                raise StorageError(f"a checkpoint for tree size {checkpoint.tree_size} exists")
            self._query(
                "INSERT INTO journal_checkpoint (tree_size, root_hash, note, timestamp_token) "
                "VALUES (?, ?, ?, ?) RETURNING tree_size",
                (
                    checkpoint.tree_size,
                    checkpoint.root_hash,
                    checkpoint.note,
                    checkpoint.timestamp_token,
                ),
            )

        self._write(insert)

    def _checkpoint_rows(self, suffix: str) -> list[StoredCheckpoint]:
        rows = self._query(
            "SELECT tree_size, root_hash, note, timestamp_token, created_at "
            "FROM journal_checkpoint " + suffix
        )
        return [
            StoredCheckpoint(
                int(s), bytes(r), str(n), None if t is None else bytes(t), _as_datetime(c)
            )
            for s, r, n, t, c in rows
        ]

    def checkpoints(self) -> list[StoredCheckpoint]:
        """Return every stored checkpoint, smallest tree size first."""
        return self._checkpoint_rows("ORDER BY tree_size")

    def latest_checkpoint(self) -> StoredCheckpoint | None:
        """Return the stored checkpoint with the largest tree size, if any."""
        rows = self._checkpoint_rows("ORDER BY tree_size DESC LIMIT 1")
        return rows[0] if rows else None


class SQLiteStorage(_SQLStorage):
    """A :class:`Storage` on a caller-supplied ``sqlite3.Connection``.

    Writes need an open transaction (``BEGIN``, the module's implicit one, or Django's
    ``atomic()``); with ``atomic=True`` each write runs in its own savepoint instead.
    """

    def __init__(self, conn: sqlite3.Connection, *, atomic: bool = False) -> None:
        """Wrap ``conn``; the tables must exist (see :func:`create_schema`)."""
        self._conn = conn
        self._atomic = atomic

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return self._conn.execute(sql, tuple(params)).fetchall()

    def _insert_many(self, table: str, columns: str, rows: list[Row]) -> None:
        marks = ", ".join("?" * len(rows[0]))
        self._conn.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)

    def _in_transaction(self) -> bool:
        # In the module's legacy mode (isolation_level not None) the first write opens
        # a transaction implicitly; in autocommit mode one must already be open.
        return self._conn.in_transaction or self._conn.isolation_level is not None

    def _savepoint(self) -> AbstractContextManager[object]:
        return _SQLiteSavepoint(self._conn)


class _SQLiteSavepoint:
    """A savepoint on a sqlite3 connection, released on success, rolled back on error."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def __enter__(self) -> None:
        self._conn.execute("SAVEPOINT journal_write")

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is not None:
            self._conn.execute("ROLLBACK TO journal_write")
        self._conn.execute("RELEASE journal_write")


class PostgresStorage(_SQLStorage):
    """A :class:`Storage` on a caller-supplied ``psycopg.Connection`` (psycopg 3).

    Writes need an open transaction (a non-autocommit connection opens one by itself;
    Django's ``atomic()`` does too); with ``atomic=True`` each write runs in
    ``conn.transaction()`` instead. Use READ COMMITTED isolation.
    """

    def __init__(self, conn: psycopg.Connection[Any], *, atomic: bool = False) -> None:
        """Wrap ``conn``; the tables must exist (see :func:`create_schema`)."""
        self._conn = conn
        self._atomic = atomic

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        cur = self._conn.execute(sql.replace("?", "%s"), tuple(params))
        return list(cur.fetchall()) if cur.description is not None else []

    def _insert_many(self, table: str, columns: str, rows: list[Row]) -> None:
        # COPY is several times faster than INSERT for batches and stays in the transaction.
        with self._conn.cursor() as cur:
            copy_sql = f"COPY {table} ({columns}) FROM STDIN"
            with cur.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)

    def _in_transaction(self) -> bool:
        if not self._conn.autocommit:
            return True
        return self._conn.info.transaction_status != pq.TransactionStatus.IDLE

    def _savepoint(self) -> AbstractContextManager[object]:
        return self._conn.transaction()
