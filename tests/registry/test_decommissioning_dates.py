"""The decision to stop operation is dated between the registration and today (000 §28)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.factories import make_registered, pdf
from tunduk.core.errors import InvalidInput
from tunduk.registry import services
from tunduk.registry.models import DecommissioningNotice, Element

pytestmark = pytest.mark.django_db


def _notify(employee, element, decision_date: date) -> DecommissioningNotice:
    return services.notify_decommissioning(
        employee,
        element,
        decision_date=decision_date,
        decision_reference="Order No. 7",
        decision_copy=pdf("decision.pdf"),
    )


@pytest.mark.parametrize(
    "decision_date",
    [date(1900, 1, 1), date(1990, 12, 31)],
)
def test_000_s28_decision_before_1991_is_refused(employee, operator, decision_date):
    """000 §28: a decision dated before 1991 is refused on the decision date, nothing stored."""
    element = make_registered(employee, operator)
    with pytest.raises(InvalidInput) as error:
        _notify(employee, element, decision_date)
    assert error.value.field == "decision_date"
    assert not DecommissioningNotice.objects.exists()


def test_000_s28_decision_before_registration_is_refused(employee, operator):
    """000 §28: an element cannot stop operating before it entered the Registry."""
    element = make_registered(employee, operator)
    registered = timezone.now() - timedelta(days=20)
    Element.objects.filter(pk=element.pk).update(registered_at=registered)
    element.refresh_from_db()
    with pytest.raises(InvalidInput) as error:
        _notify(employee, element, timezone.localdate(registered) - timedelta(days=1))
    assert error.value.field == "decision_date"
    notice = _notify(employee, element, timezone.localdate(registered))
    assert notice.decision_date == timezone.localdate(registered)


def test_000_s28_decision_in_the_future_is_refused(employee, operator):
    """000 §28: the decision has been taken: tomorrow is refused."""
    element = make_registered(employee, operator)
    with pytest.raises(InvalidInput):
        _notify(employee, element, timezone.localdate() + timedelta(days=1))
