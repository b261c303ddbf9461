"""Verifying message signatures: what a receiving gateway accepts and what it refuses."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from tunduk.gateway._errors import Code, GatewayError
from tunduk.gateway.signing import BatchSigner, MessageSignature, SignatureVerifier
from tunduk.trust.profiles import CertificateProfile

from ._signing_helpers import (
    POPULATION,
    SOCIAL_FUND,
    Holder,
    TrustWorld,
    issue,
    moment,
    sample_digest,
)
from .test_signing_digest import TAMPERED

MINUTE = 1 / 1440


def der(holder: Holder) -> bytes:
    """The holder's certificate as sent on the wire (DER)."""
    return holder.certificate.public_bytes(serialization.Encoding.DER)


@pytest.fixture(scope="module")
def trust() -> TrustWorld:
    """The approved CA, an unapproved one, and the configuration signer."""
    return TrustWorld()


@pytest.fixture(scope="module")
def population(trust: TrustWorld) -> Holder:
    """The population registry's signing key and certificate."""
    return issue(trust.ca, POPULATION)


@pytest.fixture
def signer(population: Holder) -> Iterator[BatchSigner]:
    """The population registry's batch signer."""
    batch_signer = population.signer()
    yield batch_signer
    batch_signer.close()


@pytest.fixture
def verifier(trust: TrustWorld, tmp_path: Path) -> SignatureVerifier:
    """A verifier over a freshly signed configuration that approves the test CA."""
    return SignatureVerifier(trust.client(tmp_path / "conf"))


def check(
    verifier: SignatureVerifier,
    digest: bytes,
    signature: MessageSignature,
    holder: Holder,
    *,
    member: object = POPULATION,
) -> None:
    """Verify as the provider's gateway checking a request, now."""
    verifier.verify(digest, signature, der(holder), member=member, at=moment(), side="server")  # type: ignore[arg-type]


def refused(call: object, *args: object, **kwargs: object) -> GatewayError:
    """The GatewayError ``call`` raises (fails the test if it does not)."""
    with pytest.raises(GatewayError) as caught:
        call(*args, **kwargs)  # type: ignore[operator]
    return caught.value


def test_a_valid_signature_returns_the_signer_certificate(
    verifier: SignatureVerifier, signer: BatchSigner, population: Holder
) -> None:
    """Issue 9 §3: the receiver verifies the sender's signature before acting."""
    digest = sample_digest()
    [signature] = signer.sign_batch([digest])
    certificate = verifier.verify(
        digest, signature, der(population), member=POPULATION, at=moment(), side="server"
    )
    assert certificate == population.certificate


def test_a_batch_costs_its_receiver_one_ecdsa_verification(
    verifier: SignatureVerifier, signer: BatchSigner, population: Holder
) -> None:
    """Brief: verified (certificate, root, signature) are cached; a batch costs one verification."""
    batch = [sample_digest(message_id=f"m{i}") for i in range(16)]
    for digest, signature in zip(batch, signer.sign_batch(batch), strict=True):
        check(verifier, digest, signature, population)
    assert verifier.ecdsa_verifications == 1


@pytest.mark.parametrize("field", sorted(TAMPERED))
def test_each_tampered_field_fails(
    verifier: SignatureVerifier, signer: BatchSigner, population: Holder, field: str
) -> None:
    """Attacker: changing any bound field of a signed message breaks its signature."""
    [signature] = signer.sign_batch([sample_digest()])
    error = refused(check, verifier, sample_digest(**TAMPERED[field]), signature, population)
    assert error.code == Code.INVALID_SIGNATURE_SERVER
    assert "batch path does not lead to the signed root" in error.message


def test_tampering_is_caught_even_after_the_batch_is_cached(
    verifier: SignatureVerifier, signer: BatchSigner, population: Holder
) -> None:
    """Attacker: a cached batch signature does not excuse a message that is not in the batch."""
    batch = [sample_digest(message_id="a"), sample_digest(message_id="b")]
    first, second = signer.sign_batch(batch)
    check(verifier, batch[0], first, population)
    error = refused(check, verifier, sample_digest(message_id="c"), second, population)
    assert error.code == Code.INVALID_SIGNATURE_SERVER


