"""The gateway's keys and certificates: created once, loaded at start, certificates installed.

In ``keys_dir`` (docs/gateway.md, "Keys and certificates")::

    auth.key      ECDSA P-256, TLS between gateways             0600
    auth.csr      its request: C, O, serialNumber, CN=server code
    auth.crt      the authentication certificate (install-certificate)
    sign.key      ECDSA P-256, message signatures               0600
    sign.csr      its request: C, O, serialNumber, CN=member code
    sign.crt      the signing certificate (install-certificate)
    journal.key   C2SP signed-note Ed25519 key of the journal's checkpoints   0600
    journal.vkey  its verifier key (public, for auditors)
    cosign.key    C2SP cosignature/v1 key: this gateway witnessing its peers  0600
    cosign.vkey   its verifier key (public)

Private keys are written through :func:`tunduk.trust.keyfiles.write_private` (owner-only
from the first byte, never over an existing file) and refused at load time when others
may read them. The journal's origin and the key names are :func:`journal_origin` and
:func:`witness_name` of the gateway's identifier.

Exceptions::

    ValueError
     └── KeyFileError (path, message)    a key or certificate file is missing, unreadable,
                                         too open, malformed or for another key/identity
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tunduk.identifiers import ServerId
from tunduk.journal import JournalError, Signer, generate_cosigner, generate_signer
from tunduk.journal._keys import ALG_COSIGNATURE_V1, ALG_ED25519
from tunduk.trust.csr import CsrError, ExpectedSubject, check_subject, make_csr, subject_name
from tunduk.trust.keyfiles import write_private
from tunduk.trust.profiles import CertificateProfile, guess_profile

from ._words import Word, WordedError

__all__ = [
    "AUTH_CERT",
    "AUTH_CSR",
    "AUTH_KEY",
    "COSIGN_KEY",
    "COSIGN_VKEY",
    "JOURNAL_KEY",
    "JOURNAL_VKEY",
    "MAX_CERTIFICATE_BYTES",
    "SIGN_CERT",
    "SIGN_CSR",
    "SIGN_KEY",
    "GatewayKeys",
    "KeyConfig",
    "KeyFileError",
    "init_keys",
    "install_certificate",
    "journal_origin",
    "load_keys",
    "witness_name",
]

AUTH_KEY, AUTH_CSR, AUTH_CERT = "auth.key", "auth.csr", "auth.crt"
SIGN_KEY, SIGN_CSR, SIGN_CERT = "sign.key", "sign.csr", "sign.crt"
JOURNAL_KEY, JOURNAL_VKEY = "journal.key", "journal.vkey"
COSIGN_KEY, COSIGN_VKEY = "cosign.key", "cosign.vkey"

MAX_CERTIFICATE_BYTES = 64 * 1024
"""The largest certificate file ``install-certificate`` reads (a chain is a few KiB)."""

_PRIVATE_FILES = (AUTH_KEY, SIGN_KEY, JOURNAL_KEY, COSIGN_KEY)
_INIT_FILES = (*_PRIVATE_FILES, AUTH_CSR, SIGN_CSR, JOURNAL_VKEY, COSIGN_VKEY)


class KeyConfig(Protocol):
    """What the key functions read from :class:`tunduk.gateway.config.GatewayConfig`."""

    @property
    def keys_dir(self) -> Path:
        """The directory holding the files listed in the module docstring."""
        ...

    @property
    def server(self) -> ServerId:
        """The gateway's identifier ``INSTANCE/CLASS/CODE/SERVERCODE``."""
        ...


class KeyFileError(WordedError):
    """A key or certificate file cannot be used; ``path`` names it, ``message`` says why."""

    def __init__(self, path: Path, rule: str, **fields: object) -> None:
        super().__init__(path, rule, **fields)
        self.path = path


@dataclass(frozen=True)
class GatewayKeys:
    """The keys a running gateway uses; certificates are ``None`` until installed."""

    auth_key: ec.EllipticCurvePrivateKey
    auth_cert: x509.Certificate | None
    sign_key: ec.EllipticCurvePrivateKey
    sign_cert: x509.Certificate | None
    journal_signer: Signer
    cosigner: Signer

    def require_certificates(self) -> tuple[x509.Certificate, x509.Certificate]:
        """``(auth_cert, sign_cert)``, or :class:`KeyFileError` naming the one missing."""
        if self.auth_cert is None:
            raise KeyFileError(
                Path(AUTH_CERT),
                "no authentication certificate is installed; send the request (.csr) to the"
                " Catalog and run `tunduk gateway install-certificate FILE` with the"
                " certificate it issues",
            )
        if self.sign_cert is None:
            raise KeyFileError(
                Path(SIGN_CERT),
                "no signing certificate is installed; send the request (.csr) to the Catalog"
                " and run `tunduk gateway install-certificate FILE` with the certificate it"
                " issues",
            )
        return self.auth_cert, self.sign_cert


