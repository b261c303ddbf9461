"""Full re-verification of a stored log: every entry, node hash and checkpoint."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from ._checkpoint import open_checkpoint
from ._errors import JournalError, NoteError
from ._hashing import EMPTY_ROOT
from ._keys import NoteVerifier
from ._proofs import consistency_proof, verify_consistency
from ._storage import NodeRow, Storage, StoredCheckpoint

__all__ = ["VerifyFailure", "VerifyReport", "verify_log"]

_sha256 = hashlib.sha256

FailureKind = Literal["entry", "node", "head", "checkpoint"]
ProgressCallback = Callable[[int, int], None]
EntryCheck = Callable[[int, bytes], None]
TimestampVerifier = Callable[[bytes, bytes], object]  # what it returns is ignored


@dataclass(frozen=True, slots=True)
class VerifyFailure:
    """One thing that does not hold: which entry/checkpoint (by index/size) and why."""

    kind: FailureKind
    index: int
    check: str
    message: str

    def __str__(self) -> str:
        """Return a one-line description."""
        return f"{self.kind} {self.index}: {self.check}: {self.message}"


@dataclass(slots=True)
class VerifyReport:
    """The outcome of :func:`verify_log`; ``failures`` is in discovery order."""

    tree_size: int = 0
    entries_checked: int = 0
    nodes_checked: int = 0
    checkpoints_checked: int = 0
    timestamps_checked: int = 0
    failures: list[VerifyFailure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether everything held."""
        return not self.failures

    @property
    def first_failure(self) -> VerifyFailure | None:
        """The first entry, node or checkpoint found not to hold, if any."""
        return self.failures[0] if self.failures else None


class _Stop(Exception):
    """Raised internally once enough failures are collected."""


class _Run:
    """State of one verification run."""

    def __init__(self, storage: Storage, report: VerifyReport, max_failures: int) -> None:
        self.storage = storage
        self.report = report
        self.max_failures = max_failures
        self.streams: dict[int, Iterator[NodeRow]] = {}
        self.peeked: dict[int, NodeRow] = {}

    def fail(self, kind: FailureKind, index: int, check: str, message: str) -> None:
        self.report.failures.append(VerifyFailure(kind, index, check, message))
        if len(self.report.failures) >= self.max_failures:
            raise _Stop

    def _next_stored(self, level: int) -> NodeRow | None:
        row = self.peeked.pop(level, None)
        if row is not None:
            return row
        stream = self.streams.get(level)
        if stream is None:
            stream = self.streams[level] = self.storage.iter_level(level)
        return next(stream, None)

    def check_node(self, level: int, index: int, computed: bytes) -> None:
        """Compare a recomputed subtree hash with the stored one."""
        first = index << level
        span = f"entries {first}..{first + (1 << level) - 1}"
        row = self._next_stored(level)
        while row is not None and row.index < index:
            row = self._next_stored(level)
        self.report.nodes_checked += 1
        if row is None or row.index > index:
            if row is not None:
                self.peeked[level] = row
            self.fail(
                "node",
                first,
                "node-missing",
                f"subtree ({level}, {index}) over {span} is not stored",
            )
        elif row.hash != computed:
            self.fail(
                "node",
                first,
                "node-hash",
                f"stored hash of subtree ({level}, {index}) does not match {span} "
                "(an entry was changed, reordered or removed)",
            )

    def leftover_nodes(self) -> None:
        """Report stored nodes beyond the tree (e.g. after the head was wound back)."""
        for level in range(1, self.storage.max_level() + 1):
            row = self._next_stored(level)
            if row is not None:
                self.fail(
                    "node",
                    row.index << level,
                    "node-extra",
                    f"subtree ({level}, {row.index}) is stored beyond the tree size",
                )


def _fold(stack: list[tuple[int, bytes]]) -> bytes:
    if not stack:
        return EMPTY_ROOT
    acc = stack[-1][1]
    for _, h in reversed(stack[:-1]):
        acc = _sha256(b"\x01" + h + acc).digest()
    return acc


