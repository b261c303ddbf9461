"""Detached signatures over the document bytes, the signed envelope, and the anchor.

Algorithms follow the signer certificate's key: ECDSA P-256 with SHA-256 (the default),
ECDSA P-384 with SHA-384, RSA-PSS (MGF1, salt = digest length) with SHA-256 for RSA keys
of at least 2048 bits. The verifier never takes the algorithm from the envelope.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from tunduk.identifiers import IdentifierError, check_part

from ._build import MAX_CLOCK_SKEW
from ._codec import decode, format_timestamp
from ._errors import (
    ConfigurationFormatError,
    ExpiredError,
    FutureConfigurationError,
    InstanceMismatchError,
    SignatureError,
    VersionRollbackError,
)
from ._model import GlobalConfiguration
from ._reader import Reader, loads_strict

SIGNED_FORMAT = "tunduk-globalconf-signed/1"
ANCHOR_FORMAT = "tunduk-globalconf-anchor/1"
MEDIA_TYPE = "application/json"
MIN_RSA_BITS = 2048

SigningKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
"""Private keys that can sign a configuration."""

_PSS = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.DIGEST_LENGTH)


@dataclass(frozen=True)
class SignedConfiguration:
    """The exact document bytes, a detached signature over them, and the signer's certificate."""

    document: bytes
    signature: bytes
    signer_certificate_pem: bytes

    def to_bytes(self) -> bytes:
        """The wire form: one JSON envelope (see docs/global-configuration.md)."""
        envelope = {
            "format": SIGNED_FORMAT,
            "document": base64.b64encode(self.document).decode("ascii"),
            "signature": base64.b64encode(self.signature).decode("ascii"),
            "certificate": self.signer_certificate_pem.decode("ascii"),
        }
        return json.dumps(envelope, sort_keys=True, separators=(",", ":")).encode("ascii")

    @classmethod
    def from_bytes(cls, data: bytes) -> SignedConfiguration:
        """Parse an envelope; the signature is not checked here (see :func:`verify`)."""
        fields = Reader(loads_strict(data, "envelope"), "envelope").object(
            required={"format", "document", "signature", "certificate"}
        )
        if fields["format"].string() != SIGNED_FORMAT:
            raise ConfigurationFormatError(
                "envelope.format", f"unsupported format; expected {SIGNED_FORMAT!r}"
            )
        return cls(
            document=_base64(fields["document"]),
            signature=_base64(fields["signature"]),
            signer_certificate_pem=fields["certificate"].string().encode("ascii", "replace"),
        )


def _base64(reader: Reader) -> bytes:
    try:
        return base64.b64decode(reader.string(), validate=True)
    except binascii.Error:
        raise ConfigurationFormatError(reader.path, "is not base64") from None


@dataclass(frozen=True)
class ConfigurationAnchor:
    """The operator's configuration-signing certificates a gateway trusts (out of band)."""

    instance: str
    certificates_pem: list[bytes]

    def __post_init__(self) -> None:
        try:
            check_part(self.instance, "instance")
        except IdentifierError as error:
            raise ConfigurationFormatError("anchor.instance", error.message) from None
        if not self.certificates_pem:
            raise ConfigurationFormatError("anchor.certificates", "must not be empty")
        for index, pem in enumerate(self.certificates_pem):
            _load_certificate(pem, f"anchor.certificates[{index}]")

    def fingerprints(self) -> frozenset[bytes]:
        """SHA-256 of each trusted certificate's DER encoding."""
        return frozenset(
            _load_certificate(pem, "anchor").fingerprint(hashes.SHA256())
            for pem in self.certificates_pem
        )

    def to_bytes(self) -> bytes:
        """The anchor file: ``{"format", "instance", "certificates": [PEM, ...]}``."""
        anchor = {
            "format": ANCHOR_FORMAT,
            "instance": self.instance,
            "certificates": [pem.decode("ascii") for pem in self.certificates_pem],
        }
        return json.dumps(anchor, sort_keys=True, separators=(",", ":")).encode("ascii")

    @classmethod
    def from_bytes(cls, data: bytes) -> ConfigurationAnchor:
        """Parse an anchor file written by :meth:`to_bytes`."""
        fields = Reader(loads_strict(data, "anchor"), "anchor").object(
            required={"format", "instance", "certificates"}
        )
        if fields["format"].string() != ANCHOR_FORMAT:
            raise ConfigurationFormatError(
                "anchor.format", f"unsupported format; expected {ANCHOR_FORMAT!r}"
            )
        certificates = [
            r.string().encode("ascii", "replace") for r in fields["certificates"].array()
        ]
        return cls(instance=fields["instance"].string(), certificates_pem=certificates)


