"""Issue 7 (7): the decommissioning notice's decision number is one line."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.factories import make_registered, pdf
from tunduk.core.errors import InvalidInput
from tunduk.registry import services
from tunduk.registry.models import DecommissioningNotice

pytestmark = pytest.mark.django_db


def test_decision_reference_with_a_line_break_is_refused(employee, operator):
    """Issue 7 (7): a decision number with CR/LF (it titles the decision copy) names its field."""
    element = make_registered(employee, operator)
    with pytest.raises(InvalidInput) as error:
        services.notify_decommissioning(
            employee,
            element,
            decision_date=timezone.localdate(),
            decision_reference="Order 5\r\nX-Injected: yes",
            decision_copy=pdf("decision.pdf"),
        )
    assert error.value.field == "decision_reference"
    assert not DecommissioningNotice.objects.exists()
