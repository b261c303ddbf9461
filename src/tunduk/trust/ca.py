"""A small certificate authority for development and tests.

Production uses the national CA; this one lets tests and demos issue real X.509
certificates: a self-signed root (:meth:`CertificateAuthority.create`) and leaf
certificates under it (:meth:`CertificateAuthority.issue`). Keys are ECDSA P-256 by
default; RSA is available for interoperability tests. The CA keeps the serials it
revoked (:attr:`CertificateAuthority.revocations`, see :mod:`tunduk.trust.revocation`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import NameOID

from tunduk.trust.keyfiles import write_private
from tunduk.trust.revocation import RevocationList, RevokedCertificate

PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
"""The private key types the development CA and TSA sign with."""

LeafPublicKey = ec.EllipticCurvePublicKey | rsa.RSAPublicKey | ed25519.Ed25519PublicKey
"""Public keys the CA certifies (Ed25519 only for signing certificates)."""

Clock = Callable[[], datetime]
"""A callable returning the current time as an aware UTC datetime."""

# Certificates start a little in the past so that small clock skew between the
# machine that issues and the one that verifies never makes a fresh certificate invalid.
_BACKDATE = timedelta(minutes=5)


class KeyType(StrEnum):
    """Key algorithms the development CA can generate."""

    EC_P256 = "ec-p256"
    EC_P384 = "ec-p384"
    RSA_3072 = "rsa-3072"


def utc_now() -> datetime:
    """Return the current time as an aware UTC datetime (the default clock)."""
    return datetime.now(UTC)


def generate_key(key_type: KeyType = KeyType.EC_P256) -> PrivateKey:
    """Generate a new private key of ``key_type``."""
    if key_type is KeyType.EC_P256:
        return ec.generate_private_key(ec.SECP256R1())
    if key_type is KeyType.EC_P384:
        return ec.generate_private_key(ec.SECP384R1())
    return rsa.generate_private_key(public_exponent=65537, key_size=3072)


def signing_hash(key: PrivateKey) -> hashes.SHA256 | hashes.SHA384:
    """Return the hash that matches the strength of ``key`` (SHA-384 for P-384)."""
    if isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.key_size >= 384:
        return hashes.SHA384()
    return hashes.SHA256()


def common_name(value: str) -> x509.Name:
    """Return an X.509 name consisting of a single common name."""
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, value)])


def key_to_pem(key: PrivateKey) -> bytes:
    """Serialise ``key`` as unencrypted PKCS#8 PEM (development keys only)."""
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def load_private_key(pem: bytes) -> PrivateKey:
    """Load an unencrypted PEM private key; only EC and RSA keys are accepted."""
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise ValueError(f"unsupported private key type {type(key).__name__}; use EC or RSA")
    return key


def certificate_to_pem(certificate: x509.Certificate) -> bytes:
    """Serialise ``certificate`` as PEM."""
    return certificate.public_bytes(serialization.Encoding.PEM)


