"""Shared fields, endpoints, grants and texts of the Catalog are bounded (issue 7 (5))."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import OPENAPI_YAML, SHARED_FIELDS, csr_for
from tunduk import limits
from tunduk.catalog.models import Endpoint, Grant, Group, Service, SharedField
from tunduk.catalog.services import access, gateways, systems
from tunduk.core.errors import InvalidInput

pytestmark = pytest.mark.django_db


def _save(engineer, subsystem, **overrides):
    arguments = {
        "service_code": "birth-records",
        "title": "Birth records",
        "backend_url": "https://births.internal/api",
        "openapi_text": OPENAPI_YAML,
        "shared_fields": SHARED_FIELDS,
        **overrides,
    }
    return systems.save_service(engineer, subsystem, **arguments)


def _openapi_with(operations: int) -> str:
    paths = "".join(
        f"  /items/{index}:\n    get:\n      responses:\n        '200':\n          description: ok\n"
        for index in range(operations)
    )
    return f"openapi: 3.0.3\ninfo:\n  title: Many\n  version: '1'\npaths:\n{paths}"


def test_shared_fields_over_the_limit_are_refused(provider):
    """Issue 7 (5): limit+1 shared fields are refused naming the field; nothing stored changes."""
    _participant, engineer, subsystem = provider
    service = _save(engineer, subsystem)
    before = list(service.shared_fields.values_list("name", flat=True))
    rows = [{"name": f"field_{index}"} for index in range(limits.SHARED_FIELDS + 1)]
    with pytest.raises(InvalidInput) as refused:
        _save(engineer, subsystem, shared_fields=rows)
    assert refused.value.field == "shared_fields"
    assert f"at most {limits.SHARED_FIELDS} fields" in refused.value.message
    assert list(service.shared_fields.values_list("name", flat=True)) == before


def test_endpoints_over_the_limit_are_refused(provider):
    """Issue 7 (5): an OpenAPI document with limit+1 operations is refused naming the limit."""
    _participant, engineer, subsystem = provider
    with pytest.raises(InvalidInput) as refused:
        _save(engineer, subsystem, openapi_text=_openapi_with(limits.SERVICE_ENDPOINTS + 1))
    assert refused.value.field == "openapi_document"
    assert f"at most {limits.SERVICE_ENDPOINTS} endpoints" in refused.value.message
    assert not Service.objects.exists() and not Endpoint.objects.exists()


def test_shared_fields_form_refuses_too_many_rows(client: Client, provider):
    """Issue 7 (5): the service form refuses limit+1 shared fields; nothing is stored."""
    _participant, engineer, subsystem = provider
    client.force_login(engineer)
    count = limits.SHARED_FIELDS + 1
    data = {
        "service_code": "births",
        "title": "Births",
        "backend_url": "https://births.internal/api",
        "shared_fields-TOTAL_FORMS": str(count),
        "shared_fields-INITIAL_FORMS": "0",
        **{f"shared_fields-{index}-name": f"field_{index}" for index in range(count)},
    }
    url = reverse("catalog:service-create", args=[subsystem.pk])
    response = client.post(url, data)
    assert response.status_code in (200, 400)
    assert f"at most {limits.SHARED_FIELDS} fields" in response.content.decode()
    assert not Service.objects.exists() and not SharedField.objects.exists()


def test_certificate_refusal_reason_is_bounded(provider, tunduk_operator):
    """Issue 7 (5): a refusal reason of any length up to the limit is stored, never a 500."""
    participant, engineer, _subsystem = provider
    certificate = gateways.request_certificate(
        engineer, participant, profile="signing", csr_pem=csr_for(participant)
    )
    refused = gateways.refuse_certificate(tunduk_operator, certificate, "r" * 500)
    refused.refresh_from_db()
    assert len(refused.revocation_reason) == 500


def test_grants_over_the_limit_are_refused(provider, consumer):
    """Issue 7 (5): a service holding the most active grants refuses one more, naming the limit."""
    _participant, engineer, subsystem = provider
    service = _save(engineer, subsystem)
    groups = Group.objects.bulk_create(
        Group(instance="KG", code=f"g{index}", description="g")
        for index in range(limits.SERVICE_GRANTS)
    )
    Grant.objects.bulk_create(
        Grant(service=service, group=group, granted_by=engineer) for group in groups
    )
    with pytest.raises(InvalidInput) as refused:
        access.grant_access(engineer, service, client=consumer[2])
    assert f"{limits.SERVICE_GRANTS} active grants" in refused.value.message
    assert Grant.objects.count() == limits.SERVICE_GRANTS
