"""verify_log re-reads a stored log and names the first entry or checkpoint that
does not hold, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from tunduk.journal import (
    Log,
    MemoryStorage,
    Signer,
    Storage,
    drop_append_only_sql,
    generate_signer,
    leaf_hash,
    sign_checkpoint,
    verify_log,
)

ORIGIN = "log.example/journal"
SIGNER: Signer = generate_signer(ORIGIN)


def _fill(storage: Storage, conn: Any = None) -> Log:
    """Append 40 entries with checkpoints at 10, 25 (time-stamped) and 40; commit if SQL."""
    log = Log(storage, origin=ORIGIN)
    log.append_many([b"entry %d" % i for i in range(10)])
    log.sign_checkpoint(SIGNER)
    for i in range(10, 25):
        log.append(b"entry %d" % i)
    log.sign_checkpoint(SIGNER, timestamper=lambda body: b"token")
    log.append_many([b"entry %d" % i for i in range(25, 40)])
    log.sign_checkpoint(SIGNER)
    if conn is not None:
        conn.commit()
    return log


def _tamper(conn: Any, sql: str, *params: Any) -> None:
    """Run ``sql`` as the database's owner would: append-only triggers dropped first."""
    dialect = "sqlite" if type(conn).__module__ == "sqlite3" else "postgresql"
    for statement in drop_append_only_sql(dialect):
        conn.execute(statement)
    conn.execute(sql.replace("?", "?" if dialect == "sqlite" else "%s"), params)
    conn.commit()


def test_untouched_log_verifies(sql_storage: tuple[Storage, Any]) -> None:
    """A log written normally verifies completely, with progress reported."""
    storage, conn = sql_storage
    _fill(storage, conn)
    seen: list[tuple[int, int]] = []
    report = verify_log(
        storage, [SIGNER.verifier()], origin=ORIGIN, progress=lambda d, t: seen.append((d, t))
    )
    assert report.ok, report.failures
    assert report.entries_checked == 40 and report.checkpoints_checked == 3
    assert report.nodes_checked == 40 - 2  # perfect subtrees of 40 leaves: 40 - popcount(40)
    assert seen[-1] == (40, 40)


def test_memory_log_verifies() -> None:
    """verify_log works on the in-memory storage too."""
    storage = MemoryStorage()
    _fill(storage)
    assert verify_log(storage, [SIGNER.verifier()]).ok


def test_changed_entry_byte_is_named(sql_storage: tuple[Storage, Any]) -> None:
    """Changing one byte of a stored entry is reported at that entry."""
    storage, conn = sql_storage
    _fill(storage, conn)
    _tamper(conn, "UPDATE journal_leaf SET entry = ? WHERE idx = 17", b"entry 1X")
    failure = verify_log(storage, [SIGNER.verifier()]).first_failure
    assert failure is not None
    assert (failure.kind, failure.index, failure.check) == ("entry", 17, "leaf-hash")


def test_rewritten_entry_with_new_leaf_hash_is_named(sql_storage: tuple[Storage, Any]) -> None:
    """Rewriting an entry and its leaf hash is caught by the stored subtree above it."""
    storage, conn = sql_storage
    _fill(storage, conn)
    _tamper(
        conn,
        "UPDATE journal_leaf SET entry = ?, leaf_hash = ? WHERE idx = 6",
        b"forged",
        leaf_hash(b"forged"),
    )
    failure = verify_log(storage, [SIGNER.verifier()]).first_failure
    assert failure is not None
    assert (failure.kind, failure.index, failure.check) == ("node", 6, "node-hash")


def test_deleted_row_is_named(sql_storage: tuple[Storage, Any]) -> None:
    """Deleting a leaf row is reported as that entry missing."""
    storage, conn = sql_storage
    _fill(storage, conn)
    _tamper(conn, "DELETE FROM journal_leaf WHERE idx = 12")
    failure = verify_log(storage, [SIGNER.verifier()]).first_failure
    assert failure is not None
    assert (failure.kind, failure.index, failure.check) == ("entry", 12, "missing")


