"""The public Catalog pages: participants, a service page with its access request, notices."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.catalog.pages import describe_service, signed_in
from tests.factories import EmployeeFactory, make_participant, make_subsystem
from tunduk.catalog.choices import AccessRequestStatus, NoticeKind
from tunduk.catalog.models import AccessRequest
from tunduk.catalog.services import notices, participants

pytestmark = pytest.mark.django_db


def test_catalog_lists_participants_services_and_fields_publicly(client: Client, provider):
    """003 §2.3, appendix 1: the public sees identifiers, titles and shared fields, not backends."""
    _, engineer, subsystem = provider
    describe_service(engineer, subsystem)
    response = client.get(reverse("catalog:participant-list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="identifier">KG/GOV/70000001</span>' in html
    assert "KG/GOV/70000001/births/birth-records" in html
    assert "Birth records" in html and "child_name, birth_date" in html
    assert "births.internal" not in html


def test_service_page_shows_identifier_endpoints_and_fields(client: Client, provider):
    """003 §3.2.2: the service page shows INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE, endpoints, fields."""
    _, engineer, subsystem = provider
    service = describe_service(engineer, subsystem)
    response = client.get(reverse("catalog:service-detail", args=[service.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        '<span class="identifier" id="service-identifier">KG/GOV/70000001/births/birth-records<'
        in html
    )
    assert html.count('class="endpoint"') == 2 and "/births/*" in html
    assert html.count('class="shared-field"') == 2
    assert "births.internal" not in html and "3.0.3" not in html  # no backend, no document
    assert 'id="access-request-form"' not in html


def test_request_form_only_for_engineers_of_another_participant(provider, consumer):
    """004 multilateral: another participant's engineer may request access; the owner may not."""
    _, owner_engineer, subsystem = provider
    service = describe_service(owner_engineer, subsystem)
    url = reverse("catalog:service-detail", args=[service.pk])
    assert 'id="access-request-form"' in signed_in(consumer[1]).get(url).content.decode()
    assert 'id="access-request-form"' not in signed_in(owner_engineer).get(url).content.decode()
    outsider = EmployeeFactory()  # the subject is not a participant
    assert 'id="access-request-form"' not in signed_in(outsider).get(url).content.decode()
    assert signed_in(outsider).post(url, {"purpose": "x"}).status_code == 403


def test_request_access_from_service_page(provider, consumer):
    """004 multilateral: the request names our subsystem, one endpoint and the purpose."""
    _, owner_engineer, subsystem = provider
    service = describe_service(owner_engineer, subsystem)
    client_subsystem = consumer[2]
    endpoint = service.endpoints.get(method="GET")
    response = signed_in(consumer[1]).post(
        reverse("catalog:service-detail", args=[service.pk]),
        {
            "client": client_subsystem.pk,
            "endpoint": endpoint.pk,
            "purpose": "Child benefits",
            "action": "request",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("catalog:participation")
    request = AccessRequest.objects.get()
    assert (request.client, request.endpoint, request.status) == (
        client_subsystem,
        endpoint,
        AccessRequestStatus.PENDING,
    )


def test_suspended_participants_request_is_refused_with_message(
    provider, consumer, tunduk_operator
):
    """003 §4: a suspended participant's request is refused and the page says why."""
    _, owner_engineer, subsystem = provider
    service = describe_service(owner_engineer, subsystem)
    participant, engineer, client_subsystem = consumer
    participants.change_status(
        tunduk_operator, participant, "suspend", "Unpatched gateway", security_incident=True
    )
    client = signed_in(engineer)
    url = reverse("catalog:service-detail", args=[service.pk])
    assert 'id="participant-banner"' in client.get(url).content.decode()
    response = client.post(
        url, {"client": client_subsystem.pk, "purpose": "Child benefits", "action": "request"}
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert 'id="form-errors"' in html
    assert (
        "KG/GOV/70000002 is suspended by the operator and cannot do this until reinstated" in html
    )
    assert not AccessRequest.objects.exists()


def test_notices_listed_publicly_without_violations_or_ended(
    client: Client, provider, tunduk_operator
):
    """003 §3.2.13: current outages and maintenance are public; violations and past notices are not."""
    participant, engineer, subsystem = provider
    now = timezone.now()
    notices.report_notice(
        engineer,
        participant,
        kind=NoticeKind.MAINTENANCE,
        title="Database upgrade",
        description="Births offline for an hour",
        starts_at=now + timedelta(days=1),
        ends_at=now + timedelta(days=1, hours=1),
        subsystem=subsystem,
    )
    notices.report_notice(
        tunduk_operator,
        None,
        kind=NoticeKind.INCIDENT,
        title="Central server slow",
        description="Investigating",
        starts_at=now,
    )
    notices.report_notice(
        engineer,
        participant,
        kind=NoticeKind.VIOLATION,
        title="Leaked password",
        description="Rotated",
        starts_at=now,
    )
    notices.report_notice(
        engineer,
        participant,
        kind=NoticeKind.OUTAGE,
        title="Old outage",
        description="Fixed",
        starts_at=now - timedelta(days=3),
        ends_at=now - timedelta(days=2),
    )
    response = client.get(reverse("catalog:notice-list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="notice-row') == 2
    assert "Database upgrade" in html and "KG/GOV/70000001/births" in html
    assert "Central server slow" in html
    assert "Leaked password" not in html and "Old outage" not in html
    assert "Central server slow" in client.get(reverse("catalog:participant-list")).content.decode()


def test_catalog_page_queries_do_not_grow_with_participants(client: Client, provider, consumer):
    """003 §2.3: the public list costs the same queries for two participants as for three."""
    describe_service(provider[1], provider[2])
    url = reverse("catalog:participant-list")
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    third, engineer = make_participant(consumer[0].registered_by, "70000003")
    describe_service(engineer, make_subsystem(third, engineer, "third"))
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)
