"""The Catalog's trust material: the CA issuing participants' certificates, and the signer
of the global configuration.

The two never share a key or an issuer. The configuration signer's certificate is
self-signed and trusted only because the configuration anchor lists it (as in X-Road), so
nothing the participants' CA issues can sign a configuration gateways would accept.

In development and tests both are created under the data directory on first use. Outside
development they must exist before start-up: ``tunduk trust init`` creates them, or the
operator points ``TUNDUK_CA_STATE_DIR`` and ``TUNDUK_GLOBALCONF_KEY_DIR`` at existing keys;
a missing file stops the server (see :mod:`tunduk.catalog.checks`), naming the file.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from tunduk.trust import CertificateAuthority, certificate_hash, issue_from_csr
from tunduk.trust.ca import (
    certificate_to_pem,
    issued_by,
    key_to_pem,
    load_private_key,
    self_signed_leaf,
)
from tunduk.trust.csr import ExpectedSubject
from tunduk.trust.keyfiles import missing_key_message, write_private
from tunduk.trust.profiles import CertificateProfile, profile_extensions

logger = logging.getLogger(__name__)
CA_NAME = "Tunduk participant CA"
CENTRAL_CA_NAME = "Tunduk CA"
"""The participants' CA's name in the global configuration (an external CA may not take it)."""
SIGNER_NAME = "Tunduk global configuration signer"
SIGNER_VALIDITY = timedelta(days=3650)


@dataclass(frozen=True)
class IssuedCertificate:
    """What the Catalog stores about an issued certificate."""

    pem: str
    serial_hex: str
    sha256: str
    not_after: datetime


@dataclass(frozen=True)
class KeyPair:
    """Where one key and its certificate live, and the setting that places them."""

    certificate: Path
    key: Path
    setting: str

    def missing(self) -> list[Path]:
        """The files of the pair that do not exist."""
        return [path for path in (self.key, self.certificate) if not path.exists()]


def ca_files() -> KeyPair:
    """The participants' CA: ``ca.pem`` and ``ca-key.pem`` under ``TUNDUK_CA_STATE_DIR``."""
    directory = Path(settings.TUNDUK_CA_STATE_DIR)
    return KeyPair(directory / "ca.pem", directory / "ca-key.pem", "TUNDUK_CA_STATE_DIR")


def signer_files() -> KeyPair:
    """The configuration signer: ``signer.pem``, ``signer-key.pem`` (``TUNDUK_GLOBALCONF_KEY_DIR``)."""
    directory = Path(settings.TUNDUK_GLOBALCONF_KEY_DIR)
    return KeyPair(
        directory / "signer.pem", directory / "signer-key.pem", "TUNDUK_GLOBALCONF_KEY_DIR"
    )


def _require_development(files: KeyPair) -> None:
    """Outside development keys are never made on the fly: name the first missing file."""
    if not settings.TUNDUK_DEVELOPMENT_TRUST:
        alternative = f"point {files.setting} at the operator's existing keys"
        raise ImproperlyConfigured(missing_key_message(files.missing()[0], alternative))


@cache
def central_ca() -> CertificateAuthority:
    """The CA issuing participants' certificates (created on first use in development)."""
    files = ca_files()
    if not files.missing():
        return CertificateAuthority.load(files.certificate.parent)
    _require_development(files)
    return create_central_ca()


def create_central_ca() -> CertificateAuthority:
    """Create and save a new participants' CA; an existing key file is never replaced."""
    authority = CertificateAuthority.create(CA_NAME)
    authority.save(ca_files().certificate.parent)
    return authority


@cache
def configuration_signer() -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """The configuration-signing key and its self-signed certificate."""
    files = signer_files()
    if not files.missing():
        key = load_private_key(files.key.read_bytes())
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        certificate = x509.load_pem_x509_certificate(files.certificate.read_bytes())
        if not (settings.TUNDUK_DEVELOPMENT_TRUST and signer_shares_ca(certificate)):
            return key, certificate
        # A development signer from before the signer had its own anchor: replace it.
        logger.warning("replacing the development configuration signer issued by the CA")
        files.key.unlink()
        files.certificate.unlink()
    _require_development(files)
    return create_configuration_signer()


def create_configuration_signer() -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """Create and save a new self-signed configuration signer (never over an existing key)."""
    files = signer_files()
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = self_signed_leaf(
        f"{SIGNER_NAME} {settings.TUNDUK_INSTANCE}",
        key,
        extensions=profile_extensions(CertificateProfile.SIGNING, key.public_key()),
        validity=SIGNER_VALIDITY,
    )
    files.key.parent.mkdir(parents=True, exist_ok=True)
    # The key first: a certificate on disk means its key is there too.
    write_private(files.key, key_to_pem(key))
    files.certificate.write_bytes(certificate_to_pem(certificate))
    return key, certificate


def signer_shares_ca(certificate: x509.Certificate) -> bool:
    """Whether the participants' CA (if present) issued ``certificate``."""
    files = ca_files()
    if files.missing():
        return False
    return issued_by(certificate, x509.load_pem_x509_certificate(files.certificate.read_bytes()))


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
