"""The element life cycle through the services (000 §20–§29)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import EmployeeFactory, make_element, make_registered, pdf
from tunduk.core.errors import IncompleteRecord, InvalidInput, NotPermitted, TransitionError
from tunduk.core.models import AuditEvent
from tunduk.registry import services
from tunduk.registry.choices import ElementStatus, RefusalGround
from tunduk.registry.models import Element

pytestmark = pytest.mark.django_db


def test_submit_incomplete_lists_missing_fields(employee):
    """000 §20: submitting an incomplete record names exactly which of the 17 fields are missing."""
    element = make_element(employee, complete=False)
    with pytest.raises(IncompleteRecord) as error:
        services.submit_element(employee, element)
    assert error.value.missing == [2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]
    element.refresh_from_db()
    assert element.status == ElementStatus.DRAFT


def test_refuse_incomplete_then_resubmit_and_register(employee, operator):
    """000 §23.2 and §21: an incomplete record is refused, completed, resubmitted and registered."""
    element = make_element(employee, complete=False)
    submission = services.submit_element(employee, element, allow_incomplete=True)
    decision = services.refuse(operator, submission, RefusalGround.INCOMPLETE, "Fill in 2–17")
    assert decision.missing_fields[0] == 2
    element.refresh_from_db()
    assert element.status == ElementStatus.REFUSED
    with pytest.raises(IncompleteRecord):
        services.register(
            operator, services.submit_element(employee, element, allow_incomplete=True)
        )


def test_registration_assigns_unique_code(employee, operator):
    """000 §21: registration assigns a unique, stable code that is never reused."""
    first = make_registered(employee, operator)
    second = make_registered(employee, operator, full_name="Second system")
    assert first.status == ElementStatus.REGISTERED
    assert first.registration_code.startswith("IS-")
    assert first.registration_code != second.registration_code


def test_submitting_twice_is_refused(employee):
    """000 §21: a record already awaiting review cannot be submitted again."""
    element = make_element(employee)
    services.submit_element(employee, element)
    with pytest.raises(TransitionError):
        services.submit_element(employee, element)


def test_other_subjects_employee_gets_403_and_is_audited(employee):
    """000 §16–17: an employee of another subject cannot touch the element; the attempt is audited."""
    element = make_element(employee)
    intruder = EmployeeFactory()
    with pytest.raises(NotPermitted):
        services.update_element(intruder, element, {"purpose": "hijack"})
    assert AuditEvent.objects.filter(name="security:permission:denied", actor=intruder).exists()
    element.refresh_from_db()
    assert element.purpose != "hijack"


def test_two_types_rejected(employee):
    """000 appendix §2: an element has exactly one type."""
    element = make_element(employee, complete=False)
    with pytest.raises(InvalidInput) as error:
        services.update_element(employee, element, {"element_type": ["software", "data_centre"]})
    assert error.value.field == "element_type"


def test_late_decommissioning_notice_is_accepted_but_flagged(employee, operator, authorised_body):
    """000 §28–29: a notice later than 7 days is accepted and flagged; the element stays readable."""
    element = make_registered(employee, operator)
    # Registered well before the decision: a decision cannot precede the registration.
    Element.objects.filter(pk=element.pk).update(registered_at=timezone.now() - timedelta(days=60))
    element.refresh_from_db()
    notice = services.notify_decommissioning(
        employee,
        element,
        decision_date=timezone.localdate() - timedelta(days=10),
        decision_reference="Order 5",
        decision_copy=pdf("decision.pdf"),
    )
    assert notice.is_late
    services.decide_decommissioning(authorised_body, notice, agree=True)
    services.record_decommissioning(operator, notice)
    element = Element.objects.get(pk=element.pk)
    assert element.status == ElementStatus.DECOMMISSIONED
    assert element.versions.count() >= 6


def test_decommissioning_unregistered_is_refused(employee):
    """000 §27: only a registered element can be decommissioned."""
    element = make_element(employee)
    with pytest.raises(TransitionError):
        services.notify_decommissioning(
            employee,
            element,
            decision_date=timezone.localdate(),
            decision_reference="1",
            decision_copy=pdf(),
        )
