"""The demo data that ``make run`` loads."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tunduk.registry.choices import ElementStatus, ElementType
from tunduk.registry.models import Element, Submission
from tunduk.workdays.deadlines import is_overdue

pytestmark = pytest.mark.django_db


def test_demo_has_every_state_and_type_and_loads_once():
    """000 appendix, §21–29: the demo shows all four types, every life-cycle state and an overdue review."""
    call_command("load_demo", verbosity=0)
    statuses = set(Element.objects.values_list("status", flat=True))
    assert statuses == set(ElementStatus.values)
    assert set(Element.objects.values_list("element_type", flat=True)) >= set(ElementType.values)
    assert any(is_overdue(s.due_date) for s in Submission.objects.filter(status="open"))
    count = Element.objects.count()
    call_command("load_demo", verbosity=0)
    assert Element.objects.count() == count
