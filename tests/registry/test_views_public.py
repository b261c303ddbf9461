"""The public pages: list, search, filters, exports, record, history, downloads, applications."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import (
    EmployeeFactory,
    SubjectFactory,
    make_element,
    make_registered,
    register_change,
)
from tunduk.registry.choices import ElementStatus, ElementType
from tunduk.registry.models import AccessApplication

pytestmark = pytest.mark.django_db


def streamed(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.fixture
def registered(employee, operator):
    return make_registered(employee, operator, architecture="Secret three-tier layout")


@pytest.fixture
def draft(employee):
    return make_element(employee, full_name="Hidden draft system", short_name="HDS")


def test_list_shows_registered_and_hides_drafts(client: Client, registered, draft):
    """000 §3, §20: the public list holds registered records only, never drafts."""
    response = client.get(reverse("registry:element-list"))
    content = response.content.decode()
    assert response.status_code == 200
    assert registered.registration_code in content
    assert "Hidden draft system" not in content


def test_list_search_matches_code_name_and_subject(client: Client, registered, operator):
    """Public list: ``q`` searches full name, short name, registration code and subject."""
    other_employee = EmployeeFactory(subject=SubjectFactory(name="Ministry of Water"))
    other = make_registered(
        other_employee, operator, full_name="Irrigation registry", short_name="IRR"
    )
    url = reverse("registry:element-list")
    for query in (registered.registration_code, "USCR", "civil registration"):
        content = client.get(url, {"q": query}).content.decode()
        assert registered.registration_code in content
        assert other.registration_code not in content
    content = client.get(url, {"q": "water"}).content.decode()
    assert other.registration_code in content
    assert registered.registration_code not in content


def test_list_filters_by_type_status_and_subject(client: Client, registered, operator):
    """Public list: the type, status and subject filters narrow the list."""
    other_employee = EmployeeFactory()
    other = make_registered(
        other_employee, operator, full_name="Data centre", element_type=ElementType.DATA_CENTRE
    )
    url = reverse("registry:element-list")
    content = client.get(url, {"type": ElementType.DATA_CENTRE}).content.decode()
    assert other.registration_code in content and registered.registration_code not in content
    content = client.get(url, {"subject": registered.subject_id}).content.decode()
    assert registered.registration_code in content and other.registration_code not in content
    content = client.get(url, {"status": ElementStatus.DECOMMISSIONED}).content.decode()
    assert registered.registration_code not in content


def test_list_paginates_fifty_per_page(client: Client, employee, operator):
    """Public list: 50 elements per page with a page-number navigation."""
    from tunduk.registry.models import Element

    make_registered(employee, operator)
    Element.objects.bulk_create(
        Element(
            subject=employee.subject,
            created_by=employee,
            full_name=f"Bulk system {n:03}",
            status=ElementStatus.REGISTERED,
            registration_code=f"IS-T{n:05}",
        )
        for n in range(60)
    )
    response = client.get(reverse("registry:element-list"))
    assert len(response.context["elements"]) == 50
    assert 'id="pagination"' in response.content.decode()
    second = client.get(reverse("registry:element-list"), {"page": 2})
    assert len(second.context["elements"]) == 11


@pytest.mark.parametrize(("page", "expected"), [("abc", 1), ("", 1), ("-3", 2), ("999", 2)])
def test_list_page_that_is_not_a_page_is_forgiven(
    client: Client, employee, operator, page, expected
):
    """Issue 11 (6): ``?page=abc`` is page 1 and a page out of range the last one, never a 404."""
    from tunduk.registry.models import Element

    make_registered(employee, operator)
    Element.objects.bulk_create(
        Element(
            subject=employee.subject,
            created_by=employee,
            full_name=f"Bulk system {n:03}",
            status=ElementStatus.REGISTERED,
            registration_code=f"IS-P{n:05}",
        )
        for n in range(60)
    )
    response = client.get(reverse("registry:element-list"), {"page": page})
    assert response.status_code == 200
    assert response.context["page_obj"].number == expected


def test_list_query_count_does_not_grow_with_rows(
    client: Client, employee, operator, django_assert_max_num_queries
):
    """Public list: no query per row (select_related subject, one count, one page)."""
    for n in range(5):
        make_registered(employee, operator, full_name=f"System {n}")
    with django_assert_max_num_queries(6):
        client.get(reverse("registry:element-list"))


def test_export_csv_has_bom_header_and_only_public_fields(client: Client, registered, draft):
    """001 art. 12.4: the CSV export is open data with public fields only, Excel-readable."""
    response = client.get(reverse("registry:element-export-csv"))
    body = streamed(response)
    assert body.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert [row["registration_code"] for row in rows] == [registered.registration_code]
    assert "architecture" not in rows[0] and "location" not in rows[0]
    assert "Secret three-tier layout" not in body
    assert rows[0]["resources"] == "Register of civil status acts"


def test_export_json_has_stable_keys_public_fields_and_filters(client: Client, registered, draft):
    """001 art. 12.4: the JSON export is an array of objects with public fields, filtered."""
    response = client.get(reverse("registry:element-export-json"))
    data = json.loads(streamed(response))
    assert [item["registration_code"] for item in data] == [registered.registration_code]
    item = data[0]
    assert "architecture" not in item and "software" not in item and "location" not in item
    assert item["services"] == ["Birth certificate data"]
    filtered = client.get(reverse("registry:element-export-json"), {"q": "no-such-element"})
    assert json.loads(streamed(filtered)) == []


def test_detail_hides_private_fields_from_the_public(client: Client, registered, employee):
    """000 §20: non-public fields (7, 8, 12, 13) are hidden from the public, shown to the owner."""
    url = reverse("registry:element-detail", args=[registered.pk])
    content = client.get(url).content.decode()
    assert f'id="registration-code">{registered.registration_code}<' in content
    assert "Secret three-tier layout" not in content
    assert "PostgreSQL" not in content
    assert 'id="record-field-7"' not in content
    client.force_login(employee)
    content = client.get(url).content.decode()
    assert "Secret three-tier layout" in content and "PostgreSQL" in content
    assert 'id="action-edit"' in content and 'id="action-decommission"' in content


def test_draft_detail_is_404_for_public_but_visible_to_owner_and_staff(
    client: Client, draft, employee, operator
):
    """000 §20: a record never registered is not public, but its owner and staff see it."""
    url = reverse("registry:element-detail", args=[draft.pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("registry:element-history", args=[draft.pk])).status_code == 404
    client.force_login(employee)
    assert client.get(url).status_code == 200
    client.force_login(operator)
    assert client.get(url).status_code == 200


def test_history_shows_diff_after_a_change(client: Client, registered, employee, operator):
    """000 §24: after an accepted change the history shows the field's old and new value."""
    register_change(employee, operator, registered, {"developer": "New Vendor LLC"})
    content = client.get(reverse("registry:element-history", args=[registered.pk])).content
    content = content.decode()
    assert 'class="diff-row" data-field="14"' in content
    assert "Infocom" in content and "New Vendor LLC" in content
    assert employee.full_name not in content  # the public sees the role only


