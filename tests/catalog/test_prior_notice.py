"""003 §4: suspension, disconnection and leaving take effect no earlier than the notice
period after the notice, except a suspension for a security incident, marked as such."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.catalog.pages import signed_in
from tests.factories import make_participant
from tunduk.catalog.choices import ParticipantStatus
from tunduk.catalog.configuration import current_content
from tunduk.catalog.models import Participant, ParticipantStatusChange
from tunduk.catalog.prior_notice import PRIOR_NOTICE
from tunduk.catalog.services import participants
from tunduk.core.errors import InvalidInput, NotPermitted

pytestmark = pytest.mark.django_db

NOTICE_KINDS = ("suspend", "disconnect", "leave")


def _actor(kind, tunduk_operator, engineer):
    return engineer if kind == "leave" else tunduk_operator


@pytest.mark.parametrize("kind", NOTICE_KINDS)
@pytest.mark.parametrize("early", [None, timedelta(0), timedelta(days=1), PRIOR_NOTICE / 2])
def test_change_before_the_notice_has_run_is_refused(tunduk_operator, kind, early):
    """003 §4: a suspension, disconnection or leaving at once, or sooner than the notice
    period after its notice, is refused naming the field; nothing is recorded."""
    participant, engineer = make_participant(tunduk_operator, "70000030")
    when = None if early is None else timezone.now() + early
    with pytest.raises(InvalidInput) as refused:
        participants.change_status(
            _actor(kind, tunduk_operator, engineer), participant, kind, "Reasons", when
        )
    assert refused.value.field == "effective_at"
    assert "003 §4" in refused.value.message
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.ACTIVE
    assert not participant.status_changes.filter(kind=kind).exists()


@pytest.mark.parametrize("kind", NOTICE_KINDS)
def test_change_after_the_notice_period_waits_for_it(tunduk_operator, kind):
    """003 §4: a change notified the notice period ahead is accepted and applies only then."""
    participant, engineer = make_participant(tunduk_operator, "70000031")
    change = participants.change_status(
        _actor(kind, tunduk_operator, engineer),
        participant,
        kind,
        "Reasons",
        timezone.now() + PRIOR_NOTICE,
    )
    assert change.applied_at is None and not change.security_incident
    assert change.effective_at - change.notice_sent_at >= PRIOR_NOTICE - timedelta(minutes=1)
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.ACTIVE
    assert participants.apply_due_changes() == 0


def test_suspension_for_a_security_incident_applies_at_once_and_is_marked(tunduk_operator):
    """003 §4, §2.4, §2.6: the operator may suspend at once for a security incident; the
    change says so, in the API and on the participant's page."""
    participant, _ = make_participant(tunduk_operator, "70000032")
    change = participants.change_status(
        tunduk_operator, participant, "suspend", "Key compromised", security_incident=True
    )
    assert change.applied_at is not None and change.security_incident
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.SUSPENDED
    members = {m.member_code: m for m in current_content().members}
    assert members["70000032"].status == "suspended"
    page = signed_in(tunduk_operator).get(
        reverse("catalog:participant-detail", args=[participant.pk])
    )
    assert "at once, for a security incident" in page.content.decode()


def test_reinstatement_needs_no_notice(tunduk_operator):
    """003 §4: only suspension, disconnection and leaving wait for the notice period."""
    participant, _ = make_participant(tunduk_operator, "70000033")
    participants.change_status(
        tunduk_operator, participant, "suspend", "Incident", security_incident=True
    )
    change = participants.change_status(tunduk_operator, participant, "reinstate", "Fixed")
    assert change.applied_at is not None
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.ACTIVE


@pytest.mark.parametrize("kind", ["disconnect", "leave"])
def test_security_incident_mark_cannot_skip_other_notices(tunduk_operator, kind):
    """003 §4 (attacker): the security-incident mark makes only a suspension immediate; a
    disconnection or leaving marked so is refused, naming the mark."""
    participant, engineer = make_participant(tunduk_operator, "70000034")
    with pytest.raises(InvalidInput) as refused:
        participants.change_status(
            _actor(kind, tunduk_operator, engineer),
            participant,
            kind,
            "Now",
            security_incident=True,
        )
    assert refused.value.field == "security_incident"
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.ACTIVE


def test_participant_cannot_suspend_itself_or_others_at_once(tunduk_operator):
    """003 §4 (attacker): only the operator suspends, with or without the mark."""
    victim, _ = make_participant(tunduk_operator, "70000035")
    _, intruder = make_participant(tunduk_operator, "70000036")
    with pytest.raises(NotPermitted):
        participants.change_status(intruder, victim, "suspend", "Spite", security_incident=True)
    assert Participant.objects.get(pk=victim.pk).status == ParticipantStatus.ACTIVE


def test_immediate_suspension_without_the_mark_is_refused_over_the_api(tunduk_operator, api_as):
    """003 §4 (attacker): an immediate suspension through the API without the security-incident
    mark is refused with 400 naming ``effective_at``; nothing is stored."""
    participant, _ = make_participant(tunduk_operator, "70000037")
    path = f"/catalog/participants/{participant.pk}/status-changes"
    for body in (
        {"kind": "suspend", "reason": "Now"},
        {"kind": "suspend", "reason": "Now", "effective_at": timezone.now().isoformat()},
    ):
        response = api_as(tunduk_operator).post(path, body)
        assert response.status_code == 400, response.json()
        assert response.json()["field"] == "effective_at"
    assert not participant.status_changes.filter(kind="suspend").exists()
    marked = api_as(tunduk_operator).post(
        path, {"kind": "suspend", "reason": "Key leaked", "security_incident": True}
    )
    assert marked.status_code == 201 and marked.json()["security_incident"] is True


def test_form_left_empty_schedules_the_earliest_allowed_time(tunduk_operator):
    """003 §4: the operator's form without a time notifies the suspension for the end of the
    notice period; only the checked security-incident box suspends at once."""
    participant, _ = make_participant(tunduk_operator, "70000038")
    url = reverse("catalog:participant-detail", args=[participant.pk])
    client = signed_in(tunduk_operator)
    response = client.post(url, {"reason": "Audit findings", "action": "suspend"})
    assert response.status_code == 302
    change = participant.status_changes.get(kind="suspend")
    assert change.effective_at - change.notice_sent_at >= PRIOR_NOTICE
    assert Participant.objects.get(pk=participant.pk).status == ParticipantStatus.ACTIVE


def test_due_change_is_in_effect_before_the_scheduled_task_runs(tunduk_operator, api_as):
    """003 §4: once its notice has run, a change is in effect for every reader (the global
    configuration, the API, the rules of the services) even if no task applied it yet."""
    participant, _engineer = make_participant(tunduk_operator, "70000039")
    change = participants.change_status(
        tunduk_operator, participant, "suspend", "Audit", timezone.now() + PRIOR_NOTICE
    )
    ParticipantStatusChange.objects.filter(pk=change.pk).update(
        effective_at=timezone.now() - timedelta(seconds=1)
    )
    shown = api_as(tunduk_operator).get(f"/catalog/participants/{participant.pk}").json()
    assert shown["status"] == "suspended"
    Participant.objects.filter(pk=participant.pk).update(status=ParticipantStatus.ACTIVE)
    ParticipantStatusChange.objects.filter(pk=change.pk).update(applied_at=None)
    members = {m.member_code: m for m in current_content().members}
    assert members["70000039"].status == "suspended"
