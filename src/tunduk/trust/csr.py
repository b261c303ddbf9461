"""Certificate signing requests: the checks a CA applies before it issues.

A participant generates its keys on its own gateway (the private keys never leave it),
sends a PKCS#10 request, and :func:`validate_csr` decides whether the request may become
a certificate of the given :class:`~tunduk.trust.profiles.CertificateProfile`.

Subject convention (one for both profiles; close to X-Road's default EJBCA profiles)::

    C             instance code                     KG
    O             member class                      GOV
    serialNumber  member class "/" member code      GOV/70000001
    CN            AUTHENTICATION: gateway (server) code   gw1
                  SIGNING:        member code             70000001

So ``C/serialNumber`` is the member identifier and ``C/serialNumber/CN`` the gateway
identifier of an authentication certificate. Other attributes (OU, L, ...) may be
present in a request; each of the four above must appear exactly once. The issued
certificate's subject is built from the expected identity alone, so other attributes are
dropped. X.509 limits ``C`` to two characters, so the instance code must be two
characters (``KG``).

Exceptions::

    ValueError
     └── CsrError (field, message, code)
          ├── MalformedCsrError       code "malformed"
          ├── BadCsrSignatureError    code "bad_signature"
          ├── WeakKeyError            code "weak_key"
          └── SubjectMismatchError    code "subject_mismatch" (attribute, expected, found)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import NameOID

from tunduk.identifiers import MemberId, ServerId, check_part
from tunduk.trust.profiles import (
    ALLOWED_CURVES,
    MIN_RSA_BITS,
    CertificateProfile,
    CertificatePublicKey,
)

CsrKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey
"""Private keys :func:`make_csr` can sign a request with."""

CsrHash = hashes.SHA224 | hashes.SHA256 | hashes.SHA384 | hashes.SHA512
"""Hashes :func:`make_csr` can sign with (the CA accepts SHA-256 and up)."""

MAX_CSR_BYTES = 64 * 1024
"""The largest request accepted; real ones (RSA-4096 in PEM included) are under 4 KiB."""

# Hashes a CSR may be signed with; SHA-1 and MD5 collide and are refused.
_ACCEPTED_HASHES = ("sha256", "sha384", "sha512")

_SHORT_NAMES: dict[str, x509.ObjectIdentifier] = {
    "C": NameOID.COUNTRY_NAME,
    "O": NameOID.ORGANIZATION_NAME,
    "OU": NameOID.ORGANIZATIONAL_UNIT_NAME,
    "CN": NameOID.COMMON_NAME,
    "serialNumber": NameOID.SERIAL_NUMBER,
    "L": NameOID.LOCALITY_NAME,
    "ST": NameOID.STATE_OR_PROVINCE_NAME,
}


class CsrErrorCode(StrEnum):
    """Stable codes of :class:`CsrError` (for APIs and translations)."""

    MALFORMED = "malformed"
    BAD_SIGNATURE = "bad_signature"
    WEAK_KEY = "weak_key"
    SUBJECT_MISMATCH = "subject_mismatch"


class CsrError(ValueError):
    """A request the CA refuses; ``field`` says where, ``message`` what to do."""

    code: ClassVar[CsrErrorCode]

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class MalformedCsrError(CsrError):
    """The bytes are not a PEM or DER PKCS#10 request."""

    code = CsrErrorCode.MALFORMED


class BadCsrSignatureError(CsrError):
    """The request's self-signature does not verify or uses a broken hash."""

    code = CsrErrorCode.BAD_SIGNATURE


class WeakKeyError(CsrError):
    """The public key's algorithm, curve or size is not accepted for the profile."""

    code = CsrErrorCode.WEAK_KEY


class SubjectMismatchError(CsrError):
    """A subject attribute differs from the participant's X-Road identity."""

    code = CsrErrorCode.SUBJECT_MISMATCH

    def __init__(self, attribute: str, expected: str, found: str | None, why: str = "") -> None:
        shown = "nothing" if found is None else repr(found)
        message = (
            f"expected {attribute}={expected!r} but found {shown}{why}; "
            f"generate a new request whose subject has {attribute}={expected}"
        )
        super().__init__(f"subject.{attribute}", message)
        self.attribute = attribute
        self.expected = expected
        self.found = found