def _check_leaves(
    run: _Run,
    head: int,
    sizes: set[int],
    roots: dict[int, bytes],
    entry_check: EntryCheck | None,
    progress: ProgressCallback | None,
) -> int:
    """Recompute every leaf and perfect subtree; return the number of leaves seen."""
    stack: list[tuple[int, bytes]] = []
    sha = _sha256
    expected = 0
    for row in run.storage.iter_leaves():
        if row.index != expected:
            run.fail(
                "entry",
                expected,
                "missing",
                f"entry {expected} is missing (next stored index is {row.index})",
            )
            expected = row.index
        h = sha(b"\x00" + row.entry).digest()
        if h != row.leaf_hash:
            run.fail(
                "entry", row.index, "leaf-hash", "stored entry bytes do not match its leaf hash"
            )
        if entry_check is not None:
            try:
                entry_check(row.index, row.entry)
            except Exception as exc:  # the hook reports any failure by raising
                run.fail("entry", row.index, "entry-check", str(exc) or type(exc).__name__)
        expected += 1
        level = 0
        while stack and stack[-1][0] == level:
            h = sha(b"\x01" + stack.pop()[1] + h).digest()
            level += 1
            run.check_node(level, (expected >> level) - 1, h)
        stack.append((level, h))
        run.report.entries_checked += 1
        if expected in sizes:
            roots[expected] = _fold(stack)
        if progress is not None and expected % 4096 == 0:
            progress(expected, head)
    if progress is not None:
        progress(expected, head)
    return expected


def _check_checkpoints(
    run: _Run,
    checkpoints: list[StoredCheckpoint],
    roots: dict[int, bytes],
    verifiers: list[NoteVerifier],
    origin: str | None,
    timestamp_verifier: TimestampVerifier | None,
) -> None:
    previous: tuple[int, bytes] | None = None
    for stored in checkpoints:
        size = stored.tree_size
        run.report.checkpoints_checked += 1
        try:
            signed = open_checkpoint(stored.note, verifiers, origin=origin)
        except NoteError as exc:
            run.fail("checkpoint", size, "signature", str(exc))
            continue
        cp = signed.checkpoint
        if cp.size != size or cp.root_hash != stored.root_hash:
            run.fail("checkpoint", size, "row", "the signed note does not match its table row")
            continue
        if size not in roots:
            run.fail("checkpoint", size, "size", f"checkpoint size {size} is beyond the log")
            continue
        if roots[size] != cp.root_hash:
            run.fail(
                "checkpoint", size, "root", f"root differs from the recomputed root at size {size}"
            )
            continue
        if previous is not None and previous[0] > 0:
            try:
                proof = consistency_proof(previous[0], size, run.storage)
                verify_consistency(previous[0], size, proof, previous[1], cp.root_hash)
            except JournalError as exc:
                run.fail(
                    "checkpoint",
                    size,
                    "consistency",
                    f"not consistent with size {previous[0]}: {exc}",
                )
        previous = (size, cp.root_hash)
        if timestamp_verifier is not None and stored.timestamp_token is not None:
            try:
                timestamp_verifier(signed.note.text.encode(), stored.timestamp_token)
            except Exception as exc:  # any verifier failure is a finding, not a crash
                run.fail("checkpoint", size, "timestamp", str(exc) or type(exc).__name__)
            else:
                run.report.timestamps_checked += 1


def verify_log(
    storage: Storage,
    verifiers: Iterable[NoteVerifier],
    *,
    origin: str | None = None,
    progress: ProgressCallback | None = None,
    entry_check: EntryCheck | None = None,
    timestamp_verifier: TimestampVerifier | None = None,
    max_failures: int = 1,
) -> VerifyReport:
    """Re-read the whole stored log and check that it holds; return a report.

    Checks that leaf indices run from 0 without gaps, each leaf hash matches its
    entry bytes, each stored subtree hash matches the recomputed one, the head size
    matches, and each stored checkpoint is signed by one of ``verifiers``, has the
    recomputed root at its size and is consistent with the previous one.
    ``entry_check(index, entry)`` may raise to report an entry; ``progress(done,
    total)`` is called as entries are read; ``timestamp_verifier(checkpoint_body,
    token)`` may raise to report a bad RFC 3161 token. Stops after ``max_failures``.
    """
    head = storage.size()
    report = VerifyReport(tree_size=head)
    run = _Run(storage, report, max(1, max_failures))
    checkpoints = storage.checkpoints()
    roots: dict[int, bytes] = {0: EMPTY_ROOT}
    try:
        seen = _check_leaves(
            run, head, {c.tree_size for c in checkpoints}, roots, entry_check, progress
        )
        if seen != head:
            run.fail(
                "head",
                min(seen, head),
                "size",
                f"the head says {head} entries but {seen} are stored",
            )
        run.leftover_nodes()
        _check_checkpoints(run, checkpoints, roots, list(verifiers), origin, timestamp_verifier)
    except _Stop:
        pass
    return report
