"""One filter per Catalog list (catalog/filters.py): what each parameter matches, never more."""

from __future__ import annotations

import pytest

from tests.catalog.pages import describe_service
from tunduk.catalog.filters import GrantFilter, ParticipantFilter
from tunduk.catalog.models import Grant, Participant
from tunduk.catalog.services.access import grant_access, revoke_grant
from tunduk.catalog.visibility import visible_grants

pytestmark = pytest.mark.django_db


def test_participants_are_found_by_subject_name_and_member_code(provider, consumer):
    """003 §3.1.1: ``q`` searches the subject's names and the member code, nothing else."""
    everyone = Participant.objects.order_by("member_code")
    by_name = ParticipantFilter(q=f"  {provider[0].subject.name.upper()} ").apply(everyone)
    assert list(by_name) == [provider[0]]
    assert list(ParticipantFilter(q="70000002").apply(everyone)) == [consumer[0]]
    assert list(ParticipantFilter(q="").apply(everyone)) == list(everyone)


def test_grant_filter_false_is_a_value_not_a_missing_parameter(provider, consumer):
    """003 §3.2.8, API: ``active=false`` lists the revoked grants only; leaving it out lists all."""
    _owner, engineer, subsystem = provider
    service = describe_service(engineer, subsystem)
    kept = grant_access(engineer, service, client=consumer[2])
    revoked = revoke_grant(engineer, grant_access(engineer, service, client=subsystem), "Ended")
    grants = Grant.objects.order_by("id")
    assert list(GrantFilter(active=False).apply(grants)) == [revoked]
    assert list(GrantFilter(active=True).apply(grants)) == [kept]
    assert list(GrantFilter().apply(grants)) == [kept, revoked]


def test_a_filter_never_widens_what_the_caller_sees(provider, consumer):
    """003 §3.2.8: naming another participant's service in a filter shows none of its grants."""
    _owner, engineer, subsystem = provider
    service = describe_service(engineer, subsystem)
    grant_access(engineer, service, client=subsystem)
    outsider = consumer[1]
    found = GrantFilter(service=service.pk).apply(visible_grants(outsider))
    assert list(found) == []
    assert list(GrantFilter(service=service.pk).apply(visible_grants(engineer))) != []
