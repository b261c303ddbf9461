"""Incremental tree maintenance shared by the storages: which perfect subtrees a
size leaves on the right edge, and which ones an append completes."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

__all__ = ["NewNode", "complete_nodes", "frontier_keys"]

_sha256 = hashlib.sha256

NewNode = tuple[int, int, bytes]
"""A perfect subtree completed by an append: ``(level, index, hash)``, level >= 1."""


def frontier_keys(size: int) -> list[tuple[int, int]]:
    """Return the perfect subtrees ``(level, index)`` that make up a tree of ``size``.

    Largest first: one per set bit of ``size``. Their hashes are all an append needs.
    """
    keys: list[tuple[int, int]] = []
    offset = 0
    for level in range(size.bit_length() - 1, -1, -1):
        if size >> level & 1:
            keys.append((level, offset >> level))
            offset += 1 << level
    return keys


def complete_nodes(
    old_size: int, frontier: Sequence[bytes], leaf_hashes: Sequence[bytes]
) -> list[NewNode]:
    """Return every perfect subtree (level >= 1) completed by appending ``leaf_hashes``.

    ``frontier`` holds the hashes of :func:`frontier_keys` ``(old_size)`` in order.
    """
    levels = [k[0] for k in frontier_keys(old_size)]
    stack = list(zip(levels, frontier, strict=True))
    out: list[NewNode] = []
    append = out.append
    sha = _sha256
    size = old_size
    for h in leaf_hashes:
        size += 1
        level = 0
        while stack and stack[-1][0] == level:
            h = sha(b"\x01" + stack.pop()[1] + h).digest()
            level += 1
            append((level, (size >> level) - 1, h))
        stack.append((level, h))
    return out
