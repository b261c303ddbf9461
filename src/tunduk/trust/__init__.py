"""Development and test trust services: a small CA and an RFC 3161 TSA.

In production the national CA and TSA play these roles and the project only talks to
them; these exist so tests and demos exercise real certificates and real tokens.

- :mod:`tunduk.trust.ca` - :class:`CertificateAuthority`, a self-signed root that
  issues leaf certificates.
- :mod:`tunduk.trust.tsa` - :class:`TimeStampAuthority` and :func:`serve_tsa`.
"""

from tunduk.trust.ca import CertificateAuthority, KeyType
from tunduk.trust.tsa import TimeStampAuthority, TsaEku, serve_tsa

__all__ = ["CertificateAuthority", "KeyType", "TimeStampAuthority", "TsaEku", "serve_tsa"]