def test_deleted_last_row_is_named(sql_storage: tuple[Storage, Any]) -> None:
    """Deleting the last leaf row is caught by the head size."""
    storage, conn = sql_storage
    _fill(storage, conn)
    _tamper(conn, "DELETE FROM journal_leaf WHERE idx = 39")
    failure = verify_log(storage, [SIGNER.verifier()]).first_failure
    assert failure is not None
    assert (failure.kind, failure.index) == ("head", 39)


def test_reordered_rows_are_named(sql_storage: tuple[Storage, Any]) -> None:
    """Swapping two rows (with their hashes) is reported at the first of them."""
    storage, conn = sql_storage
    _fill(storage, conn)
    _tamper(conn, "UPDATE journal_leaf SET idx = idx + 1000000 WHERE idx IN (20, 21)")
    _tamper(conn, "UPDATE journal_leaf SET idx = 21 WHERE idx = 1000020")
    _tamper(conn, "UPDATE journal_leaf SET idx = 20 WHERE idx = 1000021")
    failure = verify_log(storage, [SIGNER.verifier()]).first_failure
    assert failure is not None
    assert (failure.kind, failure.index, failure.check) == ("node", 20, "node-hash")


def test_replaced_checkpoint_is_named(sql_storage: tuple[Storage, Any]) -> None:
    """A checkpoint replaced by another validly signed one is reported at its size."""
    storage, conn = sql_storage
    log = _fill(storage, conn)
    forged = log.checkpoint(25)
    forged = type(forged)(ORIGIN, 25, log.root(24), ())
    _tamper(
        conn,
        "UPDATE journal_checkpoint SET note = ?, root_hash = ? WHERE tree_size = 25",
        sign_checkpoint(forged, SIGNER),
        forged.root_hash,
    )
    failure = verify_log(storage, [SIGNER.verifier()]).first_failure
    assert failure is not None
    assert (failure.kind, failure.index, failure.check) == ("checkpoint", 25, "root")


def test_checkpoint_signed_by_another_key_is_named(sql_storage: tuple[Storage, Any]) -> None:
    """A checkpoint whose signature is not by a known key is reported."""
    storage, conn = sql_storage
    log = _fill(storage, conn)
    note = sign_checkpoint(log.checkpoint(10), generate_signer(ORIGIN))
    _tamper(conn, "UPDATE journal_checkpoint SET note = ? WHERE tree_size = 10", note)
    failure = verify_log(storage, [SIGNER.verifier()]).first_failure
    assert failure is not None
    assert (failure.kind, failure.index, failure.check) == ("checkpoint", 10, "signature")


def test_hooks_report_entry_and_timestamp_failures(sql_storage: tuple[Storage, Any]) -> None:
    """entry_check and timestamp_verifier failures are reported where they occur."""
    storage, conn = sql_storage
    _fill(storage, conn)

    def entry_check(index: int, entry: bytes) -> None:
        if index == 33:
            raise ValueError("sender signature invalid")

    def bad_timestamp(body: bytes, token: bytes) -> None:
        assert body.startswith(ORIGIN.encode()) and token == b"token"
        raise ValueError("token does not cover the checkpoint")

    report = verify_log(storage, [SIGNER.verifier()], entry_check=entry_check, max_failures=5)
    assert [(f.kind, f.index, f.message) for f in report.failures] == [
        ("entry", 33, "sender signature invalid")
    ]
    report = verify_log(storage, [SIGNER.verifier()], timestamp_verifier=bad_timestamp)
    assert report.first_failure is not None
    assert (report.first_failure.index, report.first_failure.check) == (25, "timestamp")
    ok = verify_log(storage, [SIGNER.verifier()], timestamp_verifier=lambda b, t: None)
    assert ok.ok and ok.timestamps_checked == 1
