"""Issue 7 (2): the database itself refuses to change or remove leaves, nodes and
checkpoints, on SQLite and PostgreSQL, while appends and TRUNCATE still work."""

from __future__ import annotations

import sqlite3
from typing import Any

import psycopg
import pytest

from tunduk.journal import (
    APPEND_ONLY_TABLES,
    Log,
    Storage,
    drop_append_only_sql,
    generate_signer,
    verify_log,
)

ORIGIN = "log.example/append-only"
SIGNER = generate_signer(ORIGIN)
REFUSED = (sqlite3.IntegrityError, psycopg.errors.IntegrityConstraintViolation)
ATTACKS = [
    "UPDATE journal_leaf SET entry = ? WHERE idx = 3",
    "DELETE FROM journal_leaf WHERE idx = 8",
    "UPDATE journal_node SET hash = ? WHERE level = 1 AND idx = 0",
    "DELETE FROM journal_node",
    "UPDATE journal_checkpoint SET note = ? WHERE tree_size = 9",
    "DELETE FROM journal_checkpoint",
]


def _filled(sql_storage: tuple[Storage, Any]) -> tuple[Log, Any, str]:
    storage, conn = sql_storage
    log = Log(storage, origin=ORIGIN)
    log.append_many([b"entry %d" % i for i in range(9)])
    log.sign_checkpoint(SIGNER)
    conn.commit()
    return log, conn, "?" if isinstance(conn, sqlite3.Connection) else "%s"


@pytest.mark.parametrize("attack", ATTACKS)
def test_update_and_delete_are_refused(sql_storage: tuple[Storage, Any], attack: str) -> None:
    """Issue 7 (2): UPDATE and DELETE of a leaf, node or checkpoint row fail in the database."""
    log, conn, mark = _filled(sql_storage)
    params = (b"x" * 32,) if "?" in attack.split("WHERE")[0] else ()
    with pytest.raises(REFUSED, match="append-only"):
        conn.execute(attack.replace("?", mark), params)
    conn.rollback()
    assert verify_log(log.storage, [SIGNER.verifier()], origin=ORIGIN).ok


def test_the_owner_can_drop_the_triggers_and_verify_still_catches_it(
    sql_storage: tuple[Storage, Any],
) -> None:
    """Issue 7 (2): triggers stop the application; an owner who drops them is caught by verify."""
    log, conn, mark = _filled(sql_storage)
    dialect = "sqlite" if mark == "?" else "postgresql"
    for statement in drop_append_only_sql(dialect):
        conn.execute(statement)
    conn.execute("DELETE FROM journal_checkpoint")
    conn.execute(f"UPDATE journal_leaf SET entry = {mark} WHERE idx = 3", (b"forged",))
    conn.commit()
    failure = verify_log(log.storage, [SIGNER.verifier()], origin=ORIGIN).first_failure
    assert failure is not None and (failure.kind, failure.index) == ("entry", 3)


def test_postgres_truncate_is_allowed(pg_conn: psycopg.Connection[Any]) -> None:
    """Issue 7 (2): only UPDATE and DELETE are refused; TRUNCATE (test suites) still works."""
    from tunduk.journal import PostgresStorage

    log = Log(PostgresStorage(pg_conn), origin=ORIGIN)
    log.append_many([b"a", b"b", b"c"])
    log.sign_checkpoint(SIGNER)
    pg_conn.commit()
    pg_conn.execute("TRUNCATE " + ", ".join(APPEND_ONLY_TABLES))
    pg_conn.execute("UPDATE journal_head SET tree_size = 0")
    pg_conn.commit()
    assert log.size() == 0 and log.storage.checkpoints() == []
