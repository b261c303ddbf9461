"""The gateway message log: group commit, durability, erasure, tamper detection (SQLite and PG)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.gateway._journal_helpers import (
    fresh_pg_url,
    make_leaf,
    make_message,
    pg_server,  # noqa: F401 (fixture)
)
from tunduk.gateway.journal_audit import verify_journal
from tunduk.gateway.leaf import LeafError
from tunduk.gateway.messagelog import MessageLog, StoredMessage
from tunduk.journal import Signer, drop_append_only_sql, generate_signer

ORIGIN = "tunduk/gateway/KG/GOV/70000004/ss1"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=["sqlite", "postgresql"])
def journal_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh journal database URL on each engine."""
    if request.param == "sqlite":
        return f"sqlite://{tmp_path / 'journal.sqlite3'}"
    return fresh_pg_url(request.getfixturevalue("pg_server"))


@pytest.fixture
def journal(journal_url: str) -> Iterator[MessageLog]:
    with MessageLog.open(journal_url, ORIGIN) as log:
        yield log


@pytest.fixture(scope="module")
def signer() -> Signer:
    return generate_signer(ORIGIN)


async def _record_one(journal: MessageLog, body: bytes = b"{}", message_id: str = "m") -> int:
    stored = make_message(body)
    (index,) = await journal.record([(make_leaf(stored, message_id=message_id), stored)])
    return index


@pytest.mark.asyncio
async def test_record_returns_indexes_and_find_reads_back(journal: MessageLog) -> None:
    """record() returns the leaf indexes; find() returns each leaf with its body (issue 9 §4)."""
    stored = make_message(b'{"answer": 42}')
    request = make_leaf(stored, message_id="m-1")
    response = make_leaf(stored, message_id="m-1", kind="response")
    assert await journal.record([(request, stored), (response, stored)]) == [0, 1]
    found = journal.find("m-1")
    assert [(i, leaf) for i, leaf, _ in found] == [(0, request), (1, response)]
    assert found[0][2] == stored
    assert journal.size() == 2
    assert journal.find("unknown") == []


@pytest.mark.asyncio
async def test_commitment_mismatch_is_refused(journal: MessageLog) -> None:
    """A leaf whose commitment does not match the body it is stored with is never written."""
    stored = make_message(b"one")
    leaf = make_leaf(stored)
    with pytest.raises(LeafError, match="commitment"):
        await journal.record([(leaf, StoredMessage(stored.salt, b"", b"two"))])
    assert journal.size() == 0


def _hold_write_lock(journal: MessageLog) -> tuple[object, threading.Event]:
    """Block the journal's writer: another connection holds the head row's lock."""
    conn = journal.database.connect_writer()
    journal.database.begin(conn)
    journal.database.execute(conn, "UPDATE journal_head SET tree_size = tree_size WHERE id = 1")
    return conn, threading.Event()


@pytest.mark.asyncio
async def test_group_commit_shares_transactions(journal: MessageLog) -> None:
    """100 concurrent records while the writer is busy cost 2 commits, not 100 (group commit)."""
    await _record_one(journal)
    before = journal.commits
    conn, _ = _hold_write_lock(journal)
    tasks = [asyncio.create_task(_record_one(journal, b"%d" % i)) for i in range(100)]
    for _ in range(3):
        await asyncio.sleep(0)  # every task has enqueued its leaf
    await asyncio.get_running_loop().run_in_executor(None, conn.rollback)  # type: ignore[attr-defined]
    indexes = await asyncio.gather(*tasks)
    conn.close()  # type: ignore[attr-defined]
    assert sorted(indexes) == list(range(1, 101))
    assert journal.commits - before <= 2
    assert journal.size() == 101


@pytest.mark.asyncio
async def test_no_answer_before_commit(journal: MessageLog) -> None:
    """While the transaction cannot commit, record() does not return (journaled before answered)."""
    conn, _ = _hold_write_lock(journal)
    task = asyncio.create_task(_record_one(journal))
    await asyncio.sleep(0.2)
    assert not task.done()
    await asyncio.get_running_loop().run_in_executor(None, conn.rollback)  # type: ignore[attr-defined]
    assert await task == 0
    conn.close()  # type: ignore[attr-defined]


_CHILD = textwrap.dedent(
    """
    import asyncio, sys
    sys.path[:0] = [{root!r}, {src!r}]
    from tests.gateway._journal_helpers import make_leaf, make_message
    from tunduk.gateway.messagelog import MessageLog

    async def main():
        log = MessageLog.open({url!r}, {origin!r})
        stored = make_message(b"durable")
        (index,) = await log.record([(make_leaf(stored, message_id="kill-me"), stored)])
        print(index, flush=True)
        await asyncio.sleep(3600)

    asyncio.run(main())
    """
)


