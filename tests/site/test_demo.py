"""The demo data that ``make run`` loads."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import translation

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


def test_printed_demo_accounts_speak_one_language():
    """Issue 11 (10): the account list printed by load_demo is in English throughout."""
    from io import StringIO

    from tunduk.accounts.choices import Role

    output = StringIO()
    call_command("load_demo", stdout=output)
    text = output.getvalue()
    with translation.override("ky"):
        kyrgyz_label = str(Role.OPERATOR.label)
    assert "Registry operator" in text and "Tunduk operator" in text
    assert kyrgyz_label == "Registry operator" or kyrgyz_label not in text


def test_demo_services_about_a_person_mark_their_fields_personal():
    """Issue 11 (10): ПИН, ФИО, date of birth and address are personal data in the demo."""
    from tunduk.catalog.models import SharedField

    call_command("load_demo", verbosity=0)
    for name in ("ПИН", "ФИО", "Дата рождения", "Адрес регистрации"):
        fields = SharedField.objects.filter(name=name)
        assert fields.exists() and not fields.filter(personal_data=False).exists(), name
