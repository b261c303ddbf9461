"""The two certificate profiles of a Tunduk participant and the keys each accepts.

Every information-system owner holds two kinds of certificate (agreement §3.2.1):

- :attr:`CertificateProfile.AUTHENTICATION` - its gateway's ("security server's") TLS
  certificate, used for mutual TLS between gateways and listed by hash in the global
  configuration;
- :attr:`CertificateProfile.SIGNING` - the certificate that verifies the signatures its
  gateway puts on messages on behalf of the member.

No Django import: the gateway and the CLI use this module.
"""

from __future__ import annotations

from enum import StrEnum

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID

CertificatePublicKey = ec.EllipticCurvePublicKey | rsa.RSAPublicKey | ed25519.Ed25519PublicKey
"""The public key types a participant certificate may carry (the profile narrows it)."""

MIN_RSA_BITS = 3072
"""Smallest RSA modulus accepted (about 128-bit security, as for P-256)."""

ALLOWED_CURVES = frozenset({"secp256r1", "secp384r1", "secp521r1"})
"""EC curves accepted: NIST P-256, P-384 and P-521, which every TLS stack supports."""

CURVE_LABELS = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}


class CertificateProfile(StrEnum):
    """What a participant certificate is for; decides its key usages and accepted keys."""

    AUTHENTICATION = "authentication"
    SIGNING = "signing"

    @property
    def label(self) -> str:
        """A human label for messages ("authentication certificate")."""
        return f"{self.value} certificate"

    def allows_ed25519(self) -> bool:
        """Ed25519 keys are refused for TLS (gateways' TLS stacks handle them poorly)."""
        return self is CertificateProfile.SIGNING


def profile_extensions(
    profile: CertificateProfile, public_key: CertificatePublicKey
) -> list[tuple[x509.ExtensionType, bool]]:
    """Return the ``(extension, critical)`` pairs a ``profile`` certificate carries.

    Basic constraints (CA=false, critical) and the key identifiers are added by
    :meth:`tunduk.trust.ca.CertificateAuthority.issue` for every leaf.
    """
    if profile is CertificateProfile.AUTHENTICATION:
        # RSA key exchange (TLS 1.2 RSA kx) needs keyEncipherment; EC/Ed keys never do.
        usage = _key_usage(
            digital_signature=True, key_encipherment=isinstance(public_key, rsa.RSAPublicKey)
        )
        eku = x509.ExtendedKeyUsage(
            [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
        )
        return [(usage, True), (eku, False)]
    return [(_key_usage(digital_signature=True, content_commitment=True), True)]


def guess_profile(certificate: x509.Certificate) -> CertificateProfile | None:
    """Guess the profile of ``certificate`` from its extensions; ``None`` for CAs and others."""
    extensions = certificate.extensions
    try:
        if extensions.get_extension_for_class(x509.BasicConstraints).value.ca:
            return None
    except x509.ExtensionNotFound:
        pass
    try:
        eku = extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        if ExtendedKeyUsageOID.SERVER_AUTH in eku or ExtendedKeyUsageOID.CLIENT_AUTH in eku:
            return CertificateProfile.AUTHENTICATION
    except x509.ExtensionNotFound:
        pass
    try:
        if extensions.get_extension_for_class(x509.KeyUsage).value.content_commitment:
            return CertificateProfile.SIGNING
    except x509.ExtensionNotFound:
        pass
    return None


def describe_key(public_key: object) -> tuple[str, int | None]:
    """Return ``(type, size in bits)`` for a public key, e.g. ``("EC P-256", 256)``."""
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        name = public_key.curve.name
        return f"EC {CURVE_LABELS.get(name, name)}", public_key.curve.key_size
    if isinstance(public_key, rsa.RSAPublicKey):
        return "RSA", public_key.key_size
    if isinstance(public_key, ed25519.Ed25519PublicKey):
        return "Ed25519", 256
    return type(public_key).__name__.removesuffix("PublicKey") or "unknown", None


def _key_usage(
    *,
    digital_signature: bool = False,
    content_commitment: bool = False,
    key_encipherment: bool = False,
) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=digital_signature,
        content_commitment=content_commitment,
        key_encipherment=key_encipherment,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
