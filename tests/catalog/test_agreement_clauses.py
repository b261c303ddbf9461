"""Obligations of the Tunduk connection agreement (seed 003) that the Catalog enforces or records."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import OPENAPI_YAML, SHARED_FIELDS, csr_for
from tunduk.catalog.choices import ParticipantStatus
from tunduk.catalog.configuration import current_content
from tunduk.catalog.services import access, gateways, participants, systems
from tunduk.core.errors import InvalidInput, NotPermitted

pytestmark = pytest.mark.django_db


def _service(provider, **changes):
    _, engineer, subsystem = provider
    values = {
        "service_code": "birth-records",
        "title": "Births",
        "backend_url": "https://b.internal",
        "openapi_text": OPENAPI_YAML,
        "shared_fields": SHARED_FIELDS,
        **changes,
    }
    return systems.save_service(engineer, subsystem, **values)


def test_volume_and_structure_of_shared_data_is_in_the_catalog(provider):
    """003 §2.3: the volume and structure of the data given through a service is recorded in the Catalog."""
    service = _service(provider)
    assert service.openapi_document["info"]["title"] == "Births"
    assert service.shared_fields.filter(personal_data=True).count() == 1


def test_operator_coordinates_connection_only_approved_gateways_are_published(
    provider, tunduk_operator
):
    """003 §3.1.2, §3.2.4: the participant installs its gateway; only the operator's approval connects it."""
    participant, engineer, _ = provider
    gateway = gateways.register_gateway(
        engineer, participant, "gw1", "gw1.kg", csr_for(participant, server_code="gw1")
    )
    assert "gw1" not in {g.server_code for g in current_content().gateways}
    with pytest.raises(NotPermitted):
        gateways.decide_gateway(engineer, gateway, approve=True)
    gateways.decide_gateway(tunduk_operator, gateway, approve=True)
    assert "gw1" in {g.server_code for g in current_content().gateways}


def test_catalog_kept_current_by_the_owner_only(provider, consumer):
    """003 §3.2.2, §3.2.6: the owner keeps its services current; another participant cannot change them."""
    service = _service(provider)
    _service(provider, title="Birth records v2", shared_fields=[{"name": "child_name"}])
    service.refresh_from_db()
    assert service.title == "Birth records v2"
    assert [f.name for f in service.shared_fields.all()] == ["child_name"]
    _, stranger, _ = consumer
    with pytest.raises(NotPermitted):
        systems.save_service(
            stranger,
            service.subsystem,
            service_code="birth-records",
            title="Hijacked",
            backend_url="https://evil.example",
            openapi_text=None,
            shared_fields=SHARED_FIELDS,
        )


def test_consent_is_asked_with_the_purpose_of_use(provider, consumer):
    """003 §3.2.9, §3.2.12: access needs the owner's consent and a stated purpose of use."""
    service = _service(provider)
    _, engineer, client = consumer
    with pytest.raises(InvalidInput) as error:
        access.request_access(engineer, client, service, " ")
    assert error.value.field == "purpose"
    request = access.request_access(
        engineer, client, service, "Benefit eligibility under law No. 1"
    )
    assert request.purpose == "Benefit eligibility under law No. 1"
    assert not service.grants.exists()


def test_owner_may_grant_per_endpoint(provider, consumer):
    """003 §3.2.8: the owner answers for access and may open one endpoint only."""
    service = _service(provider)
    _, owner, _ = provider
    _, _, client = consumer
    endpoint = service.endpoints.get(method="GET")
    grant = access.grant_access(owner, service, client=client, endpoint=endpoint)
    published = [g for g in current_content().grants if g.client == str(client.identifier)]
    assert [(g.endpoint_method, g.endpoint_path) for g in published] == [("GET", "/births/*")]
    assert grant.endpoint == endpoint


def test_disconnection_takes_effect_after_prior_notice(consumer, tunduk_operator):
    """003 §4: disconnection is notified in advance with reasons and takes effect when due."""
    participant, _, _ = consumer
    later = timezone.now() + timedelta(days=10)
    change = participants.change_status(
        tunduk_operator,
        participant,
        "disconnect",
        "Repeated breaches of 003 §3.2.7",
        effective_at=later,
    )
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.ACTIVE and change.applied_at is None
    assert participants.apply_due_changes() == 0
    type(change).objects.filter(pk=change.pk).update(effective_at=timezone.now())
    assert participants.apply_due_changes() == 1
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.DISCONNECTED


def test_suspended_member_is_marked_in_the_configuration(consumer, tunduk_operator):
    """003 §4: a suspended participant stays listed but marked suspended, so gateways refuse it."""
    participant, _, _ = consumer
    participants.change_status(
        tunduk_operator, participant, "suspend", "Audit pending", security_incident=True
    )
    members = {m.member_code: m for m in current_content().members}
    assert members[participant.member_code].status == "suspended"


def test_log_archiving_terms_are_recorded(provider, consumer):
    """003 §3.2.5: the owner records how long request logs are archived and who may read them."""
    from tunduk.catalog.services import security

    _, engineer, subsystem = provider
    with pytest.raises(InvalidInput) as error:
        security.set_archiving(engineer, subsystem, 365, "")
    assert error.value.field == "archive_access"
    security.set_archiving(
        engineer, subsystem, 1825, "Internal audit and courts, on written request"
    )
    subsystem.refresh_from_db()
    assert subsystem.log_retention_days == 1825
    _, stranger, _ = consumer
    with pytest.raises(NotPermitted):
        security.set_archiving(stranger, subsystem, 1, "me")


def test_monitoring_consent_and_recommendations(
    provider, tunduk_operator, django_capture_on_commit_callbacks
):
    """003 §3.2.14–§3.2.15: the participant allows monitoring and reports carrying out the operator's recommendation."""
    from django.core import mail

    from tunduk.catalog.services import security

    participant, engineer, _ = provider
    security.allow_monitoring(engineer, participant)
    assert participant.monitoring_consent_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        recommendation = security.issue_recommendation(
            tunduk_operator,
            participant,
            title="Update TLS",
            text="Disable TLS 1.0 on gw1",
            due_date=timezone.localdate() + timedelta(days=14),
        )
    assert any("Update TLS" in message.subject for message in mail.outbox)
    with pytest.raises(NotPermitted):
        security.issue_recommendation(
            engineer, participant, title="x", text="y", due_date=timezone.localdate()
        )
    security.report_implemented(engineer, recommendation, "TLS 1.0 disabled on 1 Dec")
    recommendation.refresh_from_db()
    assert recommendation.implemented_at is not None
