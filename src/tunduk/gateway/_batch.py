"""The small RFC 6962 Merkle tree over one batch of message digests.

A batch signature signs the root of this tree; each message carries its leaf index, the
tree size and its inclusion path (RFC 9162 §2.1.3), so a receiver checks one message
against the signed root without seeing the others. The hashing and the proof algorithms
are :mod:`tunduk.journal`'s, so the batch tree is the same kind of tree as the journal.
"""

from __future__ import annotations

from collections.abc import Sequence

from tunduk.journal import (
    ProofError,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root_hash,
    verify_inclusion,
)

__all__ = ["BatchTree", "check_path"]


class BatchTree:
    """The perfect subtrees of a batch of leaves, for its root and its inclusion paths."""

    def __init__(self, entries: Sequence[bytes]) -> None:
        if not entries:
            raise ValueError("a batch holds at least one digest")
        level = [leaf_hash(entry) for entry in entries]
        self._levels = [level]
        while len(level) > 1:
            # Only perfect subtrees: an odd node at the right edge has no parent here.
            level = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
            if level:
                self._levels.append(level)
        self.size = len(entries)
        self.root = root_hash(self.size, self)

    def get_nodes(self, keys: Sequence[tuple[int, int]]) -> list[bytes]:
        """Hashes of the perfect subtrees ``(level, index)`` (the journal's ``HashSource``)."""
        return [self._levels[level][index] for level, index in keys]

    def path(self, index: int) -> list[bytes]:
        """The inclusion path of leaf ``index`` (empty for a batch of one)."""
        return inclusion_proof(index, self.size, self)


def check_path(
    entry: bytes, index: int, size: int, path: Sequence[bytes], root: bytes
) -> str | None:
    """``None`` when ``entry`` sits at ``index`` of the tree of ``size`` with ``root``, else why not."""
    try:
        verify_inclusion(leaf_hash(entry), index, size, path, root)
    except ProofError as error:
        return str(error)
    return None
