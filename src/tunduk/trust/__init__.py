"""Development and test trust services: a small CA and an RFC 3161 TSA.

In production the national CA and TSA play these roles and the project only talks to
them; these exist so tests and demos exercise real certificates and real tokens.

- :mod:`tunduk.trust.ca` - :class:`CertificateAuthority`, a self-signed root that
  issues leaf certificates.
- :mod:`tunduk.trust.certificates` - participant certificates: request checks
  (:func:`validate_csr`), the two profiles, issuing, hashes, revocation and CRLs.
- :mod:`tunduk.trust.tsa` - :class:`TimeStampAuthority` and :func:`serve_tsa`.
"""

from tunduk.trust.ca import CertificateAuthority, KeyType
from tunduk.trust.certificates import (
    CertificateProfile,
    CsrError,
    CsrErrorCode,
    ExpectedSubject,
    RevocationList,
    build_crl,
    certificate_hash,
    certificate_summary,
    is_revoked,
    issue_from_csr,
    validate_csr,
)
from tunduk.trust.tsa import TimeStampAuthority, TsaEku, serve_tsa

__all__ = [
    "CertificateAuthority",
    "CertificateProfile",
    "CsrError",
    "CsrErrorCode",
    "ExpectedSubject",
    "KeyType",
    "RevocationList",
    "TimeStampAuthority",
    "TsaEku",
    "build_crl",
    "certificate_hash",
    "certificate_summary",
    "is_revoked",
    "issue_from_csr",
    "serve_tsa",
    "validate_csr",
]
