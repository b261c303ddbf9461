"""Table definitions of the SQL storages, for ``create_schema`` and Django migrations."""

from __future__ import annotations

import sqlite3
from typing import Any, Literal

__all__ = [
    "APPEND_ONLY_TABLES",
    "Dialect",
    "append_only_sql",
    "create_schema",
    "drop_append_only_sql",
    "schema_sql",
]

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


# The history itself: once written, a row is never changed or removed by the log, so the
# database refuses it too. journal_head is left out: every append updates it, and a head
# wound back is caught by verify_log (it counts the stored leaves).
APPEND_ONLY_TABLES = ("journal_leaf", "journal_node", "journal_checkpoint")

# PostgreSQL: one trigger function for all three tables. Row-level triggers do not fire on
# TRUNCATE, which test suites use to empty databases; a superuser can bypass either anyway,
# the triggers stop the application, a mistaken query or a non-owner role.
_PG_FUNCTION = """CREATE OR REPLACE FUNCTION journal_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING
        ERRCODE = 'integrity_constraint_violation',
        MESSAGE = TG_TABLE_NAME || ' is append-only: ' || TG_OP || ' refused';
END
$$"""


def _check_dialect(dialect: str) -> None:
    if dialect not in _TYPES:
        raise ValueError(f"unknown SQL dialect {dialect!r}; use 'sqlite' or 'postgresql'")


def append_only_sql(dialect: Dialect) -> list[str]:
    """Return idempotent DDL making leaf, node and checkpoint rows refuse UPDATE and DELETE."""
    _check_dialect(dialect)
    if dialect == "postgresql":
        return [_PG_FUNCTION] + [
            f"CREATE OR REPLACE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION journal_refuse_change()"
            for table in APPEND_ONLY_TABLES
        ]
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {op} refused'); END"
        for table in APPEND_ONLY_TABLES
        for op in ("UPDATE", "DELETE")
    ]


def drop_append_only_sql(dialect: Dialect) -> list[str]:
    """Return DDL removing the append-only triggers (for migrations going backwards)."""
    _check_dialect(dialect)
    if dialect == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}" for table in APPEND_ONLY_TABLES
        ] + ["DROP FUNCTION IF EXISTS journal_refuse_change()"]
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_{op}"
        for table in APPEND_ONLY_TABLES
        for op in ("update", "delete")
    ]


def schema_sql(dialect: Dialect) -> list[str]:
    """Return the idempotent DDL statements (tables, then append-only triggers) for ``dialect``."""
    _check_dialect(dialect)
    tables = [stmt.format(**_TYPES[dialect]) for stmt in _TEMPLATE]
    return tables + append_only_sql(dialect)


def create_schema(conn: Any) -> None:
    """Create the journal tables on a ``sqlite3`` or ``psycopg`` connection if missing.

    Runs in the caller's transaction and commits nothing.
    """
    dialect: Dialect = "sqlite" if isinstance(conn, sqlite3.Connection) else "postgresql"
    for stmt in schema_sql(dialect):
        conn.execute(stmt)
