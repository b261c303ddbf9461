"""Roots and proofs made from stored subtrees agree with a naive RFC 6962 recompute."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tunduk.journal import (
    EMPTY_ROOT,
    Log,
    MemoryStorage,
    ProofError,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    merkle_root,
    node_hash,
    root_hash,
    verify_consistency,
    verify_inclusion,
)

N = 70


def naive_root(leaves: list[bytes]) -> bytes:
    """MTH from RFC 6962 §2.1, recursively."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return node_hash(naive_root(leaves[:k]), naive_root(leaves[k:]))


def naive_path(m: int, leaves: list[bytes]) -> list[bytes]:
    """PATH(m, D[n]) from RFC 6962 §2.1.1."""
    if len(leaves) <= 1:
        return []
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    if m < k:
        return [*naive_path(m, leaves[:k]), naive_root(leaves[k:])]
    return [*naive_path(m - k, leaves[k:]), naive_root(leaves[:k])]


def naive_subproof(m: int, leaves: list[bytes], complete: bool) -> list[bytes]:
    """SUBPROOF(m, D[n], b) from RFC 6962 §2.1.2."""
    n = len(leaves)
    if m == n:
        return [] if complete else [naive_root(leaves)]
    k = 1 << ((n - 1).bit_length() - 1)
    if m <= k:
        return [*naive_subproof(m, leaves[:k], complete), naive_root(leaves[k:])]
    return [*naive_subproof(m - k, leaves[k:], False), naive_root(leaves[:k])]


@pytest.fixture(scope="module")
def filled() -> tuple[Log, list[bytes]]:
    """A memory log of N entries and their leaf hashes."""
    log = Log(MemoryStorage())
    entries = [f"entry {i}".encode() for i in range(N)]
    log.append_many(entries[:13])
    for e in entries[13:20]:
        log.append(e)
    log.append_many(entries[20:])
    return log, [leaf_hash(e) for e in entries]


def test_hashes_follow_rfc6962() -> None:
    """Leaf and node hashes carry the 0x00 / 0x01 prefixes; the empty root is SHA-256('')."""
    assert leaf_hash(b"x") == hashlib.sha256(b"\x00x").digest()
    assert node_hash(b"a", b"b") == hashlib.sha256(b"\x01ab").digest()
    assert EMPTY_ROOT.hex().startswith("e3b0c442")


def test_roots_match_naive_for_every_size(filled: tuple[Log, list[bytes]]) -> None:
    """The log's root at every size 0..N equals the recursive MTH and merkle_root."""
    log, leaves = filled
    for size in range(N + 1):
        expected = naive_root(leaves[:size])
        assert log.root(size) == expected
        assert merkle_root(leaves[:size]) == expected


def test_inclusion_proofs_match_naive_for_every_size(filled: tuple[Log, list[bytes]]) -> None:
    """Every inclusion proof for every size 1..N equals PATH and verifies."""
    log, leaves = filled
    for size in range(1, N + 1):
        root = log.root(size)
        for index in range(size):
            proof = log.inclusion_proof(index, size)
            assert proof == naive_path(index, leaves[:size])
            verify_inclusion(leaves[index], index, size, proof, root)


def test_consistency_proofs_match_naive_for_every_pair(filled: tuple[Log, list[bytes]]) -> None:
    """Every consistency proof for 1 <= m <= n <= N equals PROOF(m, D[n]) and verifies."""
    log, leaves = filled
    roots = [log.root(s) for s in range(N + 1)]
    for n in range(1, N + 1):
        for m in range(1, n + 1):
            proof = log.consistency_proof(m, n)
            assert proof == naive_subproof(m, leaves[:n], True)
            verify_consistency(m, n, proof, roots[m], roots[n])


def test_proof_for_wrong_leaf_or_root_fails(filled: tuple[Log, list[bytes]]) -> None:
    """A valid proof does not verify for another leaf, index or root."""
    log, leaves = filled
    proof = log.inclusion_proof(5, 40)
    root = log.root(40)
    with pytest.raises(ProofError, match="different root"):
        verify_inclusion(leaves[6], 5, 40, proof, root)
    with pytest.raises(ProofError):
        verify_inclusion(leaves[5], 4, 40, proof, root)
    with pytest.raises(ProofError, match="too long"):
        verify_inclusion(leaves[5], 5, 40, [*proof, root], root)
    with pytest.raises(ProofError, match="too short"):
        verify_inclusion(leaves[5], 5, 40, proof[:-1], root)
    with pytest.raises(ProofError, match="not below"):
        verify_inclusion(leaves[5], 40, 40, proof, root)


def test_proof_makers_refuse_impossible_requests(filled: tuple[Log, list[bytes]]) -> None:
    """Asking for a proof outside the tree raises ProofError."""
    log, _ = filled
    with pytest.raises(ProofError):
        log.inclusion_proof(N, N)
    with pytest.raises(ProofError):
        log.consistency_proof(0, 5)
    with pytest.raises(ProofError):
        log.consistency_proof(6, 5)
    with pytest.raises(ProofError):
        log.root(N + 1)
    with pytest.raises(ProofError):
        root_hash(-1, log)


@given(st.lists(st.binary(max_size=8), min_size=1, max_size=200), st.data())
def test_random_logs_prove_inclusion_and_consistency(
    entries: list[bytes], data: st.DataObject
) -> None:
    """For random logs and batchings, proofs from the stored subtrees verify."""
    storage = MemoryStorage()
    log = Log(storage)
    cut = data.draw(st.integers(0, len(entries)))
    log.append_many(entries[:cut])
    for e in entries[cut:]:
        log.append(e)
    size = len(entries)
    index = data.draw(st.integers(0, size - 1))
    m = data.draw(st.integers(1, size))
    leaves = [leaf_hash(e) for e in entries]
    assert log.root() == naive_root(leaves)
    verify_inclusion(leaves[index], index, size, inclusion_proof(index, size, storage), log.root())
    proof = consistency_proof(m, size, storage)
    verify_consistency(m, size, proof, log.root(m), log.root())