def test_history_withholds_private_values_from_public(
    client: Client, registered, employee, operator
):
    """000 §24: a changed non-public field is listed for the public without its values."""
    register_change(employee, operator, registered, {"architecture": "Microservices v2"})
    url = reverse("registry:element-history", args=[registered.pk])
    content = client.get(url).content.decode()
    assert "Microservices v2" not in content and "changed (not public)" in content
    client.force_login(employee)
    content = client.get(url).content.decode()
    assert "Microservices v2" in content and employee.full_name in content


def test_document_download_only_for_private_viewers(client: Client, registered, employee):
    """000 §20.12: attached files are for the subject and staff; the public gets 404."""
    document = registered.documents.get(original_name="tz.pdf")
    url = reverse("registry:document-download", args=[document.pk])
    assert client.get(url).status_code == 404
    client.force_login(employee)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="tz.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_decommissioned_element_stays_readable(client: Client, registered):
    """000 §3: decommissioning erases nothing; the record stays public."""
    registered.status = ElementStatus.DECOMMISSIONED
    registered.save(update_fields=["status"])
    response = client.get(reverse("registry:element-detail", args=[registered.pk]))
    assert response.status_code == 200
    assert "Unified system of civil registration" in response.content.decode()


def test_home_counts_public_elements(client: Client, registered, draft):
    """Home: counts per type and status include registered records, not drafts."""
    response = client.get(reverse("registry:home"))
    assert response.status_code == 200
    assert response.context["total"] == 1


def test_access_application_shows_forwarding_deadline(client: Client, subject):
    """000 §15–18: the public application is received and the 3-day forwarding date shown."""
    data = {
        "subject": subject.pk,
        "subject_address": "Bishkek, Chui avenue 1",
        "element_full_name": "Unified system of civil registration",
        "element_short_name": "USCR",
        "element_type": ElementType.INFORMATION_SYSTEM,
        "employee_full_name": "B. Bekov",
        "employee_position": "Head of IT",
        "employee_email": "bekov@gov.kg",
        "appointment_decision": "Order No. 5 of 2 May 2025",
    }
    response = client.post(reverse("registry:application-create"), data, follow=True)
    application = AccessApplication.objects.get()
    assert response.status_code == 200
    assert 'id="forward-due"' in response.content.decode()
    assert "000 §18" in response.content.decode()
    assert application.employee_email == "bekov@gov.kg"


def test_access_application_errors_are_shown(client: Client, subject):
    """000 §16: a missing e-mail is reported next to the field."""
    response = client.post(reverse("registry:application-create"), {"subject": subject.pk})
    assert response.status_code == 400
    assert 'id="errors-employee_email"' in response.content.decode()
    assert not AccessApplication.objects.exists()
