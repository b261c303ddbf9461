"""Message signatures between gateways: the digest, batch signing and verification.

Each direction of an exchange (request, response) is reduced to a 32-byte
:func:`message_digest`. A :class:`BatchSigner` signs, as X-Road does, all the digests
waiting at the same moment with one ECDSA P-256 signature over the RFC 6962 Merkle root
of their digests; each message carries its inclusion path in a :class:`MessageSignature`
(header ``Tunduk-Signature``). A :class:`SignatureVerifier` checks a message against
the global configuration and caches what it verified, so a whole batch costs its
receiver one ECDSA verification; :func:`verify_offline` makes the same checks from a
given list of approved CAs (for evidence). ``docs/gateway-protocol.md`` specifies it.

Exceptions::

    GatewayError (tunduk.gateway._errors)
     ├── code INVALID_SIGNATURE_CLIENT / _SERVER   the signature or its certificate fails
     └── code OUTDATED_GLOBALCONF_CLIENT / _SERVER no valid configuration to check against
    ValueError                                     a digest field or header cannot be encoded
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tunduk.globalconf import (
    ApprovedCa,
    CertificateError,
    ConfigurationClient,
    GlobalConfigurationError,
)
from tunduk.identifiers import MemberId

from ._batch import BatchTree
from ._digest import DIGEST_LABEL, Kind, canonical_fields, message_digest
from ._errors import Code, GatewayError
from ._sigcheck import (
    Lru,
    Refused,
    check_batch_path,
    check_batch_signature,
    check_signer_profile,
    check_validity_and_revocation,
    issuing_ca,
    load_certificate,
    signer_key,
)
from ._sigformat import (
    ALGORITHM,
    MAX_BATCH_SIZE,
    MAX_SIGNATURE_HEADER,
    MessageSignature,
    batch_to_be_signed,
)

__all__ = [
    "ALGORITHM",
    "DIGEST_LABEL",
    "MAX_BATCH_SIZE",
    "MAX_SIGNATURE_HEADER",
    "BatchSigner",
    "Kind",
    "MessageSignature",
    "Side",
    "SignatureVerifier",
    "canonical_fields",
    "message_digest",
    "verify_offline",
]

Side = Literal["client", "server"]
"""Which gateway verifies: ``"client"`` checks a response, ``"server"`` a request."""


def _certificate_der(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.DER)


class BatchSigner:
    """Signs message digests in batches: one ECDSA P-256 signature per batch.

    ``sign()`` queues a digest; the queue is taken at the next turn of the event loop
    (``call_soon``), so every digest queued by the handlers that ran in the same turn
    shares a batch (at most ``max_batch`` per signature). Under load batches grow and the
    cost per message falls. The signature is made on the event loop itself: one ECDSA
    P-256 signature costs ~30 µs, less than handing the batch to a thread and back
    (measured: 0.14 ms per message at one connection, and the thread's GIL contention).
    Use it from one event loop; :meth:`sign_batch` signs synchronously.
    """

    def __init__(
        self,
        key: ec.EllipticCurvePrivateKey,
        certificate: x509.Certificate,
        *,
        max_batch: int = 256,
    ) -> None:
        if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
            raise ValueError(f"the signing key must be ECDSA P-256 ({ALGORITHM})")
        if certificate.public_key() != key.public_key():
            raise ValueError("the signing certificate does not hold the signing key's public key")
        if not 1 <= max_batch <= MAX_BATCH_SIZE:
            raise ValueError(f"max_batch must be 1 to {MAX_BATCH_SIZE}")
        self.key = key
        self.certificate = certificate
        self.certificate_der = _certificate_der(certificate)
        self.certificate_sha256 = hashlib.sha256(self.certificate_der).digest()
        self.max_batch = max_batch
        self.signatures_made = 0
        """ECDSA signatures made so far (one per batch)."""
        self.messages_signed = 0
        self._pending: list[tuple[bytes, asyncio.Future[MessageSignature]]] = []
        self._scheduled: asyncio.AbstractEventLoop | None = None
        """The loop a drain of ``_pending`` is scheduled on (None: none is)."""

    def sign_batch(self, digests: Sequence[bytes]) -> list[MessageSignature]:
        """Sign ``digests`` as one batch now (blocking); one signature each, in order."""
        for digest in digests:
            if len(digest) != 32:
                raise ValueError(f"a message digest is 32 bytes, not {len(digest)}")
        if not 1 <= len(digests) <= MAX_BATCH_SIZE:
            raise ValueError(f"a batch holds 1 to {MAX_BATCH_SIZE} digests")
        tree = BatchTree(digests)
        to_sign = batch_to_be_signed(self.certificate_sha256, tree.size, tree.root)
        value = self.key.sign(to_sign, ec.ECDSA(hashes.SHA256()))
        return [
            MessageSignature(
                algorithm=ALGORITHM,
                certificate_sha256=self.certificate_sha256,
                batch_root=tree.root,
                batch_size=tree.size,
                leaf_index=index,
                batch_path=tuple(tree.path(index)),
                signature=value,
            )
            for index in range(tree.size)
        ]

    async def sign(self, digest: bytes) -> MessageSignature:
        """Sign ``digest`` (32 bytes) together with whatever else is waiting."""
        if len(digest) != 32:
            raise ValueError(f"a message digest is 32 bytes, not {len(digest)}")
        loop = asyncio.get_running_loop()
        future: asyncio.Future[MessageSignature] = loop.create_future()
        scheduled = self._scheduled
        if scheduled is not loop:
            if scheduled is not None:
                # A loop stopped before its drain ran: its waiters can never resume.
                self._pending = [item for item in self._pending if item[1].get_loop() is loop]
            self._scheduled = loop
            loop.call_soon(self._drain)
        self._pending.append((bytes(digest), future))
        return await future

    def _drain(self) -> None:
        """Sign everything queued, in batches of at most ``max_batch``, and wake the waiters."""
        self._scheduled = None
        pending, self._pending = self._pending, []
        for start in range(0, len(pending), self.max_batch):
            batch = pending[start : start + self.max_batch]
            try:
                signatures = self.sign_batch([digest for digest, _ in batch])
            except Exception as error:  # the key failed: every waiter learns it
                for _, future in batch:
                    if not future.done():
                        future.set_exception(error)
                continue
            self.signatures_made += 1
            self.messages_signed += len(batch)
            for (_, future), signature in zip(batch, signatures, strict=True):
                if not future.done():
                    future.set_result(signature)

    def close(self) -> None:
        """Nothing to release (kept for callers that close what they open)."""


def _code(side: Side) -> Code:
    return Code.INVALID_SIGNATURE_CLIENT if side == "client" else Code.INVALID_SIGNATURE_SERVER


def _what(side: Side) -> str:
    return "response" if side == "client" else "request"


def _refusal(side: Side, problem: Refused) -> GatewayError:
    return GatewayError(_code(side), f"the {_what(side)} signature is not valid: {problem}")


def _check_aware(at: datetime) -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("the moment of a signature check must be timezone-aware (UTC)")


def _matching_certificate(signature: MessageSignature, certificate_der: bytes) -> bytes:
    """The certificate's SHA-256, which must be the one the signature names."""
    if signature.algorithm != ALGORITHM:
        raise Refused(f"the algorithm {signature.algorithm!r} is not {ALGORITHM}")
    sha256 = hashlib.sha256(certificate_der).digest()
    if sha256 != signature.certificate_sha256:
        raise Refused("the signature names another certificate than the one sent with it")
    return sha256


@dataclass(frozen=True)
class _Signer:
    """A signer certificate that passed the profile checks, and its public key."""

    certificate: x509.Certificate
    key: ec.EllipticCurvePublicKey


class SignatureVerifier:
    """Verifies message signatures against the global configuration, with bounded caches.

    Verified ``(certificate hash, batch size, root, signature)`` are remembered, so every
    further message of a batch costs hashing only; so are parsed certificates that passed
    the profile checks for a member and, per configuration version, the approved CA that
    issued each (validity and revocation at the message's moment are still checked on
    every message). All caches are LRU.
    """

    def __init__(self, client: ConfigurationClient, *, cache_size: int = 4096) -> None:
        self.client = client
        self.ecdsa_verifications = 0
        """ECDSA batch signatures verified so far (cache misses)."""
        self._verified: Lru[tuple[bytes, int, bytes, bytes], bool] = Lru(cache_size)
        self._signers: Lru[tuple[bytes, MemberId], _Signer] = Lru(256)
        self._issuers: Lru[tuple[bytes, int, datetime], ApprovedCa] = Lru(256)

    def verify(
        self,
        digest: bytes,
        signature: MessageSignature,
        certificate_der: bytes,
        *,
        member: MemberId,
        at: datetime,
        side: Side,
    ) -> x509.Certificate:
        """Check ``signature`` on ``digest`` by ``member``'s signing certificate at ``at``.

        The certificate is the one the signature names, an ECDSA P-256 signing
        certificate (digitalSignature and nonRepudiation) whose subject ``C`` and
        ``serialNumber`` are ``member``, issued by an approved CA, valid and not revoked at
        ``at``; the batch path leads to the root the signature signs. Returns the
        certificate; raises ``GatewayError`` with ``INVALID_SIGNATURE_<side>`` (or
        ``OUTDATED_GLOBALCONF_<side>`` without a valid configuration).
        """
        _check_aware(at)
        try:
            sha256 = _matching_certificate(signature, certificate_der)
            signer = self._signer(sha256, certificate_der, member)
            self._check_issuer(sha256, signer.certificate, at, side)
            check_batch_path(digest, signature)
            key = (sha256, signature.batch_size, signature.batch_root, signature.signature)
            if self._verified.get(key) is None:
                check_batch_signature(signer.key, signature)
                self.ecdsa_verifications += 1
                self._verified.put(key, True)
        except Refused as problem:
            raise _refusal(side, problem) from None
        return signer.certificate

    def _signer(self, sha256: bytes, der: bytes, member: MemberId) -> _Signer:
        """The parsed certificate and key, once its profile passed for ``member`` (cached)."""
        signer = self._signers.get((sha256, member))
        if signer is None:
            certificate = load_certificate(der)
            check_signer_profile(certificate, member)
            signer = _Signer(certificate, signer_key(certificate))
            self._signers.put((sha256, member), signer)
        return signer

    def _check_issuer(
        self, sha256: bytes, certificate: x509.Certificate, at: datetime, side: Side
    ) -> None:
        """Approved CA, validity and revocation at ``at``, through the configuration client."""
        try:
            conf = self.client.current()
        except GlobalConfigurationError as error:
            code = (
                Code.OUTDATED_GLOBALCONF_CLIENT
                if side == "client"
                else Code.OUTDATED_GLOBALCONF_SERVER
            )
            raise GatewayError(code, f"no valid global configuration: {error}") from None
        key = (sha256, conf.version, conf.generated_at)
        ca = self._issuers.get(key)
        if ca is not None:
            check_validity_and_revocation(certificate, ca, at)
            return
        try:
            ca = self.client.check_certificate(certificate, at=at)
        except CertificateError as error:
            raise Refused(f"the signer certificate is not accepted: {error}") from None
        except GlobalConfigurationError as error:
            raise Refused(f"the configuration cannot check the certificate: {error}") from None
        self._issuers.put(key, ca)


def verify_offline(
    digest: bytes,
    signature: MessageSignature,
    certificate: x509.Certificate | bytes,
    *,
    approved_cas: Sequence[ApprovedCa],
    member: MemberId,
    at: datetime,
    side: Side = "server",
) -> None:
    """The checks of :meth:`SignatureVerifier.verify` without a configuration client.

    ``approved_cas`` are the CAs (with their revoked serials) of the global configuration
    in force at ``at``, e.g. from the signed configuration kept beside the evidence.
    ``certificate`` is the signer certificate (object or DER). Raises ``GatewayError``
    with ``INVALID_SIGNATURE_<side>`` and a message saying which check failed.
    """
    _check_aware(at)
    try:
        der = certificate if isinstance(certificate, bytes) else _certificate_der(certificate)
        _matching_certificate(signature, der)
        parsed = load_certificate(der)
        check_signer_profile(parsed, member)
        check_validity_and_revocation(parsed, issuing_ca(parsed, approved_cas), at)
        check_batch_path(digest, signature)
        check_batch_signature(signer_key(parsed), signature)
    except Refused as problem:
        raise _refusal(side, problem) from None