def test_a_signature_replayed_on_another_message_fails(
    verifier: SignatureVerifier, signer: BatchSigner, population: Holder
) -> None:
    """Attacker: a genuine signature copied onto another message (another X-Road-Id) fails."""
    [signature] = signer.sign_batch([sample_digest(message_id="original")])
    check(verifier, sample_digest(message_id="original"), signature, population)
    error = refused(check, verifier, sample_digest(message_id="replay"), signature, population)
    assert "batch path" in error.message


def test_a_wrong_batch_path_fails(
    verifier: SignatureVerifier, signer: BatchSigner, population: Holder
) -> None:
    """Attacker: another leaf's index or path, or a forged path node, does not reach the root."""
    batch = [sample_digest(message_id=f"m{i}") for i in range(5)]
    signatures = signer.sign_batch(batch)
    moved = dataclasses.replace(signatures[1], leaf_index=2)
    swapped = dataclasses.replace(signatures[1], batch_path=signatures[2].batch_path)
    forged = dataclasses.replace(
        signatures[1], batch_path=(b"\x00" * 32, *signatures[1].batch_path[1:])
    )
    shorter = dataclasses.replace(signatures[1], batch_path=signatures[1].batch_path[:-1])
    for bad in (moved, swapped, forged, shorter):
        error = refused(check, verifier, batch[1], bad, population)
        assert "batch path" in error.message


def test_a_root_signed_with_another_key_fails(
    trust: TrustWorld, verifier: SignatureVerifier, population: Holder
) -> None:
    """Attacker: a signature by a key other than the certificate's does not verify."""
    digest = sample_digest()
    impostor = issue(trust.ca, POPULATION)
    [signature] = BatchSigner(impostor.key, impostor.certificate).sign_batch([digest])
    relabelled = dataclasses.replace(
        signature, certificate_sha256=population.certificate.fingerprint(signature_hash())
    )
    error = refused(check, verifier, digest, relabelled, population)
    assert "does not verify" in error.message


def signature_hash() -> object:
    """SHA-256, as the signature names its certificate."""
    from cryptography.hazmat.primitives import hashes

    return hashes.SHA256()


def test_a_certificate_other_than_the_named_one_fails(
    trust: TrustWorld, verifier: SignatureVerifier, signer: BatchSigner
) -> None:
    """Attacker: the certificate sent beside the signature must be the one it names."""
    digest = sample_digest()
    [signature] = signer.sign_batch([digest])
    other = issue(trust.ca, POPULATION)
    error = refused(check, verifier, digest, signature, other)
    assert "another certificate" in error.message


def test_another_members_certificate_fails(trust: TrustWorld, verifier: SignatureVerifier) -> None:
    """Attacker: the social fund's valid signature does not pass as the population registry's."""
    fund = issue(trust.ca, SOCIAL_FUND)
    digest = sample_digest()
    [signature] = fund.signer().sign_batch([digest])
    error = refused(check, verifier, digest, signature, fund, member=POPULATION)
    assert error.message.endswith("belongs to KG/GOV/70000004, not to KG/GOV/70000001")


def test_a_revoked_certificate_fails(trust: TrustWorld, tmp_path: Path) -> None:
    """003 §3.1: a certificate its CA revoked signs nothing after the revocation."""
    holder = issue(trust.ca, POPULATION)
    digest = sample_digest()
    [signature] = holder.signer().sign_batch([digest])
    trust.revoke(holder.certificate, moment(-MINUTE))
    verifier = SignatureVerifier(trust.client(tmp_path / "revoked", version=2))
    error = refused(check, verifier, digest, signature, holder)
    assert "revoked" in error.message
    # A signature checked at a moment before the revocation still holds (evidence).
    verifier.verify(
        digest, signature, der(holder), member=POPULATION, at=moment(-3 * MINUTE), side="server"
    )


def test_revocation_counts_even_when_the_issuer_is_cached(
    trust: TrustWorld, tmp_path: Path
) -> None:
    """A cached issuer check still applies the revocation listed for the message's moment."""
    holder = issue(trust.ca, POPULATION)
    digest = sample_digest()
    [signature] = holder.signer().sign_batch([digest])
    trust.revoke(holder.certificate, moment(-MINUTE))
    verifier = SignatureVerifier(trust.client(tmp_path / "cached", version=3))
    verifier.verify(
        digest, signature, der(holder), member=POPULATION, at=moment(-3 * MINUTE), side="server"
    )
    error = refused(check, verifier, digest, signature, holder)
    assert "revoked" in error.message