@dataclass(frozen=True)
class ExpectedSubject:
    """The X-Road identity a request must carry; ``server_code`` only for authentication."""

    instance: str
    member_class: str
    member_code: str
    server_code: str | None = None

    def __post_init__(self) -> None:
        check_part(self.instance, "instance")
        if len(self.instance) != 2:
            raise ValueError(
                f"instance {self.instance!r}: the subject's C attribute holds two characters"
            )
        check_part(self.member_class, "member class")
        check_part(self.member_code, "member code")
        if self.server_code is not None:
            check_part(self.server_code, "server code")

    @classmethod
    def for_member(cls, member: MemberId) -> ExpectedSubject:
        """The identity of a member's signing certificate."""
        return cls(member.instance, member.member_class, member.member_code)

    @classmethod
    def for_server(cls, server: ServerId) -> ExpectedSubject:
        """The identity of a gateway's authentication certificate."""
        member = server.member
        return cls(member.instance, member.member_class, member.member_code, server.server_code)

    def attributes(self, profile: CertificateProfile) -> dict[str, str]:
        """The subject attributes (short name to value) a ``profile`` certificate carries."""
        if profile is CertificateProfile.AUTHENTICATION:
            if self.server_code is None:
                raise ValueError("an authentication certificate needs the gateway's server_code")
            common = self.server_code
        else:
            common = self.member_code
        return {
            "C": self.instance,
            "O": self.member_class,
            "serialNumber": f"{self.member_class}/{self.member_code}",
            "CN": common,
        }


def subject_name(expected: ExpectedSubject, profile: CertificateProfile) -> x509.Name:
    """Return the conventional subject name for ``expected`` under ``profile``."""
    return build_name(expected.attributes(profile))


def build_name(attributes: Mapping[str, str]) -> x509.Name:
    """Build an X.509 name from short names (``C``, ``O``, ``OU``, ``CN``, ``serialNumber``...)."""
    try:
        return x509.Name(
            [x509.NameAttribute(_SHORT_NAMES[key], value) for key, value in attributes.items()]
        )
    except KeyError as error:
        raise ValueError(
            f"unknown attribute {error.args[0]!r}; use {sorted(_SHORT_NAMES)}"
        ) from None


def load_csr(data: bytes) -> x509.CertificateSigningRequest:
    """Parse a PEM or DER request, raising :class:`MalformedCsrError` if it is neither.

    Requests over :data:`MAX_CSR_BYTES` are refused unparsed: the bytes come from outside.
    """
    if len(data) > MAX_CSR_BYTES:
        raise MalformedCsrError(
            "csr",
            f"the request is larger than {MAX_CSR_BYTES} bytes; a PKCS#10 request is a few "
            "kilobytes, send only the file your gateway's key tool produced",
        )
    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            return x509.load_pem_x509_csr(data)
        return x509.load_der_x509_csr(data)
    except (ValueError, TypeError, UnsupportedAlgorithm) as error:
        raise MalformedCsrError(
            "csr",
            f"not a PKCS#10 certificate signing request in PEM or DER ({error}); "
            "send the file your gateway's key tool produced (it starts with "
            "'-----BEGIN CERTIFICATE REQUEST-----')",
        ) from None


