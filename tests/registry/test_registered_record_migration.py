"""The data migration that rebuilds the registered record of elements changed before
proposed changes existed (000 §21, §24): the old edit becomes the proposed change."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from tests.factories import make_registered
from tunduk.core.audit import Event
from tunduk.registry.choices import ElementStatus
from tunduk.registry.models import Element, ProposedChange, SoftwareItem
from tunduk.registry.proposals import element_proposal_numbers
from tunduk.registry.services._changes import commit_change

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "tunduk.registry.migrations.0005_registered_record_from_history"
)


def _edit_as_before(element: Element, employee) -> None:
    """What an edit did before 0004: the registered record itself changed at once."""
    element.full_name = "Renamed before the migration"
    element.save()
    SoftwareItem.objects.filter(element=element).update(name="Oracle")
    commit_change(element, Event.ELEMENT_UPDATED, employee)


def test_000_21_an_old_unreviewed_edit_becomes_the_proposed_change(employee, operator):
    """000 §21, §24: after the migration the public reads the last registered record and
    the old edit is the open proposed change, its versions hidden from the public."""
    element = make_registered(employee, operator)
    untouched = make_registered(employee, operator, full_name="Never changed")
    _edit_as_before(element, employee)
    element.status = ElementStatus.CHANGE_REFUSED
    element.save(update_fields=["status"])
    migration.rebuild(apps, None)
    element.refresh_from_db()
    assert element.full_name == "Unified system of civil registration"
    assert list(element.software.values_list("name", flat=True)) == ["PostgreSQL"]
    change = ProposedChange.objects.get(element=element, is_open=True)
    assert change.record["full_name"] == "Renamed before the migration"
    assert len(element_proposal_numbers(element)) == 1
    assert not ProposedChange.objects.filter(element=untouched).exists()
    assert not element_proposal_numbers(untouched)


def test_an_accepted_old_change_stays_registered(employee, operator):
    """A change the operator accepted before the migration is the registered record."""
    element = make_registered(employee, operator)
    _edit_as_before(element, employee)
    commit_change(element, Event.ELEMENT_REGISTERED, operator)
    migration.rebuild(apps, None)
    element.refresh_from_db()
    assert element.full_name == "Renamed before the migration"
    assert not ProposedChange.objects.filter(element=element).exists()
