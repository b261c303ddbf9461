"""The Tunduk operator's pages: participants, status changes, gateways, certificates, groups."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.catalog.pages import signed_in
from tests.factories import EmployeeFactory, OperatorFactory, SubjectFactory, csr_for
from tunduk.catalog.choices import CertificateStatus, GatewayStatus, ParticipantStatus
from tunduk.catalog.models import Group, Notice, Participant
from tunduk.catalog.services import gateways
from tunduk.core.audit import Event
from tunduk.core.models import AuditEvent

pytestmark = pytest.mark.django_db

OPERATOR_PAGES = [
    "operator-home",
    "participant-create",
    "gateway-list",
    "certificate-list",
    "group-list",
]


@pytest.fixture
def operator_client(tunduk_operator) -> Client:
    return signed_in(tunduk_operator)


@pytest.mark.parametrize("name", OPERATOR_PAGES)
def test_operator_pages_render_for_the_tunduk_operator(operator_client: Client, name: str):
    """003 §3.1: the Tunduk operator's pages open for the Tunduk operator."""
    assert operator_client.get(reverse(f"catalog:{name}")).status_code == 200


@pytest.mark.parametrize("name", OPERATOR_PAGES)
def test_operator_pages_refuse_other_roles(client: Client, name: str):
    """003 §3.1: other roles get a 403 page (audited); the public is sent to sign in."""
    url = reverse(f"catalog:{name}")
    assert client.get(url).status_code == 302
    for user in (EmployeeFactory(), OperatorFactory()):
        response = signed_in(user).get(url)
        assert response.status_code == 403
        assert 'id="forbidden-reason"' in response.content.decode()
    assert AuditEvent.objects.filter(name=Event.ACCESS_DENIED).count() == 2


def test_register_participant(operator_client: Client):
    """003 §3.1.1: the operator registers a subject with its member class and code."""
    subject = SubjectFactory()
    response = operator_client.post(
        reverse("catalog:participant-create"),
        {
            "subject": subject.pk,
            "member_class": "GOV",
            "member_code": "70000010",
            "action": "register",
        },
    )
    participant = Participant.objects.get(subject=subject)
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:participant-detail", args=[participant.pk])
    assert str(participant.identifier) == "KG/GOV/70000010"


