"""The storage interface of a log, and its in-memory implementation."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from ._errors import StorageError

__all__ = ["LeafRow", "MemoryStorage", "NodeRow", "Storage", "StoredCheckpoint"]

_sha256 = hashlib.sha256


@dataclass(frozen=True, slots=True)
class StoredCheckpoint:
    """A signed checkpoint kept beside the log, with its optional RFC 3161 token.

    ``created_at`` is when the storage wrote the row (set by the storage, not compared):
    the operator's own clock, so the token's time is preferred wherever it exists.
    """

    tree_size: int
    root_hash: bytes
    note: str
    timestamp_token: bytes | None = None
    created_at: datetime | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class LeafRow:
    """One stored leaf as read back for verification."""

    index: int
    leaf_hash: bytes
    entry: bytes


@dataclass(frozen=True, slots=True)
class NodeRow:
    """One stored perfect subtree hash as read back for verification."""

    level: int
    index: int
    hash: bytes


class Storage(Protocol):
    """Where a log keeps its leaves, perfect subtree hashes and checkpoints.

    Implementations never commit nor begin transactions on their own unless asked to:
    the caller owns the transaction, so a leaf can be written atomically with the
    change it records.
    """

    def size(self) -> int:
        """Return the number of leaves in the log."""
        ...

    def append_leaves(self, entries: Sequence[bytes], leaf_hashes: Sequence[bytes]) -> int:
        """Append leaves and the subtree hashes they complete; return the first index."""
        ...

    def get_nodes(self, keys: Sequence[tuple[int, int]]) -> list[bytes]:
        """Return perfect subtree hashes by ``(level, index)``; level 0 is the leaves."""
        ...

    def get_entry(self, index: int) -> bytes:
        """Return the entry bytes stored at ``index``."""
        ...

    def iter_leaves(self, start: int = 0, batch: int = 10_000) -> Iterator[LeafRow]:
        """Yield the stored leaves with index >= ``start`` in index order, as stored."""
        ...

    def iter_level(self, level: int, batch: int = 10_000) -> Iterator[NodeRow]:
        """Yield the stored node hashes of one level >= 1 in index order, as stored."""
        ...

    def max_level(self) -> int:
        """Return the highest level that has a stored node (0 if none)."""
        ...

    def add_checkpoint(self, checkpoint: StoredCheckpoint) -> None:
        """Store a checkpoint; a second one for the same tree size is an error.

        Checkpoints are append-only like the leaves: a stored one is never changed, so
        its time-stamp token comes with it.
        """
        ...

    def checkpoints(self) -> list[StoredCheckpoint]:
        """Return every stored checkpoint, smallest tree size first."""
        ...

    def latest_checkpoint(self) -> StoredCheckpoint | None:
        """Return the stored checkpoint with the largest tree size, if any."""
        ...


class MemoryStorage:
    """A :class:`Storage` in process memory: for tests, benchmarks and caches."""

    def __init__(self) -> None:
        """Create an empty log."""
        self._entries: list[bytes] = []
        # _levels[l][i] is the hash of perfect subtree (l, i); _levels[0] are leaf hashes.
        self._levels: list[list[bytes]] = [[]]
        self._checkpoints: dict[int, StoredCheckpoint] = {}

    def size(self) -> int:
        """Return the number of leaves in the log."""
        return len(self._entries)

    def append_leaves(self, entries: Sequence[bytes], leaf_hashes: Sequence[bytes]) -> int:
        """Append leaves and the subtree hashes they complete; return the first index."""
        if len(entries) != len(leaf_hashes):
            raise StorageError("entries and leaf hashes differ in number")
        first = len(self._entries)
        self._entries.extend(entries)
        levels = self._levels
        levels[0].extend(leaf_hashes)
        sha = _sha256
        level = 0
        while len(levels[level]) > 1:
            below = levels[level]
            if len(levels) == level + 1:
                levels.append([])
            above = levels[level + 1]
            start, stop = 2 * len(above), len(below) - 1
            if start >= stop:
                break
            above.extend(
                [sha(b"\x01" + below[i] + below[i + 1]).digest() for i in range(start, stop, 2)]
            )
            level += 1
        return first

    def get_nodes(self, keys: Sequence[tuple[int, int]]) -> list[bytes]:
        """Return perfect subtree hashes by ``(level, index)``; level 0 is the leaves."""
        levels = self._levels
        try:
            return [levels[level][index] for level, index in keys]
        except IndexError:
            raise StorageError(f"a requested subtree is not stored: {list(keys)}") from None

    def get_entry(self, index: int) -> bytes:
        """Return the entry bytes stored at ``index``."""
        if not 0 <= index < len(self._entries):
            raise StorageError(f"no entry at index {index}")
        return self._entries[index]

    def iter_leaves(self, start: int = 0, batch: int = 10_000) -> Iterator[LeafRow]:
        """Yield the stored leaves with index >= ``start`` in index order."""
        hashes = self._levels[0]
        for i in range(start, len(self._entries)):
            yield LeafRow(i, hashes[i], self._entries[i])

    def iter_level(self, level: int, batch: int = 10_000) -> Iterator[NodeRow]:
        """Yield the stored node hashes of one level in index order."""
        if level < len(self._levels):
            for i, h in enumerate(self._levels[level]):
                yield NodeRow(level, i, h)

    def max_level(self) -> int:
        """Return the highest level that has a stored node (0 if none)."""
        return max((lv for lv, hs in enumerate(self._levels) if hs), default=0)

    def add_checkpoint(self, checkpoint: StoredCheckpoint) -> None:
        """Store a checkpoint; a second one for the same tree size is an error."""
        if checkpoint.tree_size in self._checkpoints:
            raise StorageError(f"a checkpoint for tree size {checkpoint.tree_size} exists")
        self._checkpoints[checkpoint.tree_size] = StoredCheckpoint(
            checkpoint.tree_size,
            checkpoint.root_hash,
            checkpoint.note,
            checkpoint.timestamp_token,
            datetime.now(UTC),
        )

    def checkpoints(self) -> list[StoredCheckpoint]:
        """Return every stored checkpoint, smallest tree size first."""
        return [self._checkpoints[k] for k in sorted(self._checkpoints)]

    def latest_checkpoint(self) -> StoredCheckpoint | None:
        """Return the stored checkpoint with the largest tree size, if any."""
        return self._checkpoints[max(self._checkpoints)] if self._checkpoints else None
