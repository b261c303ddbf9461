"""Certificates issued by an external (national) CA: the checks before the Catalog registers one.

Agreement §3.2.1 lets a participant obtain its certificates from a certification centre.
Besides the development CA issuing from a CSR, the Tunduk operator may approve an external
CA (:func:`check_authority`); a certificate it issued is then registered as it is
(:func:`check_issued_certificate`), and from then on behaves like one the development CA
issued: the global configuration lists the CA, gateways check the certificate against it.

Everything here reads bytes a participant or operator uploaded, so nothing is trusted:
the size is bounded (:data:`MAX_CERTIFICATE_BYTES`), only PEM or DER is parsed, and no URL
in the certificate (AIA, CRL distribution points) is ever fetched.

Exceptions::

    ValueError
     └── CertificateCheckError (code, message)   codes in CertificateCheckCode

No Django import.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import ExtendedKeyUsageOID

from tunduk.trust.csr import CsrError, ExpectedSubject, check_public_key, check_subject
from tunduk.trust.profiles import CertificateProfile, CertificatePublicKey

__all__ = [
    "MAX_CERTIFICATE_BYTES",
    "CertificateCheckCode",
    "CertificateCheckError",
    "check_authority",
    "check_issued_certificate",
    "load_certificate",
]

MAX_CERTIFICATE_BYTES = 16 * 1024
"""The largest certificate accepted (PEM or DER); real ones are a few kilobytes."""


class CertificateCheckCode(StrEnum):
    """Stable codes of :class:`CertificateCheckError` (for APIs, forms and translations)."""

    TOO_LARGE = "too_large"
    MALFORMED = "malformed"
    NOT_A_CA = "not_a_ca"
    UNAPPROVED_ISSUER = "unapproved_issuer"
    IS_CA = "is_ca"
    NOT_VALID_NOW = "not_valid_now"
    WEAK_KEY = "weak_key"
    WRONG_PROFILE = "wrong_profile"
    SUBJECT_MISMATCH = "subject_mismatch"
    KEY_MISMATCH = "key_mismatch"


class CertificateCheckError(ValueError):
    """A certificate that is refused; ``code`` says which rule, ``message`` what to do."""

    def __init__(self, code: CertificateCheckCode, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def load_certificate(data: bytes) -> x509.Certificate:
    """Parse one PEM or DER X.509 certificate of at most :data:`MAX_CERTIFICATE_BYTES`."""
    if len(data) > MAX_CERTIFICATE_BYTES:
        raise CertificateCheckError(
            CertificateCheckCode.TOO_LARGE,
            f"the file is larger than {MAX_CERTIFICATE_BYTES} bytes; send one certificate",
        )
    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except (ValueError, TypeError, UnsupportedAlgorithm, x509.InvalidVersion):
        raise CertificateCheckError(
            CertificateCheckCode.MALFORMED,
            "not an X.509 certificate in PEM or DER (a PEM file starts with "
            "'-----BEGIN CERTIFICATE-----')",
        ) from None


def _is_ca(certificate: x509.Certificate) -> bool:
    try:
        return certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        return False


def _check_validity(certificate: x509.Certificate, now: datetime, what: str) -> None:
    if not certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc:
        raise CertificateCheckError(
            CertificateCheckCode.NOT_VALID_NOW,
            f"the {what} is valid from {certificate.not_valid_before_utc:%Y-%m-%d %H:%M} "
            f"until {certificate.not_valid_after_utc:%Y-%m-%d %H:%M} UTC, not now",
        )


def check_authority(data: bytes, *, now: datetime) -> x509.Certificate:
    """Parse and check a CA certificate the operator approves: CA:TRUE, may sign
    certificates (keyCertSign), valid now."""
    certificate = load_certificate(data)
    if not _is_ca(certificate):
        raise CertificateCheckError(
            CertificateCheckCode.NOT_A_CA,
            "the certificate is not a CA certificate (its basic constraints lack CA:TRUE)",
        )
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        usage = None
    if usage is not None and not usage.key_cert_sign:
        raise CertificateCheckError(
            CertificateCheckCode.NOT_A_CA,
            "the CA certificate's key usage lacks keyCertSign: it cannot issue certificates",
        )
    _check_validity(certificate, now, "CA certificate")
    return certificate


def _issuer(certificate: x509.Certificate, authorities: Sequence[x509.Certificate]) -> int:
    """The index of the approved authority whose key signed ``certificate``."""
    for index, authority in enumerate(authorities):
        if authority.subject != certificate.issuer:
            continue
        try:
            certificate.verify_directly_issued_by(authority)
        except (ValueError, TypeError, InvalidSignature):
            continue
        return index
    raise CertificateCheckError(
        CertificateCheckCode.UNAPPROVED_ISSUER,
        f"no approved CA issued this certificate (issuer {certificate.issuer.rfc4514_string()}); "
        "ask the Tunduk operator to approve that CA, or use a certificate of an approved one",
    )


def _check_profile(certificate: x509.Certificate, profile: CertificateProfile) -> None:
    try:
        usage: x509.KeyUsage | None = certificate.extensions.get_extension_for_class(
            x509.KeyUsage
        ).value
    except x509.ExtensionNotFound:
        usage = None
    if usage is None or not usage.digital_signature:
        raise CertificateCheckError(
            CertificateCheckCode.WRONG_PROFILE,
            f"the key usage lacks digitalSignature, which a {profile.label} needs",
        )
    if profile is CertificateProfile.SIGNING:
        if not usage.content_commitment:
            raise CertificateCheckError(
                CertificateCheckCode.WRONG_PROFILE,
                "the key usage lacks nonRepudiation (contentCommitment): "
                "it is not a signing certificate",
            )
        return
    try:
        eku = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        eku = None
    wanted = (ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH)
    if eku is None or not all(purpose in eku for purpose in wanted):
        raise CertificateCheckError(
            CertificateCheckCode.WRONG_PROFILE,
            "the extended key usage lacks serverAuth and clientAuth, which mutual TLS between "
            "gateways needs: it is not an authentication certificate",
        )


def _key_bytes(key: CertificatePublicKey | object) -> bytes:
    assert hasattr(key, "public_bytes")
    return bytes(
        key.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )


def check_issued_certificate(
    data: bytes,
    *,
    authorities: Sequence[x509.Certificate],
    profile: CertificateProfile,
    expected: ExpectedSubject,
    now: datetime,
    request_key: object | None = None,
) -> tuple[x509.Certificate, int]:
    """Parse and check a ``profile`` certificate of ``expected`` issued by an approved CA.

    Checks, in order (the first failure is raised): size and encoding (``too_large``,
    ``malformed``); one of ``authorities`` signed it (``unapproved_issuer``); it is no CA
    (``is_ca``); valid now (``not_valid_now``); the key is accepted (``weak_key``); the key
    usages fit the profile (``wrong_profile``); the subject is the participant's or
    gateway's identity (``subject_mismatch``); and, when the participant registers it
    for a request it made, the key is the request's (``key_mismatch``). Returns the
    certificate and the index of its issuer in ``authorities``.
    """
    certificate = load_certificate(data)
    index = _issuer(certificate, authorities)
    if _is_ca(certificate):
        raise CertificateCheckError(
            CertificateCheckCode.IS_CA,
            "the certificate is a CA certificate (CA:TRUE); register the participant's own "
            "certificate, not its CA's",
        )
    _check_validity(certificate, now, "certificate")
    try:
        public_key = certificate.public_key()
        check_public_key(public_key, profile)
    except (ValueError, UnsupportedAlgorithm) as error:
        message = error.message if isinstance(error, CsrError) else str(error)
        raise CertificateCheckError(CertificateCheckCode.WEAK_KEY, message) from None
    _check_profile(certificate, profile)
    try:
        check_subject(certificate.subject, expected, profile)
    except CsrError as error:
        raise CertificateCheckError(CertificateCheckCode.SUBJECT_MISMATCH, error.message) from None
    if request_key is not None and _key_bytes(public_key) != _key_bytes(request_key):
        raise CertificateCheckError(
            CertificateCheckCode.KEY_MISMATCH,
            "the certificate's public key is not the key of the request it is registered for; "
            "register the certificate the CA issued for that request",
        )
    return certificate, index