@dataclass(frozen=True)
class CertificateAuthority:
    """A root CA: its self-signed certificate, its key, and the serials it revoked."""

    certificate: x509.Certificate
    key: PrivateKey
    revocations: RevocationList = field(default_factory=RevocationList, compare=False)

    @classmethod
    def create(
        cls,
        name: str = "Tunduk Development Root CA",
        *,
        key_type: KeyType = KeyType.EC_P256,
        validity: timedelta = timedelta(days=3650),
        clock: Clock = utc_now,
    ) -> CertificateAuthority:
        """Generate a key and a self-signed root certificate called ``name``."""
        key = generate_key(key_type)
        certificate = (
            _self_signed(name, key, ca=True, validity=validity, clock=clock)
            .add_extension(_ca_key_usage(), critical=True)
            .sign(key, signing_hash(key))
        )
        return cls(certificate=certificate, key=key)

    def issue(
        self,
        subject: x509.Name,
        public_key: LeafPublicKey,
        *,
        extensions: Sequence[tuple[x509.ExtensionType, bool]] = (),
        validity: timedelta = timedelta(days=1825),
        clock: Clock = utc_now,
        serial: int | None = None,
    ) -> x509.Certificate:
        """Issue an end-entity certificate for ``public_key`` with ``extensions``.

        ``extensions`` are ``(value, critical)`` pairs; basic constraints (not a CA) and
        the key identifiers are always added. ``serial`` defaults to a random one.
        """
        now = clock()
        issuer_ski = self.certificate.extensions.get_extension_for_class(
            x509.SubjectKeyIdentifier
        ).value
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(self.certificate.subject)
            .public_key(public_key)
            .serial_number(x509.random_serial_number() if serial is None else serial)
            .not_valid_before(now - _BACKDATE)
            .not_valid_after(min(now + validity, self.certificate.not_valid_after_utc))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(issuer_ski),
                False,
            )
        )
        for value, critical in extensions:
            builder = builder.add_extension(value, critical=critical)
        return builder.sign(self.key, signing_hash(self.key))

    def revoke(
        self,
        serial: int | x509.Certificate,
        reason: x509.ReasonFlags = x509.ReasonFlags.unspecified,
        when: datetime | None = None,
    ) -> RevokedCertificate:
        """Revoke a certificate (or serial) this CA issued; the next CRL lists it."""
        if isinstance(serial, x509.Certificate):
            if serial.issuer != self.certificate.subject:
                raise ValueError("the certificate was not issued by this CA")
            serial = serial.serial_number
        return self.revocations.revoke(serial, reason, when)

    @property
    def certificate_pem(self) -> bytes:
        """The root certificate as PEM, ready to hand to verifiers as a trust anchor."""
        return certificate_to_pem(self.certificate)

    def save(self, directory: Path, stem: str = "ca") -> None:
        """Write ``<stem>.pem``, ``<stem>-key.pem`` (owner-only) and, once something is
        revoked, ``<stem>-revoked.json`` into ``directory``.

        The key file must not exist yet (:func:`tunduk.trust.keyfiles.write_private`).
        """
        directory.mkdir(parents=True, exist_ok=True)
        # The key first: a certificate on disk means its key is there too.
        write_private(directory / f"{stem}-key.pem", key_to_pem(self.key))
        (directory / f"{stem}.pem").write_bytes(self.certificate_pem)
        if len(self.revocations):
            (directory / f"{stem}-revoked.json").write_text(self.revocations.to_json())

    @classmethod
    def load(cls, directory: Path, stem: str = "ca") -> CertificateAuthority:
        """Load a CA written by :meth:`save`."""
        certificate = x509.load_pem_x509_certificate((directory / f"{stem}.pem").read_bytes())
        key = load_private_key((directory / f"{stem}-key.pem").read_bytes())
        revoked = directory / f"{stem}-revoked.json"
        revocations = (
            RevocationList.from_json(revoked.read_text()) if revoked.exists() else RevocationList()
        )
        return cls(certificate=certificate, key=key, revocations=revocations)


def self_signed_leaf(
    name: str,
    key: PrivateKey,
    *,
    extensions: Sequence[tuple[x509.ExtensionType, bool]] = (),
    validity: timedelta = timedelta(days=3650),
    clock: Clock = utc_now,
) -> x509.Certificate:
    """A self-signed end-entity certificate for ``key`` (not a CA: it certifies nothing else).

    For a signer trusted by pinning its certificate, such as the global configuration's
    signer listed in the configuration anchor, so that no CA can issue a substitute.
    """
    builder = _self_signed(name, key, ca=False, validity=validity, clock=clock)
    for value, critical in extensions:
        builder = builder.add_extension(value, critical=critical)
    return builder.sign(key, signing_hash(key))


def _self_signed(
    name: str, key: PrivateKey, *, ca: bool, validity: timedelta, clock: Clock
) -> x509.CertificateBuilder:
    """The builder of a certificate that ``key`` signs for itself under ``name``."""
    now = clock()
    subject = common_name(name)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _BACKDATE)
        .not_valid_after(now + validity)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
    )


def issued_by(certificate: x509.Certificate, issuer: x509.Certificate) -> bool:
    """Whether ``issuer``'s key signed ``certificate`` under ``issuer``'s name."""
    try:
        certificate.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _ca_key_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=False,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=True,
        encipher_only=False,
        decipher_only=False,
    )
