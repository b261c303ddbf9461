"""Issue 10 (5): fields 10 and 11 may be empty where the element has none (000 §20, appendix).

Completeness is judged per element type: a data centre or standalone software may have no
interactions (field 10) and provide no services (field 11), but the record must say "none"
explicitly; an empty list left by accident is still missing, and an information system
must list both.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import COMPLETE_LISTS, complete_data, make_element, pdf
from tunduk.core.errors import InvalidInput
from tunduk.registry import services, snapshot
from tunduk.registry.choices import DocumentKind, ElementType, SubmissionStatus

pytestmark = pytest.mark.django_db

WITHOUT_10_AND_11 = {
    name: rows for name, rows in COMPLETE_LISTS.items() if name in ("software", "resources")
}


def _element(employee, element_type: str, **overrides: object):
    element = services.create_element(
        employee,
        employee.subject,
        complete_data(element_type=element_type, **overrides),
        WITHOUT_10_AND_11,
    )
    services.attach_document(employee, element, DocumentKind.TECHNICAL, pdf("tz.pdf"))
    services.attach_document(employee, element, DocumentKind.COMMISSIONING_ACT, pdf("act.pdf"))
    element.refresh_from_db()
    return element


@pytest.mark.parametrize("element_type", [ElementType.DATA_CENTRE, ElementType.SOFTWARE])
def test_a_data_centre_or_software_that_says_none_is_complete(employee, element_type) -> None:
    """000 §20 fields 10–11: a record that says "none" for both is complete and registrable."""
    element = _element(employee, element_type, no_interactions=True, no_services=True)
    assert services.check_complete(element) == []
    submission = services.submit_element(employee, element)
    assert submission.status == SubmissionStatus.OPEN


@pytest.mark.parametrize("element_type", [ElementType.DATA_CENTRE, ElementType.SOFTWARE])
def test_empty_lists_without_saying_none_are_still_missing(employee, element_type) -> None:
    """000 §20 fields 10–11: an empty list left by accident does not count as "none"."""
    element = _element(employee, element_type)
    assert services.check_complete(element) == [10, 11]


def test_an_information_system_must_list_interactions_and_services(employee) -> None:
    """000 §20, appendix §1(1): an information system for state services cannot say "none"."""
    element = _element(
        employee, ElementType.INFORMATION_SYSTEM, no_interactions=True, no_services=True
    )
    assert services.check_complete(element) == [10, 11]


def test_saying_none_while_listing_rows_is_refused(employee) -> None:
    """000 §20 field 10: "none" and a listed row contradict each other; the change is refused
    naming the field, and the stored record is unchanged."""
    element = make_element(employee)
    with pytest.raises(InvalidInput) as refused:
        services.update_element(
            employee, element, {"element_type": ElementType.DATA_CENTRE, "no_interactions": True}
        )
    assert refused.value.field == "no_interactions"
    element.refresh_from_db()
    assert element.element_type == ElementType.INFORMATION_SYSTEM
    assert not element.no_interactions
    assert element.interactions.count() == 1


def test_the_public_record_says_none_explicitly(client: Client, employee, operator) -> None:
    """000 §20 fields 10–11: the registered record shows "None" rather than an empty dash."""
    element = _element(employee, ElementType.DATA_CENTRE, no_interactions=True, no_services=True)
    services.register(operator, services.submit_element(employee, element))

    page = client.get(reverse("registry:element-detail", args=[element.pk])).content.decode()

    assert 'id="none-interactions"' in page
    assert 'id="none-services"' in page


def test_the_api_takes_and_shows_the_none_answer(api_as, employee) -> None:
    """000 §20 fields 10–11: the API accepts "none" and reports completeness per type."""
    api = api_as(employee)
    created = api.post(
        "/elements",
        {
            **complete_data(element_type=ElementType.SOFTWARE),
            **WITHOUT_10_AND_11,
            "no_interactions": True,
            "no_services": True,
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["no_interactions"] is True
    missing = api.get(f"/elements/{body['id']}/completeness").json()
    numbers = [field["number"] for field in missing["missing"]]
    assert 10 not in numbers and 11 not in numbers


def test_versions_stored_before_the_none_answer_still_match_their_element(employee) -> None:
    """000 §24: a version stored before fields 10–11 could say "none" reads as "not said",
    so `journal verify` and the history's diffs see no change in older records."""
    element = make_element(employee)
    stored = element.versions.order_by("-number").first().snapshot
    older = {k: v for k, v in stored.items() if k not in ("no_interactions", "no_services")}
    assert snapshot.recorded(older) == snapshot.take(element)
    assert snapshot.diff(older, snapshot.take(element)) == {}
