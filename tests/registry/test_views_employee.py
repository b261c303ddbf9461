"""The subject employee's pages: guided form, documents, submission, decommissioning, answers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from tests.factories import EmployeeFactory, make_element, make_registered, pdf
from tunduk.registry import services
from tunduk.registry.choices import DocumentKind, ElementStatus, ElementType
from tunduk.registry.models import Element, Submission
from tunduk.workdays.deadlines import today_local

pytestmark = pytest.mark.django_db


@pytest.fixture
def employee_client(client: Client, employee) -> Client:
    client.force_login(employee)
    return client


def management(prefix: str, total: int, initial: int = 0) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def form_post(**fields: str) -> dict[str, str]:
    data = {"full_name": "Unified system of civil registration", "operated_by_owner": "on"}
    for name in ("software", "resources", "interactions", "services"):
        data.update(management(name, 0))
    data.update(fields)
    return data


def test_guided_form_groups_the_17_fields_and_lists_missing(employee_client: Client, employee):
    """000 §20: the form shows the 17 numbered groups and a panel of missing fields."""
    element = make_element(employee, complete=False)
    response = employee_client.get(reverse("registry:element-edit", args=[element.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "1. Full and short name" in content and "17. Act of commissioning" in content
    assert 'id="completeness"' in content
    missing = [field.number for field in response.context["missing"]]
    assert missing == services.check_complete(element)
    assert 2 in missing and 1 not in missing
    assert 'type="radio" name="element_type"' in content
    assert 'id="software-add-row"' in content


def test_create_saves_lists_8_to_11(employee_client: Client, employee):
    """000 §20.8–11: rows of the four lists are saved through the service."""
    data = form_post(
        short_name="USCR",
        element_type=ElementType.INFORMATION_SYSTEM,
        **management("software", 2),
        **{"software-0-name": "PostgreSQL", "software-0-version": "15"},
        **{"software-1-name": "Nginx"},
        **management("resources", 1),
        **{"resources-0-full_name": "Register of civil status acts"},
        **management("interactions", 1),
        **{"interactions-0-resource_name": "Population register"},
        **management("services", 1),
        **{"services-0-name": "Birth certificate data"},
    )
    response = employee_client.post(reverse("registry:element-create"), data)
    element = Element.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:element-edit", args=[element.pk])
    assert list(element.software.values_list("name", flat=True)) == ["PostgreSQL", "Nginx"]
    assert element.resources.get().full_name == "Register of civil status acts"
    assert element.interactions.get().resource_name == "Population register"
    assert element.services.get().name == "Birth certificate data"
    assert element.element_type == ElementType.INFORMATION_SYSTEM


def test_edit_removes_a_deleted_row(employee_client: Client, employee):
    """000 §24: a row marked for removal is dropped from the list on save."""
    element = make_element(employee)
    data = form_post(
        short_name="USCR",
        **management("software", 1, initial=1),
        **{"software-0-name": "PostgreSQL", "software-0-DELETE": "on"},
    )
    response = employee_client.post(reverse("registry:element-edit", args=[element.pk]), data)
    assert response.status_code == 302
    assert not element.software.exists()


def test_form_errors_appear_next_to_fields(employee_client: Client):
    """000 §20.1: the full name is required even for a draft; the error is beside it."""
    response = employee_client.post(
        reverse("registry:element-create"),
        form_post(full_name="", **management("software", 1), **{"software-0-version": "15"}),
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert 'id="errors-full_name"' in content
    assert not Element.objects.exists()


def test_wrong_file_type_error_is_shown(employee_client: Client, employee):
    """000 §20.12: an executable is refused with the service's message next to the file."""
    element = make_element(employee, complete=False)
    upload = SimpleUploadedFile("tool.exe", b"MZ\x90\x00", content_type="application/x-msdos")
    response = employee_client.post(
        reverse("registry:document-upload", args=[element.pk]),
        {"kind": DocumentKind.TECHNICAL, "title": "Tool", "file": upload},
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert 'id="errors-file"' in content and "are not accepted" in content
    assert not element.documents.exists()


def test_oversized_file_error_is_shown(employee_client: Client, employee, settings):
    """000 §20.12: a file over DOCUMENT_MAX_BYTES is refused, saying the limit."""
    settings.DOCUMENT_MAX_BYTES = 20
    element = make_element(employee, complete=False)
    response = employee_client.post(
        reverse("registry:document-upload", args=[element.pk]),
        {
            "kind": DocumentKind.TECHNICAL,
            "title": "Big",
            "file": pdf("big.pdf", b"%PDF-" + b"x" * 100),
        },
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert 'id="errors-file"' in content and "the limit is 20 bytes" in content


def test_upload_attaches_a_document(employee_client: Client, employee):
    """000 §20.17: the commissioning act is attached and completes field 17's document."""
    element = make_element(employee, complete=False)
    response = employee_client.post(
        reverse("registry:document-upload", args=[element.pk]),
        {"kind": DocumentKind.COMMISSIONING_ACT, "title": "Act No. 12", "file": pdf("act.pdf")},
    )
    assert response.status_code == 302
    assert element.documents.get().title == "Act No. 12"


@pytest.mark.parametrize(
    "name", ["registry:element-edit", "registry:element-submit", "registry:document-upload"]
)
def test_other_subjects_employee_gets_403(client: Client, employee, operator, name):
    """000 §16–17, §20: only the element's own subject's employees act on its (public) record;
    another subject's draft answers 404 instead (Issue 7 (7))."""
    element = make_registered(employee, operator)
    client.force_login(EmployeeFactory())
    assert client.get(reverse(name, args=[element.pk])).status_code == 403
    assert client.post(reverse(name, args=[element.pk]), {}).status_code == 403


def test_staff_get_403_on_employee_pages(client: Client, operator):
    """000 §20: the operator does not enter records; the employee pages refuse with 403."""
    client.force_login(operator)
    response = client.get(reverse("registry:element-create"))
    assert response.status_code == 403
    assert 'id="forbidden-reason"' in response.content.decode()


def test_anonymous_is_sent_to_login(client: Client):
    """Employee pages need a sign-in."""
    response = client.get(reverse("registry:element-create"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_submit_page_shows_checklist_and_review_deadline(employee_client: Client, employee):
    """000 §21: the checklist of 17 fields and the 3-working-day review date are shown."""
    element = make_element(employee)
    response = employee_client.get(reverse("registry:element-submit", args=[element.pk]))
    content = response.content.decode()
    assert content.count('class="checklist-item complete"') == 17
    assert 'id="review-deadline"' in content and "000 §21" in content


def test_incomplete_submission_lists_missing_then_submit_anyway(employee_client: Client, employee):
    """000 §20, §23.2: missing fields are listed; "submit anyway" sends it for review."""
    element = make_element(employee, complete=False)
    url = reverse("registry:element-submit", args=[element.pk])
    response = employee_client.post(url, {"action": "submit"})
    content = response.content.decode()
    assert response.status_code == 400
    assert "missing fields of 000 §20" in content
    assert 'name="allow_incomplete"' in content
    assert '<li data-field="17">' in content
    assert not Submission.objects.exists()
    response = employee_client.post(url, {"action": "submit", "allow_incomplete": "on"})
    assert response.status_code == 302
    element.refresh_from_db()
    assert element.status == ElementStatus.SUBMITTED


def test_double_submission_shows_the_service_error(employee_client: Client, employee):
    """000 §21: a record awaiting review cannot be submitted again."""
    element = make_element(employee)
    url = reverse("registry:element-submit", args=[element.pk])
    assert employee_client.post(url, {"action": "submit"}).status_code == 302
    response = employee_client.post(url, {"action": "submit"})
    assert response.status_code == 409
    assert "already been submitted" in response.content.decode()
    assert Submission.objects.count() == 1


def test_decommissioning_flags_a_late_notice(employee_client: Client, employee, operator):
    """000 §28–29: a notice later than 7 days is accepted, flagged late, recording date shown."""
    element = make_registered(employee, operator)
    # Registered well before the decision: a decision cannot precede the registration.
    Element.objects.filter(pk=element.pk).update(registered_at=timezone.now() - timedelta(days=60))
    response = employee_client.post(
        reverse("registry:decommissioning-create", args=[element.pk]),
        {
            "decision_date": (today_local() - timedelta(days=30)).isoformat(),
            "decision_reference": "Order No. 7",
            "decision_copy": pdf("decision.pdf"),
            "reason": "Replaced by a new system",
        },
        follow=True,
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="notice-late"' in content and "000 §28" in content
    assert 'id="record-due"' in content
    element.refresh_from_db()
    assert element.status == ElementStatus.DECOMMISSIONING_NOTIFIED


def test_decommissioning_needs_the_decision_copy(employee_client: Client, employee, operator):
    """000 §28: the notice carries a copy of the decision; a missing file is reported."""
    element = make_registered(employee, operator)
    response = employee_client.post(
        reverse("registry:decommissioning-create", args=[element.pk]),
        {"decision_date": today_local().isoformat(), "decision_reference": "Order No. 7"},
    )
    assert response.status_code == 400
    assert 'id="errors-decision_copy"' in response.content.decode()


def test_answer_an_information_request(
    employee_client: Client, employee, operator, authorised_body
):
    """000 §10: the subject answers the authorised body's request for more information."""
    element = make_registered(employee, operator)
    request = services.ask(authorised_body, element, "How many servers?")
    dashboard = employee_client.get(reverse("registry:dashboard")).content.decode()
    assert "How many servers?" in dashboard
    response = employee_client.post(
        reverse("registry:information-request-answer", args=[request.pk]), {"answer": "Four."}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.answer == "Four."


def test_dashboard_shows_refusal_with_missing_fields(employee_client: Client, employee, operator):
    """000 §23: a refusal shows its ground, explanation and the missing fields."""
    element = make_element(employee, complete=False)
    submission = services.submit_element(employee, element, allow_incomplete=True)
    services.refuse(operator, submission, "incomplete", "Please add the commissioning act.")
    content = employee_client.get(reverse("registry:dashboard")).content.decode()
    assert "Please add the commissioning act." in content
    assert "17 (Act of commissioning)" in content


@pytest.mark.parametrize(
    ("role_fixture", "target"),
    [("operator", "registry:submission-queue"), ("authorised_body", "registry:application-list")],
)
def test_dashboard_redirects_staff(client: Client, request, role_fixture, target):
    """Staff start on their own queues rather than the subject's dashboard."""
    try:
        expected = reverse(target)
    except NoReverseMatch:
        pytest.skip("the staff pages are not integrated yet")
    client.force_login(request.getfixturevalue(role_fixture))
    response = client.get(reverse("registry:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == expected
