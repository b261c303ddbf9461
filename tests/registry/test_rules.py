"""Rules of 000 §14–§31 that no other test module names, checked through services and pages."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.factories import EmployeeFactory, make_element, make_registered, pdf
from tunduk.accounts.choices import Role
from tunduk.core.errors import InvalidInput, NotPermitted, TransitionError
from tunduk.registry import services
from tunduk.registry.choices import ElementStatus
from tunduk.registry.models import Element, ElementVersion

pytestmark = pytest.mark.django_db

APPLICATION = {
    "subject_address": "Bishkek, Chui avenue 1",
    "element_full_name": "Portal of state services",
    "element_short_name": "Portal",
    "element_type": "information_system",
    "employee_full_name": "Emil Satybaldiev",
    "employee_position": "IT specialist",
    "employee_email": "emil@gov.kg",
    "appointment_decision": "Order No. 12 of 1 March 2026",
}


def _decommissioned(employee, operator, authorised_body) -> Element:
    element = make_registered(employee, operator)
    notice = services.notify_decommissioning(
        employee,
        element,
        decision_date=timezone.localdate(),
        decision_reference="7",
        decision_copy=pdf(),
    )
    services.decide_decommissioning(authorised_body, notice, agree=True)
    services.record_decommissioning(operator, notice)
    element.refresh_from_db()
    return element


def test_registry_is_kept_by_entering_and_removing_information(employee, operator, authorised_body):
    """000 §14, §3: removal records that operation stopped; the element and every version stay."""
    element = _decommissioned(employee, operator, authorised_body)
    versions = list(ElementVersion.objects.filter(element=element).values_list("number", flat=True))
    assert element.status == ElementStatus.DECOMMISSIONED
    assert versions == list(range(1, len(versions) + 1))
    assert versions[-1] == element.version_number


def test_appointment_decision_is_required(subject):
    """000 §17: the authorised employee is appointed by the subject's decision, which must be given."""
    with pytest.raises(InvalidInput) as error:
        services.submit_application(subject, {**APPLICATION, "appointment_decision": ""})
    assert error.value.field == "appointment_decision"


def test_only_the_employee_granted_by_application_enters_data(subject, operator, authorised_body):
    """000 §25, §19: entering an element rests on the application; the granted employee may enter it."""
    application = services.submit_application(subject, APPLICATION)
    services.forward_application(authorised_body, application)
    invitation = services.grant_application(operator, application)
    employee = invitation.user
    assert employee.role == Role.SUBJECT_EMPLOYEE and employee.subject == subject
    element = services.create_element(employee, subject, {"full_name": "Portal of state services"})
    assert element.subject == subject
    with pytest.raises(NotPermitted):
        services.create_element(operator, subject, {"full_name": "Entered by the operator"})


def test_actions_follow_the_order_of_the_rules(employee, operator, authorised_body):
    """000 §26: steps cannot be skipped or repeated: no recording before agreement, no double agreement."""
    element = make_registered(employee, operator)
    notice = services.notify_decommissioning(
        employee,
        element,
        decision_date=timezone.localdate(),
        decision_reference="8",
        decision_copy=pdf(),
    )
    with pytest.raises(TransitionError):
        services.record_decommissioning(operator, notice)
    services.decide_decommissioning(authorised_body, notice, agree=True)
    with pytest.raises(TransitionError):
        services.decide_decommissioning(authorised_body, notice, agree=True)


def test_registry_data_use_is_regulated(client, employee, operator, authorised_body):
    """000 §30: the public gets public fields only; the authorised body sees the whole record."""
    element = make_registered(employee, operator, architecture="Secret three-tier layout")
    export = b"".join(client.get("/elements/export.csv").streaming_content)
    assert element.full_name.encode() in export
    assert b"Secret three-tier layout" not in export
    assert b"Secret three-tier layout" not in client.get(f"/elements/{element.pk}/").content
    client.force_login(authorised_body)
    assert b"Secret three-tier layout" in client.get(f"/elements/{element.pk}/").content


def test_head_of_the_subject_is_named_on_the_record(client, employee, operator):
    """000 §31: the head of the subject, responsible for the accuracy of the data, is shown."""
    element = make_registered(employee, operator)
    page = client.get(f"/elements/{element.pk}/").content.decode()
    assert employee.subject.head_name in page


def test_only_registered_elements_are_listed_publicly(client, employee, operator):
    """000 §11–13: the public registry lists registered elements, not drafts."""
    registered = make_registered(employee, operator, full_name="Listed system")
    draft = make_element(EmployeeFactory(subject=employee.subject), full_name="Draft system")
    page = client.get("/elements/").content.decode()
    assert registered.full_name in page and draft.full_name not in page
