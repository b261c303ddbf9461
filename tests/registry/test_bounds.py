"""Fields 8–11 and the record's texts are bounded on every path in (issue 7 (5))."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_element
from tunduk import limits
from tunduk.core.errors import InvalidInput
from tunduk.registry import services
from tunduk.registry.models import Element, ElementVersion, SoftwareItem

pytestmark = pytest.mark.django_db

TOO_MANY = limits.ELEMENT_LIST_ROWS + 1


@pytest.fixture
def employee_client(client: Client, employee) -> Client:
    client.force_login(employee)
    return client


def _software_rows(count: int) -> dict[str, str]:
    rows = {f"software-{index}-name": f"Tool {index}" for index in range(count)}
    return {"software-TOTAL_FORMS": str(count), "software-INITIAL_FORMS": "0", **rows}


def _form(**fields: str) -> dict[str, str]:
    data = {"full_name": "Bounded system", "operated_by_owner": "on"}
    for name in ("software", "resources", "interactions", "services"):
        data.update({f"{name}-TOTAL_FORMS": "0", f"{name}-INITIAL_FORMS": "0"})
    return {**data, **fields}


def test_service_refuses_a_list_over_the_limit(employee):
    """Issue 7 (5): a list of limit+1 rows is refused naming the field and the limit."""
    element = make_element(employee, complete=True)
    before = list(element.software.values_list("name", flat=True))
    rows = [{"name": f"Tool {index}"} for index in range(TOO_MANY)]
    with pytest.raises(InvalidInput) as refused:
        services.update_element(employee, element, {}, {"software": rows})
    assert refused.value.field == "software"
    assert f"at most {limits.ELEMENT_LIST_ROWS} rows" in refused.value.message
    assert "Field 8" in refused.value.message
    assert list(element.software.values_list("name", flat=True)) == before


def test_service_accepts_a_full_list(employee):
    """Issue 7 (5): a list of exactly the limit is stored, in order."""
    element = make_element(employee, complete=False)
    rows = [{"name": f"Tool {index}"} for index in range(limits.ELEMENT_LIST_ROWS)]
    services.update_element(employee, element, {}, {"software": rows})
    names = list(element.software.values_list("name", flat=True))
    assert names == [row["name"] for row in rows]


def test_form_refuses_a_list_over_the_limit(employee_client: Client, employee):
    """Issue 7 (5): the guided form refuses limit+1 rows of field 8 naming it; nothing is stored."""
    response = employee_client.post(
        reverse("registry:element-create"), _form(**_software_rows(TOO_MANY))
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert f"Field 8 (Software used) may hold at most {limits.ELEMENT_LIST_ROWS} rows" in content
    assert not Element.objects.exists() and not SoftwareItem.objects.exists()


def test_form_ignores_an_inflated_total_forms(employee_client: Client):
    """Issue 7 (5): a TOTAL_FORMS of 150,000 builds no more than the limit of rows."""
    fields = _form(**{"software-TOTAL_FORMS": "150000", "software-0-name": "Tool"})
    response = employee_client.post(reverse("registry:element-create"), fields)
    assert response.status_code == 400
    software = next(group for group in response.context["groups"] if group["field"].number == 8)
    assert len(software["formset"].forms) <= limits.ELEMENT_LIST_ROWS
    assert not Element.objects.exists()


def test_service_refuses_an_over_long_text(employee):
    """Issue 7 (5): a text over its limit is refused naming the field; the record is unchanged."""
    element = make_element(employee, complete=True)
    versions = ElementVersion.objects.filter(element=element).count()
    with pytest.raises(InvalidInput) as refused:
        services.update_element(employee, element, {"architecture": "a" * (limits.LONG_TEXT + 1)})
    assert refused.value.field == "architecture"
    element.refresh_from_db()
    assert len(element.architecture) <= limits.LONG_TEXT
    assert ElementVersion.objects.filter(element=element).count() == versions


def test_form_refuses_an_over_long_text(employee_client: Client):
    """Issue 7 (5): the guided form refuses a purpose over the limit next to the field."""
    fields = _form(purpose="a" * (limits.LONG_TEXT + 1))
    response = employee_client.post(reverse("registry:element-create"), fields)
    content = response.content.decode()
    assert response.status_code == 400
    assert 'id="errors-purpose"' in content
    assert f"at most {limits.LONG_TEXT:,}".replace(",", "") in content.replace(",", "")
    assert not Element.objects.exists()


def test_row_text_over_the_limit_is_refused_naming_the_row(employee):
    """Issue 7 (5): a row's description over its limit is refused as resources[0].description."""
    element = make_element(employee, complete=False)
    rows = [{"full_name": "Register", "description": "d" * (limits.ROW_TEXT + 1)}]
    with pytest.raises(InvalidInput) as refused:
        services.update_element(employee, element, {}, {"resources": rows})
    assert refused.value.field == "resources.0.description"
