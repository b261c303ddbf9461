"""The gateway's message log: leaves in a Merkle log, bodies beside them, group commit.

:meth:`MessageLog.record` is what makes "journaled before answered" cheap: callers on the
event loop enqueue their leaves and wait; one writer thread takes **everything waiting**,
appends it in one transaction, commits (durably: SQLite WAL with ``synchronous=FULL``, or
PostgreSQL's commit), and only then resolves every caller's future. Fifty concurrent
messages cost one commit, not fifty, and no caller hears back before its leaves are on
disk. A failed transaction fails every caller in it; nothing is half-written.

Bodies, raw headers and salts sit in ``stored_messages`` beside the leaves; the leaf keeps
only the salted commitment, so :meth:`MessageLog.erase_expired` can drop them after the
retention period while the tree, its checkpoints and its proofs stay valid.

Reads (:meth:`find`, :meth:`size`, :attr:`log` proofs) use one reader connection per
thread; call them from a worker thread (``loop.run_in_executor``), not the event loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tunduk.journal import JournalError, Log, NoteSigner, StoredCheckpoint, sign_checkpoint

from ._journal_db import Connection, JournalDatabase, ThreadLocalStorage, run_in
from .leaf import SALT_BYTES, LeafError, MessageLeaf, StoredMessage, decode_leaf, encode_leaf

__all__ = ["MAX_BATCH", "Cosignature", "MessageLog", "StoredMessage"]

MAX_BATCH = 2048
"""At most this many leaves go into one transaction; more waiting wait for the next."""


@dataclass(frozen=True, slots=True)
class Cosignature:
    """A peer gateway's cosignature of one of this journal's checkpoints."""

    tree_size: int
    peer: str  # the peer gateway's ServerId string
    signature_line: str  # the C2SP note signature line, with its newline
    cosigner_key: str  # the peer's cosign.key verifier key
    key_binding: bytes  # the peer's cosign.binding
    signing_certificate: bytes  # DER of the peer's signing certificate


def _micros(moment: datetime | None = None) -> int:
    if moment is None:
        return time.time_ns() // 1000
    return int(moment.timestamp() * 1_000_000)


_Future = concurrent.futures.Future[list[int]] | asyncio.Future[list[int]]


def _settle(
    future: concurrent.futures.Future[Any], result: Any = None, error: BaseException | None = None
) -> None:
    """Resolve ``future`` unless its caller cancelled it (a client that went away)."""
    try:
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)
    except concurrent.futures.InvalidStateError:
        return  # cancelled: the leaves are written all the same


def _settle_async(
    outcomes: list[tuple[asyncio.Future[list[int]], Any, BaseException | None]],
) -> None:
    """On the event loop: resolve every caller of one batch (skipping the cancelled)."""
    for future, result, error in outcomes:
        if future.done():
            continue
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)


def _commitment_problem(items: Sequence[tuple[MessageLeaf, StoredMessage]]) -> LeafError | None:
    for leaf, stored in items:
        if len(stored.salt) != SALT_BYTES or stored.commitment() != leaf.body_commitment:
            return LeafError(
                f"message {leaf.message_id}: the leaf's body commitment does not match "
                "the stored body and salt"
            )
    return None


@dataclass(slots=True)
class _Record:
    entries: list[bytes]
    items: list[tuple[MessageLeaf, StoredMessage]]
    future: _Future
    loop: asyncio.AbstractEventLoop | None  # set when ``future`` is an asyncio future


def _take(batch: list[object], job: object) -> int:
    """Add ``job`` (or a loop turn's list of records) to ``batch``; return its leaf count."""
    jobs = job if isinstance(job, list) else [job]
    batch.extend(jobs)
    return sum(len(item.entries) for item in jobs if isinstance(item, _Record))


class _Settlements:
    """The outcomes of one batch, delivered with one wake-up per event loop."""

    def __init__(self) -> None:
        self._by_loop: dict[
            asyncio.AbstractEventLoop,
            list[tuple[asyncio.Future[list[int]], Any, BaseException | None]],
        ] = {}

    def add(self, record: _Record, result: Any = None, error: BaseException | None = None) -> None:
        if record.loop is None:
            assert isinstance(record.future, concurrent.futures.Future)
            _settle(record.future, result, error)
            return
        assert isinstance(record.future, asyncio.Future)
        self._by_loop.setdefault(record.loop, []).append((record.future, result, error))

    def deliver(self) -> None:
        for loop, outcomes in self._by_loop.items():
            with contextlib.suppress(RuntimeError):  # a closed loop: nobody waits any more
                loop.call_soon_threadsafe(_settle_async, outcomes)


@dataclass(slots=True)
class _Task:
    action: Callable[[Connection], Any]
    future: concurrent.futures.Future[Any]


_STOP = object()


class MessageLog:
    """A gateway's journal: an RFC 6962 log of :class:`MessageLeaf` with stored bodies."""

    def __init__(self, database: JournalDatabase, origin: str) -> None:
        """Open the journal in ``database`` for ``origin``; prefer :meth:`open`."""
        self.database = database
        self.origin = origin
        self._writer_conn = database.connect_writer()
        try:
            database.create_tables(self._writer_conn, origin)
        except BaseException:
            self._writer_conn.close()
            raise
        self._writer_storage = database.storage(self._writer_conn)
        self._writer_log = Log(self._writer_storage, origin=origin)
        self._readers = ThreadLocalStorage(database)
        self.log = Log(self._readers, origin=origin)
        self.commits = 0
        """Transactions committed by the writer (records, checkpoints, erasures)."""
        self.last_failure: str | None = None
        """Why the writer's last transaction of records failed (None once one succeeds)."""
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._turn: list[_Record] = []
        """Records of the current event-loop turn, handed to the writer together."""
        self._turn_loop: asyncio.AbstractEventLoop | None = None
        self._closed = False
        self._closing = threading.Lock()
        self._thread = threading.Thread(
            target=self._run, name=f"journal-writer {origin}", daemon=True
        )
        self._thread.start()

    @classmethod
    def open(cls, url: str, origin: str) -> MessageLog:
        """Open (creating if needed) the journal at ``url`` (``sqlite:///…`` or ``postgresql://…``)."""
        return cls(JournalDatabase.from_url(url), origin)

    # -- writing -------------------------------------------------------------------------

    async def record(self, items: Sequence[tuple[MessageLeaf, StoredMessage]]) -> list[int]:
        """Append ``items`` and return their leaf indexes once the transaction is durable.

        Concurrent calls share one transaction (group commit). Raises :class:`LeafError`
        for a leaf whose commitment does not match its stored body (then none of the
        items is written), or what the database raised (then nothing of that transaction
        is in the log).
        """
        loop = asyncio.get_running_loop()
        future: asyncio.Future[list[int]] = loop.create_future()
        if self._closed:
            raise JournalError("the message log is closed")
        self._turn.append(self._record(items, future, loop))
        if self._turn_loop is not loop:
            if self._turn_loop is not None:  # a loop stopped before its flush ran
                self._turn = [record for record in self._turn if record.loop is loop]
            self._turn_loop = loop
            loop.call_soon(self._flush)
        return await future

    def _flush(self) -> None:
        """Hand this loop turn's records to the writer as one job: one wake-up, not one each."""
        records, self._turn, self._turn_loop = self._turn, [], None
        if not records:
            return
        try:
            self._put(records)
        except JournalError as error:  # closed meanwhile
            for record in records:
                if not record.future.done():
                    record.future.set_exception(error)

    def record_sync(self, items: Sequence[tuple[MessageLeaf, StoredMessage]]) -> list[int]:
        """:meth:`record` for threads without an event loop (blocks until durable)."""
        return self.submit(items).result()

    def submit(
        self, items: Sequence[tuple[MessageLeaf, StoredMessage]]
    ) -> concurrent.futures.Future[list[int]]:
        """Enqueue ``items`` for the writer; the future resolves once they are durable."""
        future: concurrent.futures.Future[list[int]] = concurrent.futures.Future()
        self._put(self._record(items, future, None))
        return future

    @staticmethod
    def _record(
        items: Sequence[tuple[MessageLeaf, StoredMessage]],
        future: _Future,
        loop: asyncio.AbstractEventLoop | None,
    ) -> _Record:
        entries = [encode_leaf(leaf) for leaf, _ in items]
        return _Record(entries, list(items), future, loop)

    def _put(self, job: _Record | _Task | list[_Record]) -> None:
        with self._closing:
            if self._closed:
                raise JournalError("the message log is closed")
            self._queue.put(job)

    def _task(self, action: Callable[[Connection], Any]) -> concurrent.futures.Future[Any]:
        """Run ``action(conn)`` in its own transaction on the writer thread."""
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()
        self._put(_Task(action, future))
        return future

    def _run(self) -> None:
        """The writer thread: drain the queue, one transaction for all records waiting."""
        stop = False
        while not stop:
            batch: list[object] = []
            leaves = _take(batch, self._queue.get())
            while leaves < MAX_BATCH:
                try:
                    job = self._queue.get_nowait()
                except queue.Empty:
                    break
                leaves += _take(batch, job)
            stop = any(job is _STOP for job in batch)
            records = [job for job in batch if isinstance(job, _Record)]
            if records:
                self._write_records(records)
            for job in batch:
                if isinstance(job, _Task):
                    self._run_task(job)
        self._writer_conn.close()

    def _write_records(self, records: list[_Record]) -> None:
        settled = _Settlements()
        good = []
        for record in records:  # hashing bodies here keeps it off the event loop
            problem = _commitment_problem(record.items)
            if problem is None:
                good.append(record)
            else:
                settled.add(record, error=problem)
        if good:
            self._commit_records(good, settled)
        settled.deliver()

    def _commit_records(self, records: list[_Record], settled: _Settlements) -> None:
        entries = [entry for record in records for entry in record.entries]
        now = _micros()

        def write() -> int:
            first = self._writer_log.append_many(entries)
            rows = [
                (first + i, leaf.message_id, now, stored.salt, stored.headers, stored.body)
                for i, (leaf, stored) in enumerate(
                    item for record in records for item in record.items
                )
            ]
            self.database.insert_many(
                self._writer_conn,
                "stored_messages",
                "idx, message_id, recorded_us, salt, headers, body",
                rows,
            )
            return first

        try:
            first = run_in(self.database, self._writer_conn, write)
        except BaseException as error:
            self.last_failure = f"{type(error).__name__}: {error}"[:300]
            self._recover()
            for record in records:
                settled.add(record, error=error)
            return
        self.commits += 1
        self.last_failure = None
        for record in records:
            count = len(record.entries)
            settled.add(record, list(range(first, first + count)))
            first += count

    def _run_task(self, task: _Task) -> None:
        try:
            result = run_in(
                self.database, self._writer_conn, lambda: task.action(self._writer_conn)
            )
        except BaseException as error:
            self._recover()
            _settle(task.future, error=error)
            return
        self.commits += 1
        _settle(task.future, result)

    def _recover(self) -> None:
        """Reconnect the writer when a failure broke its connection (PostgreSQL restart)."""
        if not getattr(self._writer_conn, "broken", False):
            return
        try:
            self._writer_conn = self.database.connect_writer()
        except Exception:  # still down: the next write fails and tries again
            return
        self._writer_storage = self.database.storage(self._writer_conn)
        self._writer_log = Log(self._writer_storage, origin=self.origin)

    @property
    def writing(self) -> bool:
        """The writer thread runs and the log is open (it can take records)."""
        return not self._closed and self._thread.is_alive()

    def close(self) -> None:
        """Finish every queued write, stop the writer and close the connections."""
        with self._closing:
            if self._closed:
                return
            self._closed = True
            self._queue.put(_STOP)
        self._thread.join()
        self._readers.close()

    # -- checkpoints and cosignatures ------------------------------------------------------

    def add_checkpoint(self, checkpoint: StoredCheckpoint) -> concurrent.futures.Future[None]:
        """Store a signed checkpoint through the writer (durable when the future resolves)."""
        return self._task(lambda conn: self._writer_storage.add_checkpoint(checkpoint))

    def sign_checkpoint(
        self, signer: NoteSigner, *, timestamper: Callable[[bytes], bytes | None] | None = None
    ) -> StoredCheckpoint | None:
        """Sign, time-stamp and store the checkpoint of the current size; blocks until durable.

        Returns None when the log has not grown since the latest stored checkpoint.
        ``timestamper(body)`` returns an RFC 3161 response over the checkpoint body.
        """
        latest = self.latest_checkpoint()
        checkpoint = self.log.checkpoint()
        if latest is not None and latest.tree_size == checkpoint.size:
            return None
        note = sign_checkpoint(checkpoint, signer)
        token = timestamper(checkpoint.body().encode()) if timestamper else None
        stored = StoredCheckpoint(checkpoint.size, checkpoint.root_hash, note, token)
        self.add_checkpoint(stored).result()
        return stored

    def add_cosignature(self, cosignature: Cosignature) -> concurrent.futures.Future[None]:
        """Store a peer's cosignature of a stored checkpoint (a second one is ignored)."""
        c = cosignature

        def insert(conn: Connection) -> None:
            if self.database.query(
                conn,
                "SELECT 1 FROM checkpoint_cosignatures WHERE tree_size = ? AND peer = ?",
                (c.tree_size, c.peer),
            ):
                return
            self.database.execute(
                conn,
                "INSERT INTO checkpoint_cosignatures (tree_size, peer, signature_line, "
                "cosigner_key, key_binding, signing_certificate, received_us) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    c.tree_size,
                    c.peer,
                    c.signature_line,
                    c.cosigner_key,
                    c.key_binding,
                    c.signing_certificate,
                    _micros(),
                ),
            )

        return self._task(insert)

    def cosignatures(self, tree_size: int) -> list[Cosignature]:
        """Return the peers' cosignatures of the checkpoint of ``tree_size``."""
        rows = self.database.query(
            self._readers.connection(),
            "SELECT tree_size, peer, signature_line, cosigner_key, key_binding, "
            "signing_certificate FROM checkpoint_cosignatures WHERE tree_size = ? ORDER BY peer",
            (tree_size,),
        )
        return [Cosignature(int(s), p, line, k, bytes(b), bytes(c)) for s, p, line, k, b, c in rows]

    def cosigned_note(self, tree_size: int) -> str:
        """Return the stored checkpoint of ``tree_size`` with every peer cosignature added."""
        stored = next((c for c in self.log.storage.checkpoints() if c.tree_size == tree_size), None)
        if stored is None:
            raise JournalError(f"no checkpoint of tree size {tree_size} is stored")
        return stored.note + "".join(c.signature_line for c in self.cosignatures(tree_size))

    # -- reading and erasing ---------------------------------------------------------------

    def reader_connection(self) -> Connection:
        """Return this thread's reader connection (autocommit: each query sees the latest)."""
        return self._readers.connection()

    def size(self) -> int:
        """Return the number of leaves in the journal."""
        return self.log.size()

    def latest_checkpoint(self) -> StoredCheckpoint | None:
        """Return the stored checkpoint of the largest tree size, if any."""
        return self.log.storage.latest_checkpoint()

    def find(self, message_id: str) -> list[tuple[int, MessageLeaf, StoredMessage | None]]:
        """Return every leaf of ``message_id`` with its stored message (None once erased)."""
        rows = self.database.query(
            self._readers.connection(),
            "SELECT idx, salt, headers, body FROM stored_messages WHERE message_id = ? "
            "ORDER BY idx",
            (message_id,),
        )
        found: list[tuple[int, MessageLeaf, StoredMessage | None]] = []
        for idx, salt, headers, body in rows:
            leaf = decode_leaf(self.log.entry(int(idx)))
            stored = (
                None
                if salt is None or body is None
                else StoredMessage(bytes(salt), bytes(headers or b""), bytes(body))
            )
            found.append((int(idx), leaf, stored))
        return found

    def erase_expired(self, before: datetime) -> int:
        """Erase the salt, headers and body of messages recorded before ``before``.

        The leaves and their commitments stay, so the tree still verifies. Blocks until the
        erasure is committed; returns how many messages were erased.
        """
        cutoff, now = _micros(before), _micros()
        future = self._task(
            lambda conn: self.database.execute(
                conn,
                "UPDATE stored_messages SET salt = NULL, headers = NULL, body = NULL, "
                "erased_us = ? WHERE recorded_us < ? AND erased_us IS NULL",
                (now, cutoff),
            )
        )
        return int(future.result())

    def __enter__(self) -> MessageLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
