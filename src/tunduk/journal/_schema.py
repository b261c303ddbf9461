"""Table definitions of the SQL storages, for ``create_schema`` and Django migrations."""

from __future__ import annotations

import sqlite3
from typing import Any, Literal

__all__ = ["Dialect", "create_schema", "schema_sql"]

Dialect = Literal["sqlite", "postgresql"]

_TYPES: dict[str, dict[str, str]] = {
    "sqlite": {"int": "INTEGER", "blob": "BLOB", "time": "TEXT", "now": "CURRENT_TIMESTAMP"},
    "postgresql": {"int": "BIGINT", "blob": "BYTEA", "time": "TIMESTAMPTZ", "now": "now()"},
}

_TEMPLATE = [
    # One row holding the tree size. Writers reserve their indices by updating it,
    # which also serialises concurrent appends on the row lock.
    """CREATE TABLE IF NOT EXISTS journal_head (
    id {int} PRIMARY KEY CHECK (id = 1),
    tree_size {int} NOT NULL CHECK (tree_size >= 0)
)""",
    "INSERT INTO journal_head (id, tree_size) VALUES (1, 0) ON CONFLICT DO NOTHING",
    """CREATE TABLE IF NOT EXISTS journal_leaf (
    idx {int} PRIMARY KEY CHECK (idx >= 0),
    leaf_hash {blob} NOT NULL,
    entry {blob} NOT NULL
)""",
    # Hashes of complete perfect subtrees: (level, idx) covers leaves
    # [idx * 2**level, (idx + 1) * 2**level). Level 0 lives in journal_leaf.
    """CREATE TABLE IF NOT EXISTS journal_node (
    level {int} NOT NULL CHECK (level > 0),
    idx {int} NOT NULL CHECK (idx >= 0),
    hash {blob} NOT NULL,
    PRIMARY KEY (level, idx)
)""",
    """CREATE TABLE IF NOT EXISTS journal_checkpoint (
    tree_size {int} PRIMARY KEY CHECK (tree_size >= 0),
    root_hash {blob} NOT NULL,
    note TEXT NOT NULL,
    timestamp_token {blob},
    created_at {time} NOT NULL DEFAULT {now}
)""",
]


def schema_sql(dialect: Dialect) -> list[str]:
    """Return the idempotent DDL statements (``CREATE TABLE IF NOT EXISTS``) for ``dialect``."""
    if dialect not in _TYPES:
        raise ValueError(f"unknown SQL dialect {dialect!r}; use 'sqlite' or 'postgresql'")
    return [stmt.format(**_TYPES[dialect]) for stmt in _TEMPLATE]


def create_schema(conn: Any) -> None:
    """Create the journal tables on a ``sqlite3`` or ``psycopg`` connection if missing.

    Runs in the caller's transaction and commits nothing.
    """
    dialect: Dialect = "sqlite" if isinstance(conn, sqlite3.Connection) else "postgresql"
    for stmt in schema_sql(dialect):
        conn.execute(stmt)
