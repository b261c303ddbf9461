"""Merkle inclusion and consistency proofs: making them (RFC 9162 §2.1.3.1, §2.1.4.1)
and checking them (RFC 9162 §2.1.3.2, §2.1.4.2).

Proof makers read hashes from a :class:`HashSource`: something that returns the hash
of *perfect* subtrees, addressed as ``(level, index)`` — the subtree of ``2**level``
leaves starting at leaf ``index * 2**level``. Every subtree hash a proof needs is
either perfect or the right edge of the tree, which folds from a few perfect ones, so
a log that stores its perfect subtrees answers any proof without rescanning.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Protocol

from ._errors import ProofError
from ._hashing import EMPTY_ROOT, HASH_SIZE

__all__ = [
    "HashSource",
    "consistency_proof",
    "inclusion_proof",
    "root_hash",
    "verify_consistency",
    "verify_inclusion",
]

_sha256 = hashlib.sha256

NodeKey = tuple[int, int]


class HashSource(Protocol):
    """Anything that returns hashes of perfect subtrees by ``(level, index)``."""

    def get_nodes(self, keys: Sequence[NodeKey]) -> list[bytes]:
        """Return the hashes of the perfect subtrees ``keys``, in the same order.

        Level 0 is the leaf hashes. Raise :class:`StorageError` when one is missing.
        """
        ...


def _perfect_keys(lo: int, hi: int, out: list[NodeKey]) -> int:
    """Append the perfect subtrees covering leaves ``[lo, hi)``, largest first.

    Proof ranges always start at a multiple of a power of two at least as large as
    their length, so the greedy decomposition is aligned. Returns how many were added.
    """
    count = 0
    while lo < hi:
        level = (hi - lo).bit_length() - 1
        out.append((level, lo >> level))
        lo += 1 << level
        count += 1
    return count


def _fold(hashes: Sequence[bytes]) -> bytes:
    """Hash a right-edge range from its perfect pieces (largest first)."""
    acc = hashes[-1]
    for h in reversed(hashes[:-1]):
        acc = _sha256(b"\x01" + h + acc).digest()
    return acc


def _range_hashes(ranges: Sequence[tuple[int, int]], source: HashSource) -> list[bytes]:
    """Return the Merkle tree hash of each leaf range, fetching all pieces in one call."""
    keys: list[NodeKey] = []
    counts = [_perfect_keys(lo, hi, keys) for lo, hi in ranges]
    hashes = source.get_nodes(keys)
    out: list[bytes] = []
    pos = 0
    for count in counts:
        out.append(hashes[pos] if count == 1 else _fold(hashes[pos : pos + count]))
        pos += count
    return out


def root_hash(size: int, source: HashSource) -> bytes:
    """Return the root hash of the first ``size`` leaves of the tree behind ``source``."""
    if size < 0:
        raise ProofError(f"tree size {size} is negative")
    if size == 0:
        return EMPTY_ROOT
    return _range_hashes([(0, size)], source)[0]


def inclusion_proof(index: int, size: int, source: HashSource) -> list[bytes]:
    """Return the audit path (RFC 9162 §2.1.3.1) of leaf ``index`` in the tree of ``size``."""
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is outside the tree of size {size}")
    ranges: list[tuple[int, int]] = []
    lo, hi = 0, size
    while hi - lo > 1:
        k = 1 << ((hi - lo - 1).bit_length() - 1)
        if index - lo < k:
            ranges.append((lo + k, hi))
            hi = lo + k
        else:
            ranges.append((lo, lo + k))
            lo += k
    ranges.reverse()
    return _range_hashes(ranges, source)


def consistency_proof(size1: int, size2: int, source: HashSource) -> list[bytes]:
    """Return the consistency proof (RFC 9162 §2.1.4.1) between tree sizes ``size1`` and ``size2``."""
    if not 0 < size1 <= size2:
        raise ProofError(f"no consistency proof from size {size1} to size {size2}")
    ranges: list[tuple[int, int]] = []
    m, lo, hi, complete = size1, 0, size2, True
    while m != hi - lo:
        k = 1 << ((hi - lo - 1).bit_length() - 1)
        if m <= k:
            ranges.append((lo + k, hi))
            hi = lo + k
        else:
            ranges.append((lo, lo + k))
            m -= k
            lo += k
            complete = False
    if not complete:
        ranges.append((lo, hi))
    ranges.reverse()
    return _range_hashes(ranges, source)


def _check_hash(name: str, value: bytes) -> None:
    if len(value) != HASH_SIZE:
        raise ProofError(f"{name} is {len(value)} bytes, expected {HASH_SIZE}")


def _check_proof_hashes(proof: Sequence[bytes]) -> None:
    for i, p in enumerate(proof):
        if len(p) != HASH_SIZE:
            raise ProofError(f"proof hash {i} is {len(p)} bytes, expected {HASH_SIZE}")


def verify_inclusion(
    leaf_hash: bytes, index: int, tree_size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """Check that ``leaf_hash`` sits at ``index`` in the tree of ``tree_size`` with ``root``.

    Follows RFC 9162 §2.1.3.2 exactly: the proof must be consumed to the last hash.
    Raises :class:`ProofError` naming the check that failed.
    """
    if index < 0 or index >= tree_size:
        raise ProofError(f"leaf index {index} is not below tree size {tree_size}")
    if len(leaf_hash) != HASH_SIZE:
        raise ProofError(f"leaf hash is {len(leaf_hash)} bytes, expected {HASH_SIZE}")
    if len(root) != HASH_SIZE:
        raise ProofError(f"root hash is {len(root)} bytes, expected {HASH_SIZE}")
    fn, sn, r = index, tree_size - 1, leaf_hash
    sha = _sha256
    for p in proof:
        if len(p) != HASH_SIZE:
            raise ProofError(f"proof hash is {len(p)} bytes, expected {HASH_SIZE}")
        if sn == 0:
            raise ProofError("inclusion proof is too long for the tree size")
        if fn & 1 or fn == sn:
            r = sha(b"\x01" + p + r).digest()
            while not fn & 1 and fn:
                fn >>= 1
                sn >>= 1
        else:
            r = sha(b"\x01" + r + p).digest()
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("inclusion proof is too short for the tree size")
    if r != root:
        raise ProofError("inclusion proof leads to a different root hash")


def verify_consistency(
    size1: int, size2: int, proof: Sequence[bytes], root1: bytes, root2: bytes
) -> None:
    """Check that the tree of ``size2`` with ``root2`` extends the one of ``size1`` with ``root1``.

    Follows RFC 9162 §2.1.4.2. Equal sizes need an empty proof and equal roots; a
    proof from the empty tree (``size1 == 0``) is refused, as the test vectors demand.
    Raises :class:`ProofError` naming the check that failed.
    """
    if size1 < 0 or size2 < size1:
        raise ProofError(f"size1 {size1} is greater than size2 {size2} (or negative)")
    if size1 == 0:
        raise ProofError("a consistency proof from the empty tree (size1 = 0) proves nothing")
    if size1 == size2:
        if proof:
            raise ProofError("sizes are equal but the consistency proof is not empty")
        if root1 != root2:
            raise ProofError("sizes are equal but the root hashes differ")
        return
    if not proof:
        raise ProofError("consistency proof is empty but the sizes differ")
    _check_hash("root1", root1)
    _check_hash("root2", root2)
    _check_proof_hashes(proof)
    path = list(proof)
    if size1 & (size1 - 1) == 0:
        path.insert(0, root1)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    sha = _sha256
    for c in path[1:]:
        if sn == 0:
            raise ProofError("consistency proof is too long for the tree sizes")
        if fn & 1 or fn == sn:
            fr = sha(b"\x01" + c + fr).digest()
            sr = sha(b"\x01" + c + sr).digest()
            while not fn & 1 and fn:
                fn >>= 1
                sn >>= 1
        else:
            sr = sha(b"\x01" + sr + c).digest()
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("consistency proof is too short for the tree sizes")
    if fr != root1:
        raise ProofError("consistency proof does not lead to root1")
    if sr != root2:
        raise ProofError("consistency proof does not lead to root2")
