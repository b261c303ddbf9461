"""API: lists and texts over their limits are a 422 naming the field and the limit (issue 7 (5))."""

from __future__ import annotations

import pytest

from tests.factories import catalog_world, make_element
from tunduk import limits
from tunduk.registry.models import SoftwareItem

pytestmark = pytest.mark.django_db


def test_element_list_over_the_limit_is_a_422(api_as, employee):
    """Issue 7 (5): limit+1 rows of field 8 are refused naming the field and the limit."""
    element = make_element(employee, complete=True)
    before = list(SoftwareItem.objects.values_list("pk", flat=True))
    rows = [{"name": f"Tool {index}"} for index in range(limits.ELEMENT_LIST_ROWS + 1)]
    response = api_as(employee).patch(f"/elements/{element.pk}", {"software": rows})
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "body.software"
    assert f"at most {limits.ELEMENT_LIST_ROWS} items" in error["message"]
    assert list(SoftwareItem.objects.values_list("pk", flat=True)) == before


def test_element_text_over_the_limit_is_a_422(api_as, employee):
    """Issue 7 (5): an over-long text is refused naming the field and its column's limit."""
    response = api_as(employee).post("/elements", {"full_name": "x" * 501})
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "body.full_name"
    assert "at most 500 characters" in error["message"]
    long_purpose = {"full_name": "x", "purpose": "p" * (limits.LONG_TEXT + 1)}
    response = api_as(employee).post("/elements", long_purpose)
    assert response.json()["errors"][0]["field"] == "body.purpose"


def test_shared_fields_over_the_limit_are_a_422(api_as):
    """Issue 7 (5): limit+1 shared fields through the API are refused; the service is unchanged."""
    world = catalog_world()
    rows = [{"name": f"field_{index}"} for index in range(limits.SHARED_FIELDS + 1)]
    body = {"title": "Births", "backend_url": "https://b.internal/", "shared_fields": rows}
    client = api_as(world.provider_engineer)
    response = client.client.put(
        f"/api/catalog/services/{world.service.pk}",
        body,
        content_type="application/json",
        headers=client._headers(),
    )
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "body.shared_fields"
    assert f"at most {limits.SHARED_FIELDS} items" in error["message"]
    assert world.service.shared_fields.count() < limits.SHARED_FIELDS
