"""Certificates for the bare relay: a CA, a server certificate for 127.0.0.1, a client one."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from tunduk.trust import CertificateAuthority
from tunduk.trust.ca import certificate_to_pem, common_name, generate_key, key_to_pem


@dataclass(frozen=True)
class RelayFiles:
    """Where the relay's PEM files were written."""

    ca: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path


def _leaf(
    ca: CertificateAuthority, name: str, usage: x509.ObjectIdentifier, directory: Path
) -> tuple[Path, Path]:
    key = generate_key()
    extensions: list[tuple[x509.ExtensionType, bool]] = [
        (x509.ExtendedKeyUsage([usage]), False),
        (x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False),
    ]
    certificate = ca.issue(common_name(name), key.public_key(), extensions=extensions)
    cert_path, key_path = directory / f"{name}.pem", directory / f"{name}-key.pem"
    cert_path.write_bytes(certificate_to_pem(certificate))
    key_path.write_bytes(key_to_pem(key))
    return cert_path, key_path


def write_relay_certificates(directory: Path) -> RelayFiles:
    """Create a throwaway CA and the two hops' certificates in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    ca = CertificateAuthority.create("Bench relay CA")
    (directory / "ca.pem").write_bytes(ca.certificate_pem)
    server_cert, server_key = _leaf(ca, "server", ExtendedKeyUsageOID.SERVER_AUTH, directory)
    client_cert, client_key = _leaf(ca, "client", ExtendedKeyUsageOID.CLIENT_AUTH, directory)
    return RelayFiles(directory / "ca.pem", server_cert, server_key, client_cert, client_key)
