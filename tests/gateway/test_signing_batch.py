"""Batch signing: one ECDSA P-256 signature over the Merkle root of the digests waiting."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from tunduk.gateway._sigcheck import check_batch_path, check_batch_signature, signer_key
from tunduk.gateway.signing import BatchSigner, MessageSignature
from tunduk.journal import leaf_hash, merkle_root

from ._signing_helpers import POPULATION, Holder, TrustWorld, issue


@pytest.fixture(scope="module")
def trust() -> TrustWorld:
    """The approved CA and the configuration signer."""
    return TrustWorld()


@pytest.fixture(scope="module")
def holder(trust: TrustWorld) -> Holder:
    """The population registry's signing key and certificate."""
    return issue(trust.ca, POPULATION)


@pytest.fixture
def signer(holder: Holder) -> Iterator[BatchSigner]:
    """A batch signer with its worker thread."""
    batch_signer = holder.signer()
    yield batch_signer
    batch_signer.close()


def digests(count: int) -> list[bytes]:
    """``count`` distinct 32-byte digests."""
    return [hashlib.sha256(b"message %d" % i).digest() for i in range(count)]


def test_a_batch_of_one_signs_a_one_leaf_tree(signer: BatchSigner) -> None:
    """Brief: a batch of one is a signature over a one-leaf tree (root = leaf hash, no path)."""
    [digest] = digests(1)
    [signature] = signer.sign_batch([digest])
    assert signature.batch_size == 1
    assert signature.batch_path == ()
    assert signature.batch_root == leaf_hash(digest)


def test_batch_root_is_the_rfc6962_root_of_the_digests(signer: BatchSigner) -> None:
    """RFC 6962 §2.1: the root is tunduk.journal's Merkle tree hash over the digests."""
    batch = digests(7)
    signatures = signer.sign_batch(batch)
    root = merkle_root([leaf_hash(digest) for digest in batch])
    assert {signature.batch_root for signature in signatures} == {root}
    assert [signature.leaf_index for signature in signatures] == list(range(7))
    assert len({signature.signature for signature in signatures}) == 1


def test_concurrent_sign_calls_share_signatures(signer: BatchSigner, holder: Holder) -> None:
    """Brief: 100 concurrent sign() calls give valid signatures and fewer ECDSA operations."""
    batch = digests(100)

    async def sign_all() -> list[MessageSignature]:
        return await asyncio.gather(*(signer.sign(digest) for digest in batch))

    signatures = asyncio.run(sign_all())
    for digest, signature in zip(batch, signatures, strict=True):
        check_batch_path(digest, signature)
        check_batch_signature(signer_key(holder.certificate), signature)
    assert signer.messages_signed == 100
    assert 1 <= signer.signatures_made < 100


def test_digests_queued_while_a_batch_signs_form_the_next_batch(holder: Holder) -> None:
    """Brief: while the worker signs, new digests queue into the next batch (max_batch holds)."""
    signer = holder.signer(max_batch=8)
    batch = digests(20)

    async def sign_all() -> list[MessageSignature]:
        return await asyncio.gather(*(signer.sign(digest) for digest in batch))

    try:
        signatures = asyncio.run(sign_all())
    finally:
        signer.close()
    assert [signature.batch_size for signature in signatures] == [8] * 16 + [4] * 4
    assert signer.signatures_made == 3


def test_sequential_messages_are_each_signed_at_once(signer: BatchSigner) -> None:
    """A lone message does not wait for company: it is signed as a batch of one."""

    async def one_by_one() -> list[MessageSignature]:
        return [await signer.sign(digest) for digest in digests(3)]

    assert [signature.batch_size for signature in asyncio.run(one_by_one())] == [1, 1, 1]


def test_signer_refuses_a_key_that_is_not_the_certificates(holder: Holder) -> None:
    """The certificate sent with each signature must hold the signing key's public key."""
    with pytest.raises(ValueError, match="does not hold"):
        BatchSigner(ec.generate_private_key(ec.SECP256R1()), holder.certificate)
    with pytest.raises(ValueError, match="P-256"):
        BatchSigner(ec.generate_private_key(ec.SECP384R1()), holder.certificate)


def test_signer_refuses_digests_that_are_not_32_bytes(signer: BatchSigner) -> None:
    """A digest is SHA-256: anything else is a programming error, refused before signing."""
    with pytest.raises(ValueError):
        signer.sign_batch([b"short"])
    with pytest.raises(ValueError):
        asyncio.run(signer.sign(b"x" * 33))


def test_a_signer_outlives_an_event_loop_stopped_mid_batch(holder: Holder) -> None:
    """A gateway restarted on a new loop keeps signing, even if the old loop stopped mid-batch."""
    signer = holder.signer()
    old = asyncio.new_event_loop()
    try:
        waiter = old.create_task(signer.sign(digests(1)[0]))
        old.call_soon(old.stop)
        old.run_forever()  # the drain is left pending on a stopped loop
        assert not waiter.done() and signer._scheduled is old  # its drain never ran

        async def sign_later() -> MessageSignature:
            return await asyncio.wait_for(signer.sign(digests(2)[1]), timeout=10)

        assert asyncio.run(sign_later()).batch_size == 1
    finally:
        leftover = asyncio.all_tasks(old)
        for task in leftover:
            task.cancel()
        old.run_until_complete(asyncio.gather(*leftover, return_exceptions=True))
        old.close()
        signer.close()