def test_leaf_survives_sigkill(journal_url: str) -> None:
    """A leaf whose record() returned is there after the process is killed with SIGKILL."""
    code = _CHILD.format(root=str(ROOT), src=str(ROOT / "src"), url=journal_url, origin=ORIGIN)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, env=env)
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert line.strip() == b"0"
    with MessageLog.open(journal_url, ORIGIN) as journal:
        (found,) = journal.find("kill-me")
        assert found[2] is not None and found[2].body == b"durable"


def test_reopen_with_other_origin_is_refused(journal_url: str) -> None:
    """A journal database belongs to one origin; reopening it as another gateway fails."""
    MessageLog.open(journal_url, ORIGIN).close()
    with pytest.raises(Exception, match="belongs to"):
        MessageLog.open(journal_url, ORIGIN + "-other")


@pytest.mark.asyncio
async def test_erasure_keeps_verify_green(journal: MessageLog, signer: Signer) -> None:
    """Bodies erased after retention leave leaves and commitments: verify passes (003 §3.2.5)."""
    for i in range(5):
        await _record_one(journal, b"body %d" % i)
    journal.sign_checkpoint(signer)
    erased = journal.erase_expired(datetime.now(UTC) + timedelta(seconds=1))
    assert erased == 5
    assert all(stored is None for _, _, stored in journal.find("m"))
    audit = verify_journal(journal, [signer.verifier()])
    assert audit.ok, audit.all_failures()
    assert audit.bodies_erased == 5
    assert journal.erase_expired(datetime.now(UTC) + timedelta(seconds=1)) == 0


@pytest.mark.asyncio
async def test_erasure_keeps_recent_bodies(journal: MessageLog) -> None:
    """Only messages recorded before the cut-off are erased."""
    await _record_one(journal)
    assert journal.erase_expired(datetime.now(UTC) - timedelta(days=1)) == 0
    assert journal.find("m")[0][2] is not None


def _tamper(journal: MessageLog, sql: str, params: tuple[object, ...]) -> None:
    """Drop the append-only triggers and change a row, as an operator with DB access could."""
    conn = journal.database.connect_writer()
    journal.database.begin(conn)
    for statement in drop_append_only_sql(journal.database.dialect):
        conn.execute(statement)
    journal.database.execute(conn, sql, params)
    conn.commit()
    conn.close()


@pytest.mark.asyncio
async def test_rewritten_leaf_fails_verify(journal: MessageLog, signer: Signer) -> None:
    """An attacker rewriting a leaf row (entry bytes) is caught by verify."""
    for i in range(4):
        await _record_one(journal, b"%d" % i)
    journal.sign_checkpoint(signer)
    forged = journal.log.entry(2).replace(b'"GET"', b'"PUT"')
    _tamper(journal, "UPDATE journal_leaf SET entry = ? WHERE idx = 2", (forged,))
    audit = verify_journal(journal, [signer.verifier()])
    assert not audit.ok
    assert "leaf-hash" in audit.all_failures()[0]


@pytest.mark.asyncio
async def test_rewritten_body_fails_verify(journal: MessageLog, signer: Signer) -> None:
    """An attacker rewriting a stored body is caught: it no longer matches its commitment."""
    for i in range(3):
        await _record_one(journal, b"%d" % i)
    journal.sign_checkpoint(signer)
    _tamper(journal, "UPDATE stored_messages SET body = ? WHERE idx = 1", (b"forged",))
    audit = verify_journal(journal, [signer.verifier()])
    assert audit.all_failures() == [
        "message 1: the stored body does not match the leaf's commitment"
    ]


@pytest.mark.asyncio
async def test_moved_body_fails_verify(journal: MessageLog, signer: Signer) -> None:
    """A body re-filed under another message id is caught."""
    await _record_one(journal)
    _tamper(journal, "UPDATE stored_messages SET message_id = ? WHERE idx = 0", ("other",))
    audit = verify_journal(journal, [signer.verifier()])
    assert audit.all_failures() == ["message 0: stored under another message id"]


@pytest.mark.asyncio
async def test_cancelled_caller_does_not_stop_the_writer(journal: MessageLog) -> None:
    """A client that goes away mid-record (cancelled) leaves the writer working for the rest."""
    conn, _ = _hold_write_lock(journal)
    task = asyncio.create_task(_record_one(journal, b"gone"))
    await asyncio.sleep(0)
    task.cancel()
    await asyncio.get_running_loop().run_in_executor(None, conn.rollback)  # type: ignore[attr-defined]
    conn.close()  # type: ignore[attr-defined]
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await _record_one(journal, b"next") == 1
    assert journal.size() == 2


def test_closed_log_refuses_records(journal_url: str) -> None:
    """After close() a record is refused at once instead of waiting forever."""
    log = MessageLog.open(journal_url, ORIGIN)
    log.close()
    stored = make_message()
    with pytest.raises(Exception, match="closed"):
        log.submit([(make_leaf(stored), stored)])
