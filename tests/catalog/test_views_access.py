"""Owners answer for access to their services (003 §3.2.8): requests, grants, revocation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.catalog.pages import describe_service, signed_in
from tunduk.catalog.choices import AccessRequestStatus
from tunduk.catalog.models import AccessRequest, Grant
from tunduk.catalog.services import access

pytestmark = pytest.mark.django_db


@pytest.fixture
def service(provider):
    return describe_service(provider[1], provider[2])


@pytest.fixture
def pending(service, consumer) -> AccessRequest:
    _, engineer, subsystem = consumer
    return access.request_access(engineer, subsystem, service, "Child benefits")


def test_request_granted_from_the_owners_page(service, consumer, provider):
    """004, 003 §3.2.8: a request made on the service page is granted from the owner's page."""
    _, consumer_engineer, client_subsystem = consumer
    signed_in(consumer_engineer).post(
        reverse("catalog:service-detail", args=[service.pk]),
        {"client": client_subsystem.pk, "purpose": "Child benefits", "action": "request"},
    )
    request = AccessRequest.objects.get()
    owner = signed_in(provider[1])
    page = owner.get(reverse("catalog:participation")).content.decode()
    assert f'id="access-request-{request.pk}"' in page and "Child benefits" in page
    response = owner.post(
        reverse("catalog:access-request-decide", args=[request.pk]), {"action": "grant"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    grant = Grant.objects.get()
    assert request.status == AccessRequestStatus.GRANTED
    assert (grant.client, grant.service) == (client_subsystem, service)
    sent = signed_in(consumer_engineer).get(reverse("catalog:participation")).content.decode()
    assert "status-granted" in sent


def test_refusal_needs_a_comment(pending, provider):
    """003 §3.2.8: the owner refuses only with a comment, which the requester sees."""
    owner = signed_in(provider[1])
    url = reverse("catalog:access-request-decide", args=[pending.pk])
    bare = owner.post(url, {"comment": "", "action": "refuse"})
    assert bare.status_code == 400 and "Explain the refusal." in bare.content.decode()
    owner.post(url, {"comment": "No legal basis", "action": "refuse"})
    pending.refresh_from_db()
    assert pending.status == AccessRequestStatus.REFUSED and not Grant.objects.exists()


def test_only_the_owner_decides(pending, consumer):
    """003 §3.2.8: the requester cannot decide its own request (it is not found among ours)."""
    url = reverse("catalog:access-request-decide", args=[pending.pk])
    assert signed_in(consumer[1]).post(url, {"action": "grant"}).status_code == 404


def test_grant_revoked_with_a_reason(pending, provider):
    """003 §3.2.8: the owner revokes a grant, stating why; the grant stays in the history."""
    access.decide_access(provider[1], pending, grant=True)
    grant = Grant.objects.get()
    owner = signed_in(provider[1])
    url = reverse("catalog:grant-revoke", args=[grant.pk])
    assert 'id="revoke-form"' in owner.get(url).content.decode()
    assert owner.post(url, {"reason": "", "action": "revoke"}).status_code == 400
    assert owner.post(url, {"reason": "Contract ended", "action": "revoke"}).status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at is not None and grant.revocation_reason == "Contract ended"


def test_grant_directly_to_a_subsystem_or_a_group(service, consumer, provider, tunduk_operator):
    """004: the owner grants a subsystem or a whole group without a request, one of the two."""
    group = access.create_group(tunduk_operator, "KG", "social", "Social protection")
    owner = signed_in(provider[1])
    url = reverse("catalog:grant-create", args=[service.pk])
    both = owner.post(url, {"client": consumer[2].pk, "group": group.pk, "action": "grant"})
    assert both.status_code == 400 and "one subsystem or one group" in both.content.decode()
    endpoint = service.endpoints.get(method="GET")
    assert (
        owner.post(
            url, {"client": consumer[2].pk, "endpoint": endpoint.pk, "action": "grant"}
        ).status_code
        == 302
    )
    assert owner.post(url, {"group": group.pk, "action": "grant"}).status_code == 302
    assert {(g.client_id, g.group_id) for g in Grant.objects.all()} == {
        (consumer[2].pk, None),
        (None, group.pk),
    }
    assert signed_in(consumer[1]).get(url).status_code == 404