def journal_origin(server: ServerId) -> str:
    """The journal's checkpoint origin and key name: ``KG/GOV/70000004/gw1``.

    Identifier parts may hold ``+``, which a note key name may not: it is written ``%2B``
    (``%`` itself never occurs in an identifier, so the name stays unambiguous).
    """
    return str(server).replace("+", "%2B")


def witness_name(server: ServerId) -> str:
    """The key name this gateway cosigns its peers' checkpoints under (``…/gw1/witness``)."""
    return f"{journal_origin(server)}/witness"


def init_keys(config: KeyConfig) -> list[Path]:
    """Create the four keys, the two requests and the verifier keys; return the paths.

    Refuses (:class:`KeyFileError`) before writing anything when any of these files
    exists already: a gateway's keys are made once, never overwritten.
    """
    directory = config.keys_dir
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    _refuse_existing(directory)
    server = config.server
    auth_key = ec.generate_private_key(ec.SECP256R1())
    sign_key = ec.generate_private_key(ec.SECP256R1())
    journal = generate_signer(journal_origin(server))
    cosigner = generate_cosigner(witness_name(server))
    auth_subject = subject_name(
        ExpectedSubject.for_server(server), CertificateProfile.AUTHENTICATION
    )
    sign_subject = subject_name(
        ExpectedSubject.for_member(server.member), CertificateProfile.SIGNING
    )
    files: list[tuple[str, bytes, bool]] = [
        (AUTH_KEY, _key_pem(auth_key), True),
        (SIGN_KEY, _key_pem(sign_key), True),
        (JOURNAL_KEY, (journal.to_key() + "\n").encode(), True),
        (COSIGN_KEY, (cosigner.to_key() + "\n").encode(), True),
        (AUTH_CSR, make_csr(auth_key, auth_subject), False),
        (SIGN_CSR, make_csr(sign_key, sign_subject), False),
        (JOURNAL_VKEY, (journal.verifier().to_key() + "\n").encode(), False),
        (COSIGN_VKEY, (cosigner.verifier().to_key() + "\n").encode(), False),
    ]
    written: list[Path] = []
    for name, data, private in files:
        path = directory / name
        if private:
            write_private(path, data)
        else:
            _write_new(path, data)
        written.append(path)
    return written