def _load_certificate(pem: bytes, path: str) -> x509.Certificate:
    try:
        return x509.load_pem_x509_certificate(pem)
    except ValueError:
        raise ConfigurationFormatError(path, "is not a PEM X.509 certificate") from None


def sign(
    conf_bytes: bytes, private_key: SigningKey, certificate: x509.Certificate | bytes
) -> SignedConfiguration:
    """Sign the exact ``conf_bytes`` (validated first) with ``private_key``.

    ``certificate`` (an object or PEM) must hold the matching public key.
    """
    decode(conf_bytes)
    if isinstance(certificate, bytes):
        certificate = _load_certificate(certificate, "certificate")
    if _spki(certificate.public_key()) != _spki(private_key.public_key()):
        raise SignatureError("the private key does not match the signer certificate")
    if isinstance(private_key, rsa.RSAPrivateKey):
        _check_rsa_size(private_key.key_size)
        signature = private_key.sign(conf_bytes, _PSS, hashes.SHA256())
    else:
        signature = private_key.sign(conf_bytes, ec.ECDSA(_ec_hash(private_key.curve)))
    pem = certificate.public_bytes(serialization.Encoding.PEM)
    return SignedConfiguration(document=conf_bytes, signature=signature, signer_certificate_pem=pem)


def _spki(key: object) -> bytes:
    if not isinstance(key, ec.EllipticCurvePublicKey | rsa.RSAPublicKey):
        raise SignatureError(f"unsupported key type {type(key).__name__}; use EC or RSA")
    return key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _ec_hash(curve: ec.EllipticCurve) -> hashes.SHA256 | hashes.SHA384:
    if isinstance(curve, ec.SECP256R1):
        return hashes.SHA256()
    if isinstance(curve, ec.SECP384R1):
        return hashes.SHA384()
    raise SignatureError(f"unsupported curve {curve.name}; use P-256 or P-384")


def _check_rsa_size(bits: int) -> None:
    if bits < MIN_RSA_BITS:
        raise SignatureError(f"RSA key of {bits} bits is too small; use {MIN_RSA_BITS} or more")


def verify(
    signed: SignedConfiguration,
    anchor: ConfigurationAnchor,
    *,
    now: datetime,
    last_version: int | None = None,
    max_clock_skew: timedelta = MAX_CLOCK_SKEW,
) -> GlobalConfiguration:
    """Check signature, trust, instance, date, expiry and version; return the configuration.

    ``last_version`` is the version of the last configuration accepted (None at first
    start); a lower one raises :class:`VersionRollbackError`. A ``generated_at`` more
    than ``max_clock_skew`` ahead of ``now`` raises :class:`FutureConfigurationError`.
    """
    conf = verify_signature(signed, anchor, now=now)
    check_not_future(conf, now, max_clock_skew)
    check_expiry(conf, now)
    if last_version is not None and conf.version < last_version:
        raise VersionRollbackError(
            f"version {conf.version} is older than version {last_version} already accepted;"
            " a stale or replayed configuration is refused"
        )
    return conf


