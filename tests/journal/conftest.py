"""Fixtures for the journal tests: vector folders, SQLite and PostgreSQL connections.

Nothing here needs Django or its test database. PostgreSQL tests run against
127.0.0.1:5432 (user ``postgres``, or ``TUNDUK_PG_DSN``) in a throwaway database;
they are skipped only when ``TUNDUK_SKIP_PG`` is set, and fail when PG is unreachable.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tunduk.journal import (
    MemoryStorage,
    PostgresStorage,
    SQLiteStorage,
    Storage,
    create_schema,
)

PG_DSN = os.environ.get("TUNDUK_PG_DSN", "host=127.0.0.1 port=5432 user=postgres dbname=postgres")


# The team's shared folder sits beside the checkout (../shared); a clone made elsewhere on
# the same machine finds it at its fixed place.
SHARED_VECTOR_PLACES = (
    Path(__file__).resolve().parents[2].parent / "shared" / "testvectors",
    Path("/work/shared/testvectors"),
)


def vectors_dir() -> Path:
    """Return the shared test-vector folder: $TUNDUK_TESTVECTORS, ../shared, or /work/shared.

    When none exists the first candidate is returned, so the vector tests fail (not skip).
    """
    override = os.environ.get("TUNDUK_TESTVECTORS")
    if override:
        return Path(override)
    return next(
        (place for place in SHARED_VECTOR_PLACES if place.is_dir()), SHARED_VECTOR_PLACES[0]
    )


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """Create a throwaway PostgreSQL database for the session; yield its conninfo."""
    if os.environ.get("TUNDUK_SKIP_PG"):
        pytest.skip("TUNDUK_SKIP_PG is set")
    name = f"journal_test_{secrets.token_hex(6)}"
    with psycopg.connect(PG_DSN, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    dsn = psycopg.conninfo.make_conninfo(PG_DSN, dbname=name)
    try:
        yield dsn
    finally:
        with psycopg.connect(PG_DSN, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def pg_dsn(pg_database: str) -> str:
    """Return a conninfo whose search_path is a fresh schema with the journal tables."""
    schema = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(pg_database, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    dsn = psycopg.conninfo.make_conninfo(pg_database, options=f"-c search_path={schema}")
    with psycopg.connect(dsn) as conn:
        create_schema(conn)
        conn.commit()
    return dsn


@pytest.fixture
def pg_conn(pg_dsn: str) -> Iterator[psycopg.Connection[Any]]:
    """Return a non-autocommit psycopg connection on a fresh journal schema."""
    with psycopg.connect(pg_dsn) as conn:
        yield conn


@pytest.fixture
def sqlite_conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    """Return a sqlite3 connection (module's default transaction mode) with the tables."""
    conn = sqlite3.connect(tmp_path / "journal.sqlite3")
    create_schema(conn)
    conn.commit()
    yield conn
    conn.close()


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def storage(request: pytest.FixtureRequest) -> Storage:
    """Return each kind of storage in turn, empty."""
    if request.param == "memory":
        return MemoryStorage()
    if request.param == "sqlite":
        return SQLiteStorage(request.getfixturevalue("sqlite_conn"))
    return PostgresStorage(request.getfixturevalue("pg_conn"))


@pytest.fixture(params=["sqlite", "postgresql"])
def sql_storage(request: pytest.FixtureRequest) -> tuple[Storage, Any]:
    """Return each SQL storage in turn with its connection (for tampering)."""
    if request.param == "sqlite":
        conn: Any = request.getfixturevalue("sqlite_conn")
        return SQLiteStorage(conn), conn
    conn = request.getfixturevalue("pg_conn")
    return PostgresStorage(conn), conn
