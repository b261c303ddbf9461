"""Issue 7 (7): a write to an object the caller cannot read answers 404, never 403.

A 403 for another organisation's draft, gateway or grant would confirm that it exists;
the caller gets the same 404 as for an id that was never used.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import (
    PDF_BYTES,
    EmployeeFactory,
    catalog_world,
    csr_for,
    make_element,
    make_participant,
    make_registered,
)
from tunduk.catalog.services import access, gateways

pytestmark = pytest.mark.django_db


@pytest.fixture
def outsider(db):
    """An authorised employee of another subject."""
    return EmployeeFactory()


def test_writes_to_another_subjects_draft_are_404(api_as, employee, outsider):
    """Issue 7 (7): edit, attach, submit, decommission on another subject's draft answer 404."""
    draft = make_element(employee, full_name="Unannounced system")
    client = api_as(outsider)
    assert client.patch(f"/elements/{draft.pk}", {"developer": "x"}).status_code == 404
    upload = SimpleUploadedFile("a.pdf", PDF_BYTES, content_type="application/pdf")
    attached = client.upload(f"/elements/{draft.pk}/documents", {"kind": "technical"}, upload)
    assert attached.status_code == 404
    assert client.post(f"/elements/{draft.pk}/submit").status_code == 404
    missing = client.patch("/elements/999999", {"developer": "x"})
    assert missing.json() == client.patch(f"/elements/{draft.pk}", {"developer": "x"}).json()


def test_write_to_another_subjects_public_element_stays_403(api_as, employee, operator, outsider):
    """Issue 7 (7): a registered element is public, so refusing a write to it is a plain 403."""
    element = make_registered(employee, operator)
    response = api_as(outsider).patch(f"/elements/{element.pk}", {"developer": "x"})
    assert response.status_code == 403


def test_submissions_and_notices_of_another_subject_are_404(api_as, employee, outsider):
    """Issue 7 (7): deciding a submission the caller cannot see answers 404."""
    from tunduk.registry import services

    submission = services.submit_element(employee, make_element(employee))
    client = api_as(outsider)
    assert client.post(f"/submissions/{submission.pk}/register").status_code == 404


def test_catalog_writes_to_another_participants_objects_are_404(api_as):
    """Issue 7 (7): another participant's grant, access request, gateway, certificate: 404."""
    world = catalog_world()
    requested = access.request_access(
        world.consumer_engineer, world.consumer_subsystem, world.service, "Benefits"
    )
    grant = access.grant_access(
        world.provider_engineer, world.service, client=world.consumer_subsystem
    )
    gateway = gateways.register_gateway(
        world.provider_engineer,
        world.provider,
        "gw1",
        "gw1.births.gov.kg",
        csr_for(world.provider, server_code="gw1"),
    )
    certificate = gateways.request_certificate(
        world.provider_engineer, world.provider, "signing", csr_for(world.provider)
    )
    _third, outsider_engineer = make_participant(world.tunduk_operator, "70000003")
    client = api_as(outsider_engineer)
    decided = client.post(
        f"/catalog/access-requests/{requested.pk}/decision", {"grant": True, "comment": "x"}
    )
    assert decided.status_code == 404
    assert client.post(f"/catalog/grants/{grant.pk}/revoke", {"reason": "x"}).status_code == 404
    gateway_decision = client.post(
        f"/catalog/gateways/{gateway.pk}/decision", {"approve": True, "comment": ""}
    )
    assert gateway_decision.status_code == 404
    for action, body in (("issue", None), ("refuse", {"reason": "x"}), ("revoke", {"reason": "x"})):
        answer = client.post(f"/catalog/certificates/{certificate.pk}/{action}", body)
        assert answer.status_code == 404, action
    own = api_as(world.provider_engineer)
    assert (
        own.post(f"/catalog/gateways/{gateway.pk}/decision", {"approve": True}).status_code == 403
    )