def verify_signature(
    signed: SignedConfiguration, anchor: ConfigurationAnchor, *, now: datetime
) -> GlobalConfiguration:
    """Everything :func:`verify` checks except expiry and version (used for the cache)."""
    if now.tzinfo is None:
        raise ValueError("now must be a timezone-aware datetime")
    certificate = signer_certificate(signed, anchor, now=now)
    public_key = certificate.public_key()
    try:
        if isinstance(public_key, rsa.RSAPublicKey):
            _check_rsa_size(public_key.key_size)
            public_key.verify(signed.signature, signed.document, _PSS, hashes.SHA256())
        elif isinstance(public_key, ec.EllipticCurvePublicKey):
            algorithm = ec.ECDSA(_ec_hash(public_key.curve))
            public_key.verify(signed.signature, signed.document, algorithm)
        else:
            raise SignatureError(f"unsupported signer key type {type(public_key).__name__}")
    except InvalidSignature:
        raise SignatureError(
            f"the signature does not verify with the certificate of {_subject(certificate)};"
            " the document or the signature was altered"
        ) from None
    conf = decode(signed.document)
    if conf.instance != anchor.instance:
        raise InstanceMismatchError(
            f"the configuration is for instance {conf.instance!r}, the anchor for"
            f" {anchor.instance!r}"
        )
    _check_signer_apart_from_cas(certificate, conf)
    return conf


def _check_signer_apart_from_cas(certificate: x509.Certificate, conf: GlobalConfiguration) -> None:
    """Refuse a signer that a CA approved for participants issued (or that is such a CA).

    Otherwise any participant certificate from that CA could pass for the signer as soon
    as an anchor listed one; the configuration signer stands on its own anchor.
    """
    for ca in conf.approved_cas:
        authority = x509.load_pem_x509_certificate(ca.certificate_pem.encode("ascii"))
        try:
            certificate.verify_directly_issued_by(authority)
        except (ValueError, TypeError, InvalidSignature):
            continue
        raise SignatureError(
            f"the signer certificate ({_subject(certificate)}) is issued by {ca.name}, a CA"
            " that certifies participants; the configuration signer must not be"
        )


def signer_certificate(
    signed: SignedConfiguration, anchor: ConfigurationAnchor, *, now: datetime
) -> x509.Certificate:
    """The signer certificate, if the anchor holds it and it is valid at ``now``."""
    try:
        certificate = x509.load_pem_x509_certificate(signed.signer_certificate_pem)
    except (ValueError, x509.InvalidVersion):  # InvalidVersion is no ValueError
        raise SignatureError("the signer certificate is not a PEM X.509 certificate") from None
    if certificate.fingerprint(hashes.SHA256()) not in anchor.fingerprints():
        raise SignatureError(
            f"the signer certificate ({_subject(certificate)}) is not in the configuration"
            f" anchor of instance {anchor.instance}"
        )
    not_before = certificate.not_valid_before_utc
    not_after = certificate.not_valid_after_utc
    if not not_before <= now < not_after:
        raise SignatureError(
            f"the signer certificate ({_subject(certificate)}) is valid from"
            f" {format_timestamp(not_before)} until {format_timestamp(not_after)},"
            f" not at {format_timestamp(now)}"
        )
    return certificate


def check_not_future(conf: GlobalConfiguration, now: datetime, max_clock_skew: timedelta) -> None:
    """Raise :class:`FutureConfigurationError` when ``generated_at > now + max_clock_skew``."""
    if conf.generated_at > now + max_clock_skew:
        raise FutureConfigurationError(
            f"global configuration {conf.instance} version {conf.version} was generated at"
            f" {format_timestamp(conf.generated_at)}, more than"
            f" {int(max_clock_skew.total_seconds())} seconds ahead of this gateway's clock"
            f" ({format_timestamp(now)}); check both clocks (NTP) before trusting it",
            generated_at=conf.generated_at,
        )


def check_expiry(conf: GlobalConfiguration, now: datetime) -> None:
    """Raise :class:`ExpiredError` when ``expires_at <= now``."""
    if conf.is_expired(now):
        raise ExpiredError(
            f"global configuration {conf.instance} version {conf.version} expired at"
            f" {format_timestamp(conf.expires_at)} (now {format_timestamp(now)});"
            " gateways must not exchange messages until a fresh one is downloaded",
            expires_at=conf.expires_at,
        )


def _subject(certificate: x509.Certificate) -> str:
    return certificate.subject.rfc4514_string()
