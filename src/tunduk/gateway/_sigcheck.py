"""Checks of a signer certificate and a batch signature, shared by the online and offline verifiers.

Each check raises :class:`Refused` with an English sentence saying what is wrong; the
public verifiers turn it into a ``GatewayError`` with the side's code.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from datetime import datetime
from typing import Generic, TypeVar

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tunduk.globalconf import ApprovedCa
from tunduk.identifiers import MemberId

from ._batch import check_path
from ._sigformat import ALGORITHM, MessageSignature, batch_to_be_signed

__all__ = [
    "MAX_CERTIFICATE_BYTES",
    "Lru",
    "Refused",
    "check_batch_path",
    "check_batch_signature",
    "check_signer_profile",
    "check_validity_and_revocation",
    "issuing_ca",
    "load_certificate",
    "signer_key",
]

MAX_CERTIFICATE_BYTES = 8192
"""Largest signer certificate (DER) accepted; real ones are under 1 KiB."""

K = TypeVar("K")
V = TypeVar("V")


class Refused(Exception):
    """A signature or its certificate does not pass; ``str()`` says why, in English."""


class Lru(Generic[K, V]):
    """A bounded, thread-safe least-recently-used map."""

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError("an LRU cache holds at least one entry")
        self.capacity = capacity
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        """The value for ``key`` (now the most recent), or ``None``."""
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        """Remember ``key``; the least recently used entry goes when full."""
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


def load_certificate(der: bytes) -> x509.Certificate:
    """Parse a DER certificate of at most :data:`MAX_CERTIFICATE_BYTES`."""
    if len(der) > MAX_CERTIFICATE_BYTES:
        raise Refused(f"the signer certificate is larger than {MAX_CERTIFICATE_BYTES} bytes")
    try:
        return x509.load_der_x509_certificate(der)
    except (ValueError, x509.InvalidVersion) as error:  # InvalidVersion is no ValueError
        raise Refused("the signer certificate is not a DER X.509 certificate") from error


def _one(name: x509.Name, oid: x509.ObjectIdentifier, label: str) -> str:
    values = name.get_attributes_for_oid(oid)
    if len(values) != 1:
        raise Refused(f"the signer certificate's subject must hold exactly one {label}")
    value = values[0].value
    return value if isinstance(value, str) else value.decode("utf-8", "replace")


def check_signer_profile(certificate: x509.Certificate, member: MemberId) -> None:
    """The certificate is a P-256 signing certificate of ``member`` (docs/trust.md subject)."""
    country = _one(certificate.subject, NameOID.COUNTRY_NAME, "C")
    serial = _one(certificate.subject, NameOID.SERIAL_NUMBER, "serialNumber")
    expected = f"{member.member_class}/{member.member_code}"
    if country != member.instance or serial != expected:
        raise Refused(f"the signer certificate belongs to {country}/{serial}, not to {member}")
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound as error:
        raise Refused("the signer certificate has no key usage extension") from error
    if not (usage.digital_signature and usage.content_commitment):
        raise Refused(
            "the signer certificate's key usage lacks digitalSignature or nonRepudiation"
            " (it is not a signing certificate)"
        )
    key = certificate.public_key()
    if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp256r1":
        raise Refused(f"the signer certificate's key is not ECDSA P-256 ({ALGORITHM})")


def issuing_ca(certificate: x509.Certificate, approved: Sequence[ApprovedCa]) -> ApprovedCa:
    """The approved CA whose key signed ``certificate`` (a matching name is not enough)."""
    for entry in approved:
        ca = x509.load_pem_x509_certificate(entry.certificate_pem.encode("ascii"))
        if ca.subject != certificate.issuer:
            continue
        try:
            certificate.verify_directly_issued_by(ca)
        except (ValueError, TypeError, InvalidSignature):
            continue
        return entry
    raise Refused(
        f"no approved CA issued the signer certificate (issuer {certificate.issuer.rfc4514_string()})"
    )


def check_validity_and_revocation(
    certificate: x509.Certificate, ca: ApprovedCa, at: datetime
) -> None:
    """Valid at ``at`` and not revoked by ``ca`` at or before ``at``."""
    if not certificate.not_valid_before_utc <= at <= certificate.not_valid_after_utc:
        raise Refused(
            f"the signer certificate is valid from {certificate.not_valid_before_utc.isoformat()}"
            f" until {certificate.not_valid_after_utc.isoformat()}, not at {at.isoformat()}"
        )
    for item in ca.revoked:
        if int(item.serial, 16) == certificate.serial_number and item.revoked_at <= at:
            raise Refused(
                f"the signer certificate (serial {certificate.serial_number:x}) was revoked"
                f" by {ca.name} at {item.revoked_at.isoformat()}"
            )


def check_batch_path(digest: bytes, signature: MessageSignature) -> None:
    """The batch path leads from ``digest`` at its index to the signed root."""
    if len(digest) != 32:
        raise Refused(f"the message digest must be 32 bytes, not {len(digest)}")
    problem = check_path(
        digest,
        signature.leaf_index,
        signature.batch_size,
        signature.batch_path,
        signature.batch_root,
    )
    if problem is not None:
        raise Refused(f"the batch path does not lead to the signed root ({problem})")


def check_batch_signature(key: ec.EllipticCurvePublicKey, signature: MessageSignature) -> None:
    """One ECDSA verification of the batch root with the signer certificate's ``key``."""
    signed = batch_to_be_signed(
        signature.certificate_sha256, signature.batch_size, signature.batch_root
    )
    try:
        key.verify(signature.signature, signed, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature as error:
        raise Refused("the signature value does not verify with the signer certificate") from error


def signer_key(certificate: x509.Certificate) -> ec.EllipticCurvePublicKey:
    """The certificate's ECDSA P-256 public key (after :func:`check_signer_profile`)."""
    key = certificate.public_key()
    if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp256r1":
        raise Refused(f"the signer certificate's key is not ECDSA P-256 ({ALGORITHM})")
    return key
