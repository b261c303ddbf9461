"""``tunduk exchange_prepare``: gateways for the demo through the Catalog's real services."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography import x509
from django.core.management import call_command
from django.test import override_settings

from tunduk import globalconf as gc
from tunduk.accounts.choices import Role
from tunduk.accounts.models import User
from tunduk.catalog.choices import CertificateProfile, CertificateStatus, ParticipantStatus
from tunduk.catalog.configuration import anchor, current_content, latest_signed
from tunduk.catalog.models import Certificate, Participant
from tunduk.catalog.services.gateways import change_gateway_address
from tunduk.core.errors import InvalidInput, NotPermitted
from tunduk.gateway.config import load_config
from tunduk.gateway.keys import load_keys
from tunduk.site.exchange.prepare import prepare_exchange
from tunduk.trust import TimeStampAuthority
from tunduk.trust.certificates import certificate_hash

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    """The demo data ``make exchange`` starts from."""
    call_command("load_demo", verbosity=0)


def _document() -> gc.GlobalConfiguration:
    signed = latest_signed()
    assert signed is not None
    return gc.decode(signed.document)


def _sha256(path: Path) -> str:
    return certificate_hash(x509.load_pem_x509_certificate(path.read_bytes()))


def test_every_active_participant_gets_a_certified_gateway(demo: None, tmp_path: Path) -> None:
    """003 §3.2.1: each gateway's keys are its own; the Catalog issues both certificates."""
    plan = prepare_exchange(tmp_path, fixed_ports=False)
    active = set(
        Participant.objects.filter(status=ParticipantStatus.ACTIVE).values_list(
            "member_code", flat=True
        )
    )
    assert {g.member_code for g in plan.gateways} == active
    assert not (tmp_path / "70000005").exists()  # the suspended city hall
    listed = {(g.member_code, g.address): g.auth_cert_sha256 for g in _document().gateways}
    for gateway in plan.gateways:
        config = load_config(gateway.config)
        keys = load_keys(config)
        assert keys.auth_cert is not None and keys.sign_cert is not None
        address = f"127.0.0.1:{gateway.server_port}"
        assert config.server_listen == address
        assert listed[(gateway.member_code, address)] == [_sha256(config.keys_dir / "auth.crt")]
        assert Certificate.objects.filter(
            sha256=_sha256(config.keys_dir / "sign.crt"),
            profile=CertificateProfile.SIGNING,
            status=CertificateStatus.ISSUED,
        ).exists()
    assert (tmp_path / "anchor.json").read_bytes() == anchor().to_bytes()


def test_the_demos_private_keys_are_owner_only(demo: None, tmp_path: Path) -> None:
    """Attacker on the same machine: no gateway key or directory is readable by others."""
    plan = prepare_exchange(tmp_path, fixed_ports=False)
    for gateway in plan.gateways:
        assert gateway.config.parent.stat().st_mode & 0o077 == 0
        keys = load_config(gateway.config).keys_dir
        for name in ("auth.key", "sign.key", "journal.key", "cosign.key"):
            assert (keys / name).stat().st_mode & 0o077 == 0, name


def test_the_services_map_to_the_demo_backends(demo: None, tmp_path: Path) -> None:
    """Issue 9 item 6: /r1/…/population/person-by-pin/PIN reaches the backend's /person-by-pin/PIN."""
    plan = prepare_exchange(tmp_path, fixed_ports=False)
    population = load_config(next(g.config for g in plan.gateways if g.member_code == "70000001"))
    service = population.service("population", "person-by-pin")
    assert service is not None and service.openapi is not None
    backend = next(b for b in plan.backends if b.name == "KG/GOV/70000001/population")
    assert service.url == f"http://127.0.0.1:{backend.port}/person-by-pin"
    document = json.loads(service.openapi.read_text())
    assert "/person-by-pin/{id}" in document["paths"]
    manifest = json.loads((tmp_path / "exchange.json").read_text())
    assert {g["code"] for g in manifest["gateways"]} == {g.member_code for g in plan.gateways}


def test_a_second_run_keeps_the_certified_gateways(demo: None, tmp_path: Path) -> None:
    """Re-running make exchange neither re-issues certificates nor changes the printed ports."""
    first = prepare_exchange(tmp_path, fixed_ports=False)
    issued = Certificate.objects.filter(status=CertificateStatus.ISSUED).count()
    second = prepare_exchange(tmp_path, fixed_ports=False)
    assert Certificate.objects.filter(status=CertificateStatus.ISSUED).count() == issued
    assert [(g.client_port, g.server_port) for g in first.gateways] == [
        (g.client_port, g.server_port) for g in second.gateways
    ]


def test_the_demos_placeholder_certificates_are_revoked(demo: None, tmp_path: Path) -> None:
    """003 §3.2.1: a key nobody holds any more is not left valid (revoked as superseded)."""
    placeholders = list(
        Certificate.objects.filter(
            profile=CertificateProfile.AUTHENTICATION, status=CertificateStatus.ISSUED
        ).values_list("pk", flat=True)
    )
    prepare_exchange(tmp_path, fixed_ports=False)
    revoked = Certificate.objects.filter(pk__in=placeholders, status=CertificateStatus.REVOKED)
    # Every placeholder of an active participant (the suspended one keeps its own).
    assert revoked.count() == len(placeholders) - 1
    serials = {r.serial for ca in _document().approved_cas for r in ca.revoked}
    assert {c.serial_number for c in revoked} <= serials


def test_only_the_participants_own_staff_move_its_gateway(demo: None) -> None:
    """Attacker: another participant's employee cannot redirect a gateway's address."""
    fund = Participant.objects.get(member_code="70000004")
    population = Participant.objects.get(member_code="70000001")
    gateway = population.gateways.get()
    outsider = User.objects.filter(subject=fund.subject, role=Role.SUBJECT_EMPLOYEE).first()
    assert outsider is not None
    with pytest.raises(NotPermitted):
        change_gateway_address(outsider, gateway, "127.0.0.1:6666")
    owner = User.objects.filter(subject=population.subject, role=Role.SUBJECT_EMPLOYEE).first()
    assert owner is not None
    with pytest.raises(InvalidInput):
        change_gateway_address(owner, gateway, "evil.example  127.0.0.1")
    gateway.refresh_from_db()
    assert gateway.address != "127.0.0.1:6666"


def test_the_configuration_lists_the_configured_tsa(tmp_path: Path) -> None:
    """Issue 9 item 4: checkpoints are time-stamped by a TSA the configuration approves."""
    authority = TimeStampAuthority.load_or_create(tmp_path / "tsa")
    root = tmp_path / "tsa" / "root.pem"
    assert root.read_bytes() == authority.root_pem
    with override_settings(TUNDUK_TSA_URL="http://127.0.0.1:8318/", TUNDUK_TSA_ROOTS=[str(root)]):
        tsas = current_content().approved_tsas
    assert [(t.url, t.certificate_pem.encode()) for t in tsas] == [
        ("http://127.0.0.1:8318/", authority.root_pem)
    ]
    with override_settings(TUNDUK_TSA_URL=""):
        assert current_content().approved_tsas == []
