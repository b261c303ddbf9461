"""The certification authority the Catalog issues participants' certificates with.

In development and tests this is ``tunduk.trust``'s CA, kept under the data directory.
In production the operator points ``TUNDUK_CA_STATE_DIR`` at the issuing CA's key and
certificate (or issues at the national CA and records the result).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings

from tunduk.trust import CertificateAuthority, certificate_hash, issue_from_csr
from tunduk.trust.csr import ExpectedSubject
from tunduk.trust.profiles import CertificateProfile

CA_NAME = "Tunduk development CA"


@dataclass(frozen=True)
class IssuedCertificate:
    """What the Catalog stores about an issued certificate."""

    pem: str
    serial_hex: str
    sha256: str
    not_after: datetime


@cache
def central_ca() -> CertificateAuthority:
    """The issuing CA, created on first use when none exists yet."""
    directory = Path(settings.TUNDUK_CA_STATE_DIR)
    if (directory / "ca.pem").exists():
        return CertificateAuthority.load(directory)
    authority = CertificateAuthority.create(CA_NAME)
    authority.save(directory)
    return authority


def issue_certificate_from_csr(
    ca: CertificateAuthority,
    csr: x509.CertificateSigningRequest,
    profile: CertificateProfile,
    expected: ExpectedSubject,
) -> IssuedCertificate:
    """Issue and describe a certificate of ``expected`` for a validated request."""
    certificate = issue_from_csr(ca, csr, profile=profile, expected=expected)
    return IssuedCertificate(
        pem=certificate.public_bytes(serialization.Encoding.PEM).decode(),
        serial_hex=format(certificate.serial_number, "x"),
        sha256=certificate_hash(certificate),
        not_after=certificate.not_valid_after_utc,
    )
