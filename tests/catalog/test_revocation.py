"""Issue 7 (6): a revocation reaches gateways through central's CRL and the global configuration."""

from __future__ import annotations

import urllib.request
from datetime import timedelta

import pytest
from cryptography import x509
from django.urls import reverse
from django.utils import timezone

from tests.catalog.pages import signed_in
from tests.conftest import ApiClient
from tests.factories import csr_for
from tunduk import globalconf as gc
from tunduk.accounts.tokens import ApiToken
from tunduk.catalog.choices import CertificateProfile, CertificateStatus, RevocationReason
from tunduk.catalog.models import Certificate, CertificateRevocationList
from tunduk.catalog.prior_notice import PRIOR_NOTICE
from tunduk.catalog.revocation import publish_crl, revoked_serials
from tunduk.catalog.services import gateways, participants
from tunduk.catalog.trust import central_ca
from tunduk.core.errors import InvalidInput, NotPermitted
from tunduk.core.models import AuditEvent
from tunduk.journaling.entries import decode_entry
from tunduk.journaling.log import registry_log

pytestmark = pytest.mark.django_db(transaction=True)


def _approved_gateway(participant, engineer, tunduk_operator, code: str = "gw1") -> Certificate:
    """Register and approve a gateway; return its issued authentication certificate."""
    gateway = gateways.register_gateway(
        engineer,
        participant,
        code,
        f"{code}.example.kg:5500",
        csr_for(participant, server_code=code),
    )
    gateways.decide_gateway(tunduk_operator, gateway, approve=True)
    return gateway.certificates.get()


def _x509(certificate: Certificate) -> x509.Certificate:
    return x509.load_pem_x509_certificate(certificate.certificate_pem.encode())


def _fetch(url: str) -> bytes:
    with urllib.request.urlopen(url) as response:
        assert response.headers["Content-Type"] in ("application/pkix-crl", "application/json")
        return response.read()


def test_revoked_auth_certificate_is_in_the_crl_and_the_configuration(
    live_server, tmp_path, settings, provider, consumer, tunduk_operator
):
    """Issue 7 (6): revoked → central's signed CRL lists the serial, the next configuration too."""
    settings.SITE_URL = live_server.url
    participant, engineer, _ = provider
    revoked = _approved_gateway(participant, engineer, tunduk_operator)
    other = _approved_gateway(consumer[0], consumer[1], tunduk_operator, "gw2")
    gateways.revoke_certificate(
        engineer, revoked, "Disk stolen", code=RevocationReason.KEY_COMPROMISE
    )

    anchor = gc.ConfigurationAnchor.from_bytes(_fetch(f"{live_server.url}/globalconf/anchor.json"))
    client = gc.ConfigurationClient(f"{live_server.url}/globalconf/configuration", anchor, tmp_path)
    conf = client.refresh()
    (ca_entry,) = conf.approved_cas
    assert ca_entry.crl_url == f"{live_server.url}/globalconf/ca.crl"
    assert [r.serial for r in ca_entry.revoked] == [revoked.serial_number]

    crl = x509.load_der_x509_crl(_fetch(ca_entry.crl_url))
    issuer = central_ca().certificate
    assert crl.is_signature_valid(issuer.public_key())
    assert crl.issuer == issuer.subject
    entry = crl.get_revoked_certificate_by_serial_number(int(revoked.serial_number, 16))
    assert entry is not None
    assert entry.extensions.get_extension_for_class(x509.CRLReason).value.reason == (
        x509.ReasonFlags.key_compromise
    )
    assert crl.get_revoked_certificate_by_serial_number(int(other.serial_number, 16)) is None
    assert crl.next_update_utc is not None and crl.next_update_utc > timezone.now()
    assert crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number >= 1

    assert client.is_revoked(_x509(revoked))
    with pytest.raises(gc.RevokedCertificateError):
        client.check_certificate(_x509(revoked))
    assert client.check_certificate(_x509(other)).name == ca_entry.name


def test_participant_cannot_revoke_another_participants_certificate(
    provider, consumer, tunduk_operator
):
    """Issue 7 (6, 7): another participant's engineer cannot revoke; API and page answer 404 (unreadable)."""
    participant, engineer, _ = provider
    certificate = _approved_gateway(participant, engineer, tunduk_operator)
    attacker = consumer[1]
    with pytest.raises(NotPermitted):
        gateways.revoke_certificate(attacker, certificate, "Sabotage")
    api = _api_as(attacker).post(f"/catalog/certificates/{certificate.pk}/revoke", {"reason": "x"})
    assert api.status_code == 404
    page = signed_in(attacker).post(
        reverse("catalog:certificate-detail", args=[certificate.pk]),
        {"action": "revoke", "reason": "x"},
    )
    assert page.status_code == 404
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ISSUED
    assert AuditEvent.objects.filter(name="security:permission:denied").count() >= 1


