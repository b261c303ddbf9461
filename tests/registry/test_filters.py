"""One search per list: the public page, its exports and the API match the same elements."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.factories import EmployeeFactory, SubjectFactory, make_element, make_registered

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_subjects(operator):
    """Registered elements of two subjects, and a draft of the first one."""
    health = SubjectFactory(name="Ministry of Health", short_name="MoH")
    justice = SubjectFactory(name="Ministry of Justice", short_name="MoJ")
    doctor, clerk = EmployeeFactory(subject=health), EmployeeFactory(subject=justice)
    registered = [
        make_registered(doctor, operator, full_name="Patient records", short_name="EHR"),
        make_registered(doctor, operator, full_name="Vaccination register"),
        make_registered(clerk, operator, full_name="Civil status acts", short_name="ZAGS"),
    ]
    draft = make_element(doctor, full_name="Unannounced health system")
    return registered, draft


def page_ids(client: Client, query: str) -> list[int]:
    """The ids the public list shows for ``?q=query``, in its order."""
    response = client.get("/elements/", {"q": query})
    assert response.status_code == 200
    return [element.pk for element in response.context["elements"]]


def api_ids(query: str) -> list[int]:
    """The ids ``GET /api/elements?q=query`` answers the public, in its order."""
    response = Client().get("/api/elements", {"q": query, "page_size": 200})
    assert response.status_code == 200
    return [item["id"] for item in response.json()["items"]]


def export_ids(client: Client, query: str) -> list[int]:
    """The ids of the JSON export for ``?q=query``."""
    response = client.get("/elements/export.json", {"q": query})
    return [row["id"] for row in json.loads(b"".join(response.streaming_content))]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ministry of health", ["Patient records", "Vaccination register"]),  # subject's name
        ("MoJ", ["Civil status acts"]),  # subject's short name
        ("  ehr ", ["Patient records"]),  # short name, surrounding spaces ignored
        ("register", ["Vaccination register"]),
        ("", ["Civil status acts", "Patient records", "Vaccination register"]),
    ],
)
def test_page_export_and_api_search_the_same(client: Client, two_subjects, query, expected):
    """001 art. 12.4, API: the same ``q`` finds the same elements on the page, export and API."""
    registered, _draft = two_subjects
    names = {element.pk: element.full_name for element in registered}
    on_page = page_ids(client, query)
    assert [names[pk] for pk in on_page] == expected
    assert api_ids(query) == on_page
    assert export_ids(client, query) == on_page


def test_search_by_registration_code_matches_everywhere(client: Client, two_subjects):
    """000 §22: the registration code finds its element on the page and through the API."""
    registered, _draft = two_subjects
    code = registered[2].registration_code
    assert page_ids(client, code) == api_ids(code) == [registered[2].pk]


def test_searching_a_subject_name_reveals_no_draft(client: Client, two_subjects):
    """000 §20, 001 art. 13: a subject's name finds its registered elements, never its drafts."""
    registered, draft = two_subjects
    found = page_ids(client, "health")
    assert sorted(found) == sorted(element.pk for element in registered[:2])
    assert draft.pk not in found and draft.pk not in api_ids("health")
    assert api_ids("Unannounced") == page_ids(client, "Unannounced") == []


@pytest.mark.parametrize("query", ["Система", "СИСТЕМА", "система", "еси", "УЧЁТ", "учет"])
def test_cyrillic_case_and_yo_find_the_same_everywhere(client: Client, operator, query):
    """Issue 11 item 3, 001 art. 12.4: case and ё/е are ignored in Cyrillic, on SQLite as on
    PostgreSQL, and the page, the export and the API agree."""
    clerk = EmployeeFactory(subject=SubjectFactory(name="Департамент регистрации"))
    element = make_registered(
        clerk, operator, full_name="Система учёта населения", short_name="ЕСИ"
    )
    assert page_ids(client, query) == [element.pk]
    assert api_ids(query) == export_ids(client, query) == [element.pk]