def _refuse_existing(directory: Path) -> None:
    for name in _INIT_FILES:
        path = directory / name
        if path.exists() or path.is_symlink():
            raise KeyFileError(
                path, "already exists; the gateway's keys are created once and never overwritten"
            )


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _write_new(path: Path, data: bytes) -> None:
    """Create a public file (0644), refusing anything already at ``path``."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def load_keys(config: KeyConfig) -> GatewayKeys:
    """Read the keys and whatever certificates are installed; :class:`KeyFileError` if unusable.

    Each certificate must carry the public key of its private key (a swapped or foreign
    file is refused, naming it).
    """
    directory = config.keys_dir
    auth_key = _load_ec_key(directory / AUTH_KEY)
    sign_key = _load_ec_key(directory / SIGN_KEY)
    journal = _load_note_key(
        directory / JOURNAL_KEY, ALG_ED25519, "is not a signed-note (Ed25519) key"
    )
    cosigner = _load_note_key(
        directory / COSIGN_KEY, ALG_COSIGNATURE_V1, "is not a cosignature/v1 key"
    )
    auth_cert = _load_installed(directory / AUTH_CERT, auth_key)
    sign_cert = _load_installed(directory / SIGN_CERT, sign_key)
    return GatewayKeys(auth_key, auth_cert, sign_key, sign_cert, journal, cosigner)


def _read_private(path: Path) -> bytes:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise KeyFileError(
            path, "is missing; run `tunduk gateway init` to create the gateway's keys"
        ) from None
    if mode & 0o077:
        raise KeyFileError(
            path, "is readable by others (mode %(mode)s); chmod 600 it", mode=f"{mode & 0o777:o}"
        )
    try:
        return path.read_bytes()
    except OSError as error:
        raise KeyFileError(path, "cannot be read: %(reason)s", reason=error.strerror) from None


def _load_ec_key(path: Path) -> ec.EllipticCurvePrivateKey:
    data = _read_private(path)
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as error:
        raise KeyFileError(
            path, "is not an unencrypted PEM private key (%(reason)s)", reason=error
        ) from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise KeyFileError(path, "is not an ECDSA P-256 key")
    return key


def _load_note_key(path: Path, alg: int, wrong_kind: str) -> Signer:
    data = _read_private(path)
    try:
        signer = Signer.from_key(data.decode("ascii"))
    except (JournalError, UnicodeDecodeError, ValueError) as error:
        raise KeyFileError(path, "is not a C2SP signer key (%(reason)s)", reason=error) from None
    if signer.alg != alg:
        raise KeyFileError(path, wrong_kind)
    return signer


def _load_installed(path: Path, key: ec.EllipticCurvePrivateKey) -> x509.Certificate | None:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise KeyFileError(path, "cannot be read: %(reason)s", reason=error.strerror) from None
    try:
        certificate = x509.load_pem_x509_certificate(data)
    except ValueError as error:
        raise KeyFileError(path, "is not a PEM certificate (%(reason)s)", reason=error) from None
    if not _same_key(certificate, key):
        raise KeyFileError(path, "holds a certificate for another key than the one beside it")
    return certificate


def _same_key(certificate: x509.Certificate, key: ec.EllipticCurvePrivateKey) -> bool:
    return certificate.public_key() == key.public_key()


def install_certificate(config: KeyConfig, pem: bytes, *, now: datetime | None = None) -> Path:
    """Install an issued certificate as ``auth.crt`` or ``sign.crt``; return the path.

    Which one is decided by the public key: it must be ``auth.key``'s or ``sign.key``'s.
    The certificate must follow the subject convention of its profile (docs/trust.md)
    for this gateway, carry that profile's key usages, and be valid now. A renewal for
    the same key replaces the old file atomically. ``pem`` may hold the issuer's
    certificates after the leaf; only the leaf is kept.
    """
    directory = config.keys_dir
    certificate = _parse_leaf(directory, pem)
    auth_key = _load_ec_key(directory / AUTH_KEY)
    sign_key = _load_ec_key(directory / SIGN_KEY)
    if _same_key(certificate, auth_key):
        profile, target = CertificateProfile.AUTHENTICATION, directory / AUTH_CERT
        expected = ExpectedSubject.for_server(config.server)
    elif _same_key(certificate, sign_key):
        profile, target = CertificateProfile.SIGNING, directory / SIGN_CERT
        expected = ExpectedSubject.for_member(config.server.member)
    else:
        raise KeyFileError(
            directory,
            "the certificate is for a key this gateway does not hold (neither auth.key nor"
            " sign.key); install the certificate issued for this gateway's own request",
        )
    _check_installable(target, certificate, profile, expected, now or datetime.now(UTC))
    _replace(target, certificate.public_bytes(serialization.Encoding.PEM))
    return target


def _parse_leaf(directory: Path, pem: bytes) -> x509.Certificate:
    where = directory / "<certificate>"
    if len(pem) > MAX_CERTIFICATE_BYTES:
        raise KeyFileError(where, "is larger than %(limit)s bytes", limit=MAX_CERTIFICATE_BYTES)
    try:
        if pem.lstrip().startswith(b"-----BEGIN"):
            return x509.load_pem_x509_certificates(pem)[0]
        return x509.load_der_x509_certificate(pem)
    except ValueError as error:
        raise KeyFileError(
            where, "is not an X.509 certificate in PEM or DER (%(reason)s)", reason=error
        ) from None


def _check_installable(
    target: Path,
    certificate: x509.Certificate,
    profile: CertificateProfile,
    expected: ExpectedSubject,
    now: datetime,
) -> None:
    try:
        check_subject(certificate.subject, expected, profile)
    except CsrError as error:
        raise KeyFileError(
            target,
            "the certificate's %(field)s is wrong: %(reason)s",
            field=error.field,
            reason=error.message,
        ) from None
    found = guess_profile(certificate)
    if found is None:
        raise KeyFileError(
            target,
            "the certificate has no participant profile, not the %(profile)s profile",
            profile=_profile_word(profile),
        )
    if found is not profile:
        raise KeyFileError(
            target,
            "the certificate has the %(found)s profile, not the %(profile)s profile",
            found=_profile_word(found),
            profile=_profile_word(profile),
        )
    if not certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc:
        raise KeyFileError(
            target,
            "the certificate is valid from %(start)s until %(end)s, not now",
            start=f"{certificate.not_valid_before_utc:%Y-%m-%d}",
            end=f"{certificate.not_valid_after_utc:%Y-%m-%d}",
        )


_PROFILE_WORDS = {
    CertificateProfile.AUTHENTICATION: Word("authentication certificate"),
    CertificateProfile.SIGNING: Word("signing certificate"),
}


def _profile_word(profile: CertificateProfile) -> Word:
    return _PROFILE_WORDS.get(profile) or Word(profile.label)


def _replace(target: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``target``, fsync, rename over it."""
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