def check_public_key(public_key: object, profile: CertificateProfile) -> CertificatePublicKey:
    """Return ``public_key`` if ``profile`` accepts it, else raise :class:`WeakKeyError`."""
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        if public_key.curve.name not in ALLOWED_CURVES:
            raise WeakKeyError(
                "public_key",
                f"the EC curve {public_key.curve.name} is not accepted; "
                "generate a P-256 (secp256r1), P-384 or P-521 key",
            )
        return public_key
    if isinstance(public_key, rsa.RSAPublicKey):
        if public_key.key_size < MIN_RSA_BITS:
            raise WeakKeyError(
                "public_key",
                f"the RSA key has {public_key.key_size} bits, the minimum is {MIN_RSA_BITS}; "
                f"generate an RSA key of at least {MIN_RSA_BITS} bits or an EC P-256 key",
            )
        return public_key
    if isinstance(public_key, ed25519.Ed25519PublicKey):
        if not profile.allows_ed25519():
            raise WeakKeyError(
                "public_key",
                "Ed25519 keys are not accepted for authentication (TLS) certificates, which "
                "many TLS stacks cannot use; generate an EC P-256 key",
            )
        return public_key
    raise WeakKeyError(
        "public_key",
        f"{type(public_key).__name__} keys are not accepted for a {profile.label}; "
        "generate an EC P-256 key",
    )


def check_signature(csr: x509.CertificateSigningRequest) -> None:
    """Raise :class:`BadCsrSignatureError` unless ``csr`` is validly self-signed."""
    try:
        algorithm = csr.signature_hash_algorithm
    except UnsupportedAlgorithm:
        algorithm = None
        name = "an unsupported algorithm"
    else:
        name = "none" if algorithm is None else algorithm.name
    is_ed25519 = isinstance(csr.public_key(), ed25519.Ed25519PublicKey)
    if not is_ed25519 and (algorithm is None or algorithm.name not in _ACCEPTED_HASHES):
        raise BadCsrSignatureError(
            "signature",
            f"the request is signed with {name}; sign it with SHA-256, SHA-384 or SHA-512",
        )
    if not csr.is_signature_valid:
        raise BadCsrSignatureError(
            "signature",
            "the request's signature does not match its content or key (it was altered "
            "after signing, or signed with another key); generate the request again",
        )


def check_subject(name: x509.Name, expected: ExpectedSubject, profile: CertificateProfile) -> None:
    """Raise :class:`SubjectMismatchError` naming the first attribute that differs."""
    for short, wanted in expected.attributes(profile).items():
        found = [str(attr.value) for attr in name.get_attributes_for_oid(_SHORT_NAMES[short])]
        if len(found) > 1:
            raise SubjectMismatchError(short, wanted, ", ".join(found), " (more than once)")
        value = found[0] if found else None
        if value != wanted:
            raise SubjectMismatchError(short, wanted, value)


def validate_csr(
    pem_or_der: bytes, *, profile: CertificateProfile, expected: ExpectedSubject
) -> x509.CertificateSigningRequest:
    """Parse and check a request for a ``profile`` certificate of ``expected``.

    Checks, in order: it parses (``malformed``), the key is acceptable for the profile
    (``weak_key``), its self-signature verifies with an accepted hash (``bad_signature``),
    and the subject carries ``expected`` (``subject_mismatch``). Extensions the request
    asks for are ignored: the profile decides what the certificate carries.
    """
    csr = load_csr(pem_or_der)
    try:
        public_key = csr.public_key()
    except (ValueError, UnsupportedAlgorithm) as error:
        raise WeakKeyError(
            "public_key", f"the key cannot be used ({error}); generate an EC P-256 key"
        ) from None
    check_public_key(public_key, profile)
    check_signature(csr)
    check_subject(csr.subject, expected, profile)
    return csr


def make_csr(
    key: CsrKey,
    subject: x509.Name | Mapping[str, str],
    *,
    algorithm: CsrHash | None = None,
    der: bool = False,
) -> bytes:
    """Build a signed request for ``key`` - for tests and demos; gateways make their own.

    ``subject`` is a name or a mapping of short names (``{"C": "KG", "CN": "gw1"}``).
    ``algorithm`` defaults to SHA-256 (ignored for Ed25519). Returns PEM unless ``der``.
    """
    name = subject if isinstance(subject, x509.Name) else build_name(subject)
    if isinstance(key, ed25519.Ed25519PrivateKey):
        algorithm = None
    elif algorithm is None:
        algorithm = hashes.SHA256()
    csr = x509.CertificateSigningRequestBuilder().subject_name(name).sign(key, algorithm)
    encoding = serialization.Encoding.DER if der else serialization.Encoding.PEM
    return csr.public_bytes(encoding)
