"""The log over each storage: appends, roots, proofs, checkpoints, and the
caller-owned transaction contract of the SQL storages."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tunduk.journal import (
    Log,
    MemoryStorage,
    PostgresStorage,
    SQLiteStorage,
    Storage,
    StorageError,
    StoredCheckpoint,
    append_only_sql,
    create_schema,
    leaf_hash,
    merkle_root,
    schema_sql,
    verify_consistency,
    verify_inclusion,
)


def test_appends_return_contiguous_indices(storage: Storage) -> None:
    """append and append_many return consecutive indices and grow the size."""
    log = Log(storage)
    assert log.size() == 0
    assert log.append(b"a") == 0
    assert log.append_many([b"b", b"c", b"d"]) == 1
    assert log.append_many([]) == 4
    assert log.append(b"e") == 4
    assert log.size() == 5
    assert [log.entry(i) for i in range(5)] == [b"a", b"b", b"c", b"d", b"e"]


def test_roots_and_proofs_agree_with_memory(storage: Storage) -> None:
    """Roots and proofs from each storage equal those from a fresh in-memory log."""
    entries = [b"entry %d" % i for i in range(37)]
    log = Log(storage)
    log.append_many(entries[:10])
    for e in entries[10:17]:
        log.append(e)
    log.append_many(entries[17:])
    reference = Log(MemoryStorage())
    reference.append_many(entries)
    leaves = [leaf_hash(e) for e in entries]
    for size in (1, 2, 7, 16, 17, 37):
        assert log.root(size) == merkle_root(leaves[:size]) == reference.root(size)
        for index in (0, size // 2, size - 1):
            proof = log.inclusion_proof(index, size)
            assert proof == reference.inclusion_proof(index, size)
            verify_inclusion(leaves[index], index, size, proof, log.root(size))
        proof = log.consistency_proof(size, 37)
        assert proof == reference.consistency_proof(size, 37)
        verify_consistency(size, 37, proof, log.root(size), log.root())


def test_checkpoints_are_stored_once_with_their_token(storage: Storage) -> None:
    """Issue 7 (2): checkpoints are kept by size with token and write time, never replaced."""
    storage.add_checkpoint(StoredCheckpoint(3, b"r" * 32, "n3\n", b"token"))
    storage.add_checkpoint(StoredCheckpoint(1, b"q" * 32, "n1\n"))
    with pytest.raises(StorageError, match="exists"):
        storage.add_checkpoint(StoredCheckpoint(3, b"r" * 32, "again\n"))
    assert [c.tree_size for c in storage.checkpoints()] == [1, 3]
    latest = storage.latest_checkpoint()
    assert latest == StoredCheckpoint(3, b"r" * 32, "n3\n", b"token")
    assert latest is not None and latest.created_at is not None
    assert latest.created_at.utcoffset() is not None, "write times are aware (UTC)"


def test_missing_entries_raise_storage_error(storage: Storage) -> None:
    """Reading an entry or subtree that is not stored raises StorageError."""
    Log(storage).append(b"only")
    with pytest.raises(StorageError):
        storage.get_entry(1)
    with pytest.raises(StorageError):
        storage.get_nodes([(1, 0)])


def test_schema_sql_is_idempotent_ddl() -> None:
    """schema_sql gives CREATE TABLE IF NOT EXISTS statements for journal_ tables."""
    for dialect in ("sqlite", "postgresql"):
        ddl = schema_sql(dialect)
        creates = [s for s in ddl if s.startswith("CREATE TABLE")]
        assert all("IF NOT EXISTS journal_" in s for s in creates)
        assert len(creates) == 4
        assert set(append_only_sql(dialect)) <= set(ddl), "the tables come append-only"
    with pytest.raises(ValueError):
        schema_sql("oracle")  # type: ignore[arg-type]  # an unsupported dialect on purpose


def test_sqlite_storage_never_commits(sqlite_conn: sqlite3.Connection) -> None:
    """Appends join the caller's transaction: a rollback removes them entirely."""
    log = Log(SQLiteStorage(sqlite_conn))
    log.append_many([b"a", b"b"])
    sqlite_conn.commit()
    log.append_many([b"c", b"d", b"e"])
    assert log.size() == 5
    sqlite_conn.rollback()
    assert log.size() == 2
    assert log.append(b"c2") == 2
    sqlite_conn.commit()
    assert log.root() == merkle_root([leaf_hash(e) for e in (b"a", b"b", b"c2")])


def test_sqlite_autocommit_connection_needs_a_transaction(tmp_path: Path) -> None:
    """In autocommit mode a write outside BEGIN is refused; atomic=True wraps it instead."""
    conn = sqlite3.connect(tmp_path / "j.sqlite3", isolation_level=None)
    create_schema(conn)
    with pytest.raises(StorageError, match="open transaction"):
        SQLiteStorage(conn).append_leaves([b"x"], [leaf_hash(b"x")])
    conn.execute("BEGIN IMMEDIATE")
    Log(SQLiteStorage(conn)).append(b"x")
    conn.execute("ROLLBACK")
    assert SQLiteStorage(conn).size() == 0
    Log(SQLiteStorage(conn, atomic=True)).append(b"y")
    other = sqlite3.connect(tmp_path / "j.sqlite3")
    assert SQLiteStorage(other).size() == 1
    conn.close()
    other.close()


def test_postgres_storage_never_commits(pg_conn: psycopg.Connection[Any]) -> None:
    """On PostgreSQL too, appends are undone by the caller's rollback."""
    log = Log(PostgresStorage(pg_conn))
    log.append_many([b"a", b"b"])
    pg_conn.commit()
    log.append(b"c")
    pg_conn.rollback()
    assert log.size() == 2
    assert log.append(b"c2") == 2
    pg_conn.commit()


def test_postgres_autocommit_needs_a_transaction(pg_dsn: str) -> None:
    """An autocommit psycopg connection is refused outside a transaction block."""
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        with pytest.raises(StorageError, match="open transaction"):
            Log(PostgresStorage(conn)).append(b"x")
        with conn.transaction():
            Log(PostgresStorage(conn)).append(b"x")
        Log(PostgresStorage(conn, atomic=True)).append(b"y")
        assert PostgresStorage(conn).size() == 2


def test_sqlite_appends_look_subtrees_up_by_key_not_by_scan(
    sqlite_conn: sqlite3.Connection,
) -> None:
    """RFC 9162 §2.1 frontier reads stay O(log n): no statement of an append scans a table."""
    log = Log(SQLiteStorage(sqlite_conn, atomic=True))
    log.append_many([bytes([i]) for i in range(37)])  # frontier of 37: levels 0, 2 and 5
    statements: list[str] = []
    sqlite_conn.set_trace_callback(statements.append)
    log.append_many([b"next", b"one"])
    sqlite_conn.set_trace_callback(None)
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert any("journal_node" in s for s in reads)
    for statement in reads:
        plan = sqlite_conn.execute("EXPLAIN QUERY PLAN " + statement).fetchall()
        scans = [row[3] for row in plan if str(row[3]).startswith("SCAN journal_")]
        assert not scans, f"{statement} scans: {scans}"