def test_forbidden_character_shows_error_and_stores_nothing(operator_client: Client):
    """003 §3.1.1, identifiers: a forbidden character in the member code is named next to the field."""
    subject = SubjectFactory()
    response = operator_client.post(
        reverse("catalog:participant-create"),
        {
            "subject": subject.pk,
            "member_class": "GOV",
            "member_code": "7000 01",
            "action": "register",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="errors-member_code"' in html and "forbidden character &#x27; &#x27;" in html
    assert not Participant.objects.exists()


def test_duplicate_member_code_shows_error(operator_client: Client, provider):
    """003 §3.1.1: a member code already used is refused, naming who uses it."""
    subject = SubjectFactory()
    response = operator_client.post(
        reverse("catalog:participant-create"),
        {
            "subject": subject.pk,
            "member_class": "GOV",
            "member_code": "70000001",
            "action": "register",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="errors-member_code"' in html and "already used by" in html
    assert not Participant.objects.filter(subject=subject).exists()


def test_suspend_with_reason_then_reinstate(operator_client: Client, provider):
    """003 §4: the operator suspends with reasons (history kept) and later reinstates."""
    participant = provider[0]
    url = reverse("catalog:participant-detail", args=[participant.pk])
    page = operator_client.get(url).content.decode()
    assert (
        'id="status-form"' in page and 'value="suspend"' in page and 'value="reinstate"' not in page
    )
    missing = operator_client.post(url, {"reason": "", "action": "suspend"})
    assert missing.status_code == 400
    response = operator_client.post(
        url, {"reason": "Unpatched gateway", "action": "suspend", "security_incident": "on"}
    )
    participant.refresh_from_db()
    assert response.status_code == 302 and participant.status == ParticipantStatus.SUSPENDED
    page = operator_client.get(url).content.decode()
    assert "Unpatched gateway" in page and 'value="reinstate"' in page
    operator_client.post(url, {"reason": "Patched", "action": "reinstate"})
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.ACTIVE
    assert participant.status_changes.exclude(kind="activate").count() == 2


def test_disconnection_with_prior_notice_takes_effect_later(operator_client: Client, provider):
    """003 §4: a disconnection notified for a later time leaves the participant active until then."""
    participant = provider[0]
    response = operator_client.post(
        reverse("catalog:participant-detail", args=[participant.pk]),
        {
            "reason": "Breach of the agreement",
            "effective_at": "2999-01-01T10:00",
            "action": "disconnect",
        },
    )
    participant.refresh_from_db()
    assert response.status_code == 302 and participant.status == ParticipantStatus.ACTIVE
    change = participant.status_changes.get(kind="disconnect")
    assert change.applied_at is None and change.effective_at.year == 2999


def test_gateway_approved_from_the_queue(operator_client: Client, provider):
    """003 §3.2.1: approving a gateway issues its authentication certificate; refusal needs a reason."""
    participant, engineer, _ = provider
    gateway = gateways.register_gateway(
        engineer, participant, "gw1", "gw1.births.kg", csr_for(participant, server_code="gw1")
    )
    queue = operator_client.get(reverse("catalog:gateway-list")).content.decode()
    assert "KG/GOV/70000001/gw1" in queue
    url = reverse("catalog:gateway-decide", args=[gateway.pk])
    refused = operator_client.post(url, {"comment": "", "action": "refuse"})
    assert (
        refused.status_code == 400
        and "State why the gateway is refused." in refused.content.decode()
    )
    assert operator_client.post(url, {"comment": "", "action": "approve"}).status_code == 302
    gateway.refresh_from_db()
    certificate = gateway.certificates.get()
    assert (
        gateway.status == GatewayStatus.APPROVED and certificate.status == CertificateStatus.ISSUED
    )


def test_certificate_issued_shown_and_revoked(operator_client: Client, provider):
    """003 §3.2.1: the operator issues a signing certificate (PEM shown) and revokes it with a reason."""
    participant, engineer, _ = provider
    certificate = gateways.request_certificate(
        engineer, participant, "signing", csr_for(participant)
    )
    url = reverse("catalog:certificate-detail", args=[certificate.pk])
    assert operator_client.post(url, {"action": "issue"}).status_code == 302
    page = operator_client.get(url).content.decode()
    assert '<pre id="certificate-pem">-----BEGIN CERTIFICATE-----' in page
    assert 'value="revoke"' in page
    no_reason = operator_client.post(url, {"reason": "", "action": "revoke"})
    assert no_reason.status_code == 400
    operator_client.post(url, {"reason": "Key compromised", "action": "revoke"})
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED
    owner_page = signed_in(engineer).get(url)
    assert owner_page.status_code == 200 and 'value="revoke"' not in owner_page.content.decode()
    # Issue 7 (7): another participant's certificate looks as if it did not exist.
    assert signed_in(EmployeeFactory()).get(url).status_code == 404


def test_group_created_and_members_added_and_removed(operator_client: Client, provider):
    """004: the operator keeps groups of subsystems; memberships end, never vanish."""
    response = operator_client.post(
        reverse("catalog:group-list"),
        {"code": "social", "description": "Social protection", "action": "register"},
    )
    group = Group.objects.get()
    assert response.status_code == 302
    url = reverse("catalog:group-detail", args=[group.pk])
    subsystem = provider[2]
    operator_client.post(url, {"subsystem": subsystem.pk, "action": "save"})
    assert "KG/GOV/70000001/births" in operator_client.get(url).content.decode()
    operator_client.post(url, {"subsystem": subsystem.pk, "action": "revoke"})
    membership = group.memberships.get()
    assert membership.removed_at is not None
    bad = operator_client.post(
        reverse("catalog:group-list"), {"code": "a/b", "description": "x", "action": "register"}
    )
    assert bad.status_code == 400 and 'id="errors-code"' in bad.content.decode()


def test_operator_publishes_a_notice(operator_client: Client):
    """003 §2.6: the operator publishes notices about the exchange itself."""
    response = operator_client.post(
        reverse("catalog:notice-create"),
        {
            "kind": "maintenance",
            "title": "Central server update",
            "description": "Configuration not refreshed for 10 minutes",
            "starts_at": "2999-01-01T10:00",
            "action": "save",
        },
    )
    assert response.status_code == 302
    notice = Notice.objects.get()
    assert notice.participant is None and notice.kind == "maintenance"


def test_operator_home_links_the_global_configuration(operator_client: Client):
    """003 §3.1.2: the operator's page links to the current global configuration."""
    html = operator_client.get(reverse("catalog:operator-home")).content.decode()
    assert f'href="{reverse("globalconf:configuration")}"' in html