def _journal_events() -> list[str]:
    log = registry_log()
    return [decode_entry(log.entry(index))["event"] for index in range(log.size())]


def _crl_entry(certificate: Certificate) -> x509.RevokedCertificate | None:
    """The newest stored CRL's entry for ``certificate``, if it lists it."""
    latest = CertificateRevocationList.objects.order_by("-number").first()
    crl = x509.load_der_x509_crl(bytes(latest.der))
    return crl.get_revoked_certificate_by_serial_number(int(certificate.serial_number, 16))


def test_owner_revokes_its_signing_certificate_from_its_page(provider, tunduk_operator):
    """Issue 7 (6): a participant's engineer revokes its own certificate; audited and journaled."""
    participant, engineer, _ = provider
    signing = gateways.request_certificate(
        engineer, participant, CertificateProfile.SIGNING, csr_for(participant)
    )
    gateways.issue_certificate(tunduk_operator, signing)
    page = signed_in(engineer).post(
        reverse("catalog:certificate-detail", args=[signing.pk]),
        {"action": "revoke", "reason": "Replaced the HSM", "code": RevocationReason.SUPERSEDED},
    )
    assert page.status_code == 302
    signing.refresh_from_db()
    assert signing.status == CertificateStatus.REVOKED and signing.revoked_at is not None
    event = AuditEvent.objects.get(name="catalog:certificate:revoked")
    assert event.actor == engineer and event.detail["serial"] == signing.serial_number
    assert "catalog:certificate:revoked" in _journal_events()
    entry = _crl_entry(signing)
    assert entry is not None
    assert entry.extensions.get_extension_for_class(x509.CRLReason).value.reason == (
        x509.ReasonFlags.superseded
    )


def _api_as(user) -> ApiClient:
    _token, raw = ApiToken.issue(user, name="test")
    return ApiClient(raw)


def test_owner_revokes_through_the_api_with_a_reason_code(provider, tunduk_operator):
    """Issue 7 (6): the API takes the CRL reason code; an unknown code names the field."""
    participant, engineer, _ = provider
    certificate = _approved_gateway(participant, engineer, tunduk_operator)
    api = _api_as(engineer)
    path = f"/catalog/certificates/{certificate.pk}/revoke"
    assert api.post(path, {"reason": "x", "code": "because"}).status_code == 422
    revoked = api.post(path, {"reason": "Gateway retired", "code": "cessation_of_operation"})
    assert revoked.status_code == 200, revoked.json()
    assert revoked.json()["revocation_code"] == "cessation_of_operation"
    assert _crl_entry(certificate) is not None


def test_unknown_reason_code_is_refused_by_the_service(provider, tunduk_operator):
    """Issue 7 (6): the service refuses a code that is not an RFC 5280 reason it offers."""
    participant, engineer, _ = provider
    certificate = _approved_gateway(participant, engineer, tunduk_operator)
    with pytest.raises(InvalidInput) as refused:
        gateways.revoke_certificate(engineer, certificate, "x", code="remove_from_crl")
    assert refused.value.field == "code"


def test_crl_number_grows_and_an_unchanged_list_is_not_reissued(provider, tunduk_operator):
    """Issue 7 (6): each new CRL has a higher number; a fresh, unchanged one is served as is."""
    participant, engineer, _ = provider
    first = publish_crl(force=True)
    assert publish_crl() is None
    certificate = _approved_gateway(participant, engineer, tunduk_operator)
    gateways.revoke_certificate(tunduk_operator, certificate, "Key lost")
    latest = CertificateRevocationList.objects.order_by("-number").first()
    assert latest.number > first.number
    assert latest.next_update - latest.this_update == timedelta(hours=1)


@pytest.mark.parametrize(("kind", "by_operator"), [("leave", False), ("disconnect", True)])
def test_departed_participants_certificates_are_revoked(
    provider, tunduk_operator, kind, by_operator
):
    """Issue 7 (6): leaving or disconnection revokes every issued certificate (CRL and serials)."""
    participant, engineer, _ = provider
    certificate = _approved_gateway(participant, engineer, tunduk_operator)
    change = participants.change_status(
        tunduk_operator if by_operator else engineer,
        participant,
        kind,
        "Bye",
        effective_at=timezone.now() + PRIOR_NOTICE,
    )
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ISSUED  # 003 §4: not before the notice ran
    type(change).objects.filter(pk=change.pk).update(effective_at=timezone.now())
    participants.apply_due_changes()
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED
    assert certificate.revocation_code == RevocationReason.CESSATION_OF_OPERATION
    assert _crl_entry(certificate) is not None
    now = timezone.now()
    assert [serial.serial for serial in revoked_serials(now)] == [certificate.serial_number]
