"""Participant certificates: from a checked request to an issued, hashable, revocable cert.

The flow a participant follows (agreement §3.2.1): its gateway generates the keys and a
request; the CA checks it (:func:`validate_csr`) and issues (:func:`issue_from_csr`); the
participant gives both certificates to the operator, whose global configuration lists the
authentication certificate by :func:`certificate_hash`. Revocation lives in
:mod:`tunduk.trust.revocation`, request checks in :mod:`tunduk.trust.csr`, profiles in
:mod:`tunduk.trust.profiles`; this module is the one place to import them from.

No Django import.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import TypedDict

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID

from tunduk.trust.ca import CertificateAuthority
from tunduk.trust.csr import (
    BadCsrSignatureError,
    CsrError,
    CsrErrorCode,
    ExpectedSubject,
    MalformedCsrError,
    SubjectMismatchError,
    WeakKeyError,
    check_public_key,
    check_signature,
    make_csr,
    subject_name,
    validate_csr,
)
from tunduk.trust.profiles import (
    CertificateProfile,
    describe_key,
    guess_profile,
    profile_extensions,
)
from tunduk.trust.revocation import RevocationList, RevokedCertificate, build_crl, is_revoked

__all__ = [
    "BadCsrSignatureError",
    "CertificateProfile",
    "CertificateSummary",
    "CsrError",
    "CsrErrorCode",
    "ExpectedSubject",
    "MalformedCsrError",
    "RevocationList",
    "RevokedCertificate",
    "SubjectMismatchError",
    "WeakKeyError",
    "build_crl",
    "certificate_hash",
    "certificate_summary",
    "format_name",
    "guess_profile",
    "is_revoked",
    "issue_from_csr",
    "make_csr",
    "subject_name",
    "validate_csr",
]


class CertificateSummary(TypedDict):
    """What a UI shows about a certificate (all values JSON-ready)."""

    subject: str
    issuer: str
    serial: str
    not_before: str
    not_after: str
    sha256: str
    key_type: str
    key_size: int | None
    profile: str | None


def issue_from_csr(
    ca: CertificateAuthority,
    csr: x509.CertificateSigningRequest,
    *,
    profile: CertificateProfile,
    expected: ExpectedSubject,
    serial: int | None = None,
    valid_days: int = 730,
    now: datetime | None = None,
) -> x509.Certificate:
    """Issue a ``profile`` certificate of ``expected`` for a request that passed :func:`validate_csr`.

    The subject is built from ``expected`` (:func:`subject_name`), never copied from the
    request: whatever else the requester wrote there (another organisation's name, an
    extra OU or CN) does not reach the certificate. The extensions come from the profile
    (what the request asks for is ignored), the serial is random unless given. The key
    and self-signature are checked again so a wrong profile cannot slip through.
    """
    public_key = check_public_key(csr.public_key(), profile)
    check_signature(csr)
    moment = now or datetime.now(UTC)
    return ca.issue(
        subject_name(expected, profile),
        public_key,
        extensions=profile_extensions(profile, public_key),
        validity=timedelta(days=valid_days),
        clock=lambda: moment,
        serial=serial,
    )


def certificate_hash(certificate: x509.Certificate) -> str:
    """Lowercase hex SHA-256 of the DER encoding (how the global configuration lists it)."""
    der = certificate.public_bytes(serialization.Encoding.DER)
    return hashlib.sha256(der).hexdigest()


def certificate_summary(certificate: x509.Certificate) -> CertificateSummary:
    """Subject, issuer, serial, validity, hash, key and guessed profile, for UIs."""
    key_type, key_size = describe_key(certificate.public_key())
    profile = guess_profile(certificate)
    return CertificateSummary(
        subject=format_name(certificate.subject),
        issuer=format_name(certificate.issuer),
        serial=format(certificate.serial_number, "x"),
        not_before=certificate.not_valid_before_utc.isoformat(),
        not_after=certificate.not_valid_after_utc.isoformat(),
        sha256=certificate_hash(certificate),
        key_type=key_type,
        key_size=key_size,
        profile=None if profile is None else profile.value,
    )


def format_name(name: x509.Name) -> str:
    """RFC 4514 string of ``name``, spelling serialNumber out (not ``2.5.4.5``)."""
    return name.rfc4514_string({NameOID.SERIAL_NUMBER: "serialNumber"})