def test_a_certificate_of_a_ca_not_approved_fails(
    trust: TrustWorld, verifier: SignatureVerifier
) -> None:
    """003 §3.1: only certificates of a CA the configuration approves count (same CA name too)."""
    rogue = issue(trust.rogue_ca, POPULATION)
    digest = sample_digest()
    [signature] = rogue.signer().sign_batch([digest])
    error = refused(check, verifier, digest, signature, rogue)
    assert "no approved CA issued" in error.message


def test_an_authentication_certificate_does_not_sign(
    trust: TrustWorld, verifier: SignatureVerifier
) -> None:
    """docs/trust.md: signing needs the signing profile (digitalSignature + nonRepudiation)."""
    tls = issue(trust.ca, POPULATION, profile=CertificateProfile.AUTHENTICATION)
    digest = sample_digest()
    [signature] = BatchSigner(tls.key, tls.certificate).sign_batch([digest])
    error = refused(check, verifier, digest, signature, tls)
    assert "nonRepudiation" in error.message


def test_the_client_side_uses_the_client_proxy_code(
    verifier: SignatureVerifier, signer: BatchSigner, population: Holder
) -> None:
    """X-Road codes: a bad response signature is Server.ClientProxy.InvalidSignatureValue."""
    [signature] = signer.sign_batch([sample_digest()])
    with pytest.raises(GatewayError) as caught:
        verifier.verify(
            sample_digest(query="x"),
            signature,
            der(population),
            member=POPULATION,
            at=moment(),
            side="client",
        )
    assert caught.value.code == Code.INVALID_SIGNATURE_CLIENT
    assert caught.value.status == 500


def test_an_expired_configuration_refuses_to_verify(
    trust: TrustWorld, signer: BatchSigner, population: Holder, tmp_path: Path
) -> None:
    """XROAD-PROTOCOL: a gateway with an expired configuration refuses to exchange."""
    verifier = SignatureVerifier(trust.client(tmp_path / "old", now=moment(-1)))
    [signature] = signer.sign_batch([sample_digest()])
    error = refused(check, verifier, sample_digest(), signature, population)
    assert error.code == Code.OUTDATED_GLOBALCONF_SERVER


def test_the_signature_cache_is_bounded(
    trust: TrustWorld, signer: BatchSigner, population: Holder, tmp_path: Path
) -> None:
    """Brief: the verified-signature cache is an LRU of bounded size."""
    verifier = SignatureVerifier(trust.client(tmp_path / "lru"), cache_size=2)
    for i in range(5):
        digest = sample_digest(message_id=f"m{i}")
        [signature] = signer.sign_batch([digest])
        check(verifier, digest, signature, population)
    assert len(verifier._verified) == 2
    assert verifier.ecdsa_verifications == 5


def test_a_naive_moment_is_a_programming_error(
    verifier: SignatureVerifier, signer: BatchSigner, population: Holder
) -> None:
    """Certificates are valid in UTC: a moment without a time zone is refused, not guessed."""
    [signature] = signer.sign_batch([sample_digest()])
    with pytest.raises(ValueError, match="timezone-aware"):
        verifier.verify(
            sample_digest(),
            signature,
            der(population),
            member=POPULATION,
            at=moment().replace(tzinfo=None),
            side="server",
        )


def test_signer_certificate_with_an_invalid_version_is_refused_not_a_crash() -> None:
    """A hostile peer's certificate with X.509 version 6 is a named refusal, not an exception."""
    from tunduk.gateway._sigcheck import Refused, load_certificate
    from tunduk.trust.ca import CertificateAuthority

    ca = CertificateAuthority.create("Test CA")
    certificate = bytearray(ca.certificate.public_bytes(serialization.Encoding.DER))
    version = certificate.index(bytes.fromhex("a003020102"))  # [0] EXPLICIT INTEGER 2 (v3)
    certificate[version + 4] = 0x05
    with pytest.raises(Refused, match=r"not a DER X\.509 certificate"):
        load_certificate(bytes(certificate))
