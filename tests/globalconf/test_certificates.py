"""A gateway checks certificates against its in-memory configuration: approved CA, revoked serials."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import timedelta

import pytest
from cryptography import x509

from tunduk.globalconf import (
    ConfigurationClient,
    ExpiredError,
    GlobalConfiguration,
    RevokedCertificateError,
    RevokedSerial,
    UntrustedCertificateError,
)
from tunduk.trust.ca import CertificateAuthority, common_name, generate_key

from .conftest import NOW, Clock, Signer
from .test_client import ConfigurationServer

MakeConf = Callable[..., GlobalConfiguration]


def _leaf(ca: CertificateAuthority, name: str) -> x509.Certificate:
    return ca.issue(common_name(name), generate_key().public_key(), clock=lambda: NOW)


def _serial(certificate: x509.Certificate) -> str:
    return format(certificate.serial_number, "x")


def _offline_client(
    server: ConfigurationServer,
    client: ConfigurationClient,
    signer: Signer,
    conf: GlobalConfiguration,
) -> ConfigurationClient:
    """A client that accepted ``conf`` and then lost central and its disk copy."""
    server.publish(signer.sign(conf))
    client.refresh()
    server.stop()
    shutil.rmtree(client.cache_dir)
    return client


def test_revoked_serial_is_revoked_and_others_are_valid_without_io(
    server: ConfigurationServer,
    client: ConfigurationClient,
    ca: CertificateAuthority,
    make_conf: MakeConf,
    signer: Signer,
) -> None:
    """Issue 7 (6): the check answers from memory; the revoked serial is refused, others pass."""
    revoked, valid = _leaf(ca, "gw1"), _leaf(ca, "gw2")
    listed = RevokedSerial(_serial(revoked), NOW - timedelta(minutes=1))
    offline = _offline_client(server, client, signer, make_conf(revoked=[listed]))
    assert offline.is_revoked(revoked)
    assert not offline.is_revoked(valid)
    with pytest.raises(RevokedCertificateError, match=f"serial {_serial(revoked)}") as refused:
        offline.check_certificate(revoked)
    assert refused.value.serial == revoked.serial_number
    assert refused.value.revoked_at == listed.revoked_at
    assert offline.check_certificate(valid).name == "Tunduk Test Root CA"


def test_signature_made_before_the_revocation_still_checks(
    server: ConfigurationServer,
    client: ConfigurationClient,
    ca: CertificateAuthority,
    make_conf: MakeConf,
    signer: Signer,
) -> None:
    """Issue 7 (6): at= asks about a past moment; a revocation counts from its revoked_at."""
    certificate = _leaf(ca, "gw1")
    revoked_at = NOW - timedelta(minutes=1)
    conf = make_conf(revoked=[RevokedSerial(_serial(certificate), revoked_at)])
    offline = _offline_client(server, client, signer, conf)
    assert not offline.is_revoked(certificate, at=revoked_at - timedelta(seconds=1))
    offline.check_certificate(certificate, at=revoked_at - timedelta(seconds=1))
    with pytest.raises(RevokedCertificateError):
        offline.check_certificate(certificate, at=revoked_at)


def test_certificate_from_a_look_alike_ca_is_untrusted(
    server: ConfigurationServer,
    client: ConfigurationClient,
    make_conf: MakeConf,
    signer: Signer,
) -> None:
    """Issue 7 (6): a CA with the approved CA's name but another key does not make a cert valid."""
    impostor = CertificateAuthority.create("Tunduk Test Root CA", clock=lambda: NOW)
    forged = _leaf(impostor, "gw1")
    offline = _offline_client(server, client, signer, make_conf())
    with pytest.raises(UntrustedCertificateError, match="no approved CA issued"):
        offline.check_certificate(forged)
    with pytest.raises(UntrustedCertificateError):
        offline.is_revoked(forged)


def test_certificate_outside_its_validity_is_untrusted(
    server: ConfigurationServer,
    client: ConfigurationClient,
    ca: CertificateAuthority,
    make_conf: MakeConf,
    signer: Signer,
) -> None:
    """Issue 7 (6): a certificate is checked at a moment it is valid, not before or after."""
    certificate = _leaf(ca, "gw1")
    offline = _offline_client(server, client, signer, make_conf())
    with pytest.raises(UntrustedCertificateError, match="not at 2025-06-01T09:30:00Z"):
        offline.check_certificate(certificate, at=NOW - timedelta(days=1))


def test_checks_fail_closed_once_the_configuration_expired(
    server: ConfigurationServer,
    client: ConfigurationClient,
    clock: Clock,
    ca: CertificateAuthority,
    make_conf: MakeConf,
    signer: Signer,
) -> None:
    """Issue 7 (6): with an expired configuration no certificate passes (revocations may be missed)."""
    certificate = _leaf(ca, "gw1")
    offline = _offline_client(server, client, signer, make_conf())
    clock.advance(timedelta(minutes=10))
    with pytest.raises(ExpiredError):
        offline.check_certificate(certificate)
    with pytest.raises(ExpiredError):
        offline.is_revoked(certificate)
