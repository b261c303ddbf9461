"""The signed, versioned, expiring global configuration that central publishes and gateways poll.

No Django import: central's generator and the gateway's poller both use it.

Pieces:

- the document: :class:`GlobalConfiguration` with :class:`Member`, :class:`Subsystem`,
  :class:`Gateway`, :class:`ApprovedCa` (with its :class:`RevokedSerial` list),
  :class:`ApprovedTsa`, :class:`GlobalGroup`, :class:`Grant` (frozen dataclasses;
  identifiers are X-Road strings);
- canonical bytes: :func:`encode`, :func:`decode` (format :data:`FORMAT`);
- central: :func:`build`, :func:`next_version`, :func:`sign`;
- gateway: :class:`ConfigurationAnchor`, :func:`verify`, :class:`ConfigurationClient`
  (``current()``, ``check_certificate()``, ``is_revoked()``: no I/O);
- the wire form: :class:`SignedConfiguration` (``to_bytes`` / ``from_bytes``).

See ``docs/global-configuration.md`` for the format, the wire form and the intervals.

Exceptions::

    GlobalConfigurationError        base of everything raised here
    ├── ConfigurationFormatError    document, envelope or anchor malformed; .path names the field
    ├── SignatureError              signature does not verify, signer not in the anchor,
    │                               signer certificate not valid at now, or issued by
    │                               a CA the configuration approves for participants
    ├── CertificateError            a peer's certificate fails the check against the configuration
    │   ├── UntrustedCertificateError   no approved CA issued it, or not valid at that time
    │   └── RevokedCertificateError     its CA revoked it (.serial, .revoked_at)
    ├── ExpiredError                expires_at <= now (.expires_at); gateways refuse to exchange
    ├── FutureConfigurationError    generated_at later than now + the allowed clock skew
    ├── InstanceMismatchError       document is for another instance than the anchor
    ├── VersionRollbackError        version lower than the last accepted one (or same, other content)
    ├── MissingConfigurationError   client has never accepted a valid configuration
    ├── DownloadError               network failure, HTTP status other than 200, too large
    └── CacheError                  the last good copy could not be written to disk
"""

from ._build import (
    DEFAULT_VALIDITY,
    GENERATION_INTERVAL,
    MAX_CLOCK_SKEW,
    POLL_INTERVAL,
    build,
    next_version,
)
from ._client import CACHE_FILE, ConfigurationClient
from ._codec import decode, encode
from ._errors import (
    CacheError,
    CertificateError,
    ConfigurationFormatError,
    DownloadError,
    ExpiredError,
    FutureConfigurationError,
    GlobalConfigurationError,
    InstanceMismatchError,
    MissingConfigurationError,
    RevokedCertificateError,
    SignatureError,
    UntrustedCertificateError,
    VersionRollbackError,
)
from ._model import (
    FORMAT,
    READABLE_FORMATS,
    ApprovedCa,
    ApprovedTsa,
    Gateway,
    GlobalConfiguration,
    GlobalGroup,
    Grant,
    HttpMethod,
    Member,
    MemberStatus,
    RevokedSerial,
    Subsystem,
)
from ._signing import (
    MEDIA_TYPE,
    ConfigurationAnchor,
    SignedConfiguration,
    SigningKey,
    sign,
    verify,
)

__all__ = [
    "CACHE_FILE",
    "DEFAULT_VALIDITY",
    "FORMAT",
    "GENERATION_INTERVAL",
    "MAX_CLOCK_SKEW",
    "MEDIA_TYPE",
    "POLL_INTERVAL",
    "READABLE_FORMATS",
    "ApprovedCa",
    "ApprovedTsa",
    "CacheError",
    "CertificateError",
    "ConfigurationAnchor",
    "ConfigurationClient",
    "ConfigurationFormatError",
    "DownloadError",
    "ExpiredError",
    "FutureConfigurationError",
    "Gateway",
    "GlobalConfiguration",
    "GlobalConfigurationError",
    "GlobalGroup",
    "Grant",
    "HttpMethod",
    "InstanceMismatchError",
    "Member",
    "MemberStatus",
    "MissingConfigurationError",
    "RevokedCertificateError",
    "RevokedSerial",
    "SignatureError",
    "SignedConfiguration",
    "SigningKey",
    "Subsystem",
    "UntrustedCertificateError",
    "VersionRollbackError",
    "build",
    "decode",
    "encode",
    "next_version",
    "sign",
    "verify",
]
