"""Issue 7 (7): the employee's pages answer 404 for another subject's objects it cannot read."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    EmployeeFactory,
    catalog_world,
    csr_for,
    make_element,
    make_participant,
    make_registered,
)
from tunduk.catalog.services import gateways
from tunduk.registry import services

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_editing_another_subjects_draft_is_404(employee):
    """Issue 7 (7): the edit, upload and submit pages of another subject's draft answer 404."""
    draft = make_element(employee, full_name="Unannounced system")
    client = signed_in(EmployeeFactory())
    for name in ("registry:element-edit", "registry:document-upload", "registry:element-submit"):
        url = reverse(name, args=[draft.pk])
        assert client.get(url).status_code == 404, name
        assert client.post(url, {}).status_code == 404, name


def test_editing_another_subjects_public_element_stays_403(employee, operator):
    """Issue 7 (7): a registered element is public; refusing its edit page is a plain 403."""
    element = make_registered(employee, operator)
    client = signed_in(EmployeeFactory())
    assert client.get(reverse("registry:element-edit", args=[element.pk])).status_code == 403


def test_answering_another_subjects_information_request_is_404(employee, operator, authorised_body):
    """Issue 7 (7): an information request about another subject's element answers 404."""
    element = make_registered(employee, operator)
    asked = services.ask(authorised_body, element, "Which database?", timezone.localdate())
    client = signed_in(EmployeeFactory())
    url = reverse("registry:information-request-answer", args=[asked.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"answer": "None of your business"}).status_code == 404


def test_another_participants_certificate_page_is_404():
    """Issue 7 (7): the Catalog's certificate page of another participant answers 404."""
    world = catalog_world()
    certificate = gateways.request_certificate(
        world.provider_engineer, world.provider, "signing", csr_for(world.provider)
    )
    _third, outsider = make_participant(world.tunduk_operator, "70000003")
    url = reverse("catalog:certificate-detail", args=[certificate.pk])
    assert signed_in(outsider).get(url).status_code == 404
    assert signed_in(outsider).post(url, {"action": "revoke", "reason": "x"}).status_code == 404
