"""003 §2.1, §7.2–7.4: no exchange without a connection agreement in force."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import (
    EmployeeFactory,
    csr_for,
    make_participant,
    make_subsystem,
    record_connection_agreement,
)
from tunduk.catalog.choices import ParticipantStatus, StatusChangeKind
from tunduk.catalog.configuration import current_content
from tunduk.catalog.lifecycle import AgreementStatus, agreement_status
from tunduk.catalog.models import Agreement, Participant, ParticipantStatusChange
from tunduk.catalog.prior_notice import PRIOR_NOTICE
from tunduk.catalog.services import gateways, participants
from tunduk.catalog.services.agreements import terminate_agreement
from tunduk.core.errors import InvalidInput, NotPermitted, TransitionError

pytestmark = pytest.mark.django_db


def _members() -> set[str]:
    return {member.member_code for member in current_content().members}


def _published_gateways() -> set[str]:
    return {gateway.server_code for gateway in current_content().gateways}


def _gateway(participant, engineer, tunduk_operator, *, approve: bool = True):
    gateway = gateways.register_gateway(
        engineer, participant, "gw1", "gw1.example.kg", csr_for(participant, server_code="gw1")
    )
    if approve:
        gateways.decide_gateway(tunduk_operator, gateway, approve=True)
    return gateway


def _connection(participant) -> Agreement:
    return Agreement.objects.get(participant=participant, kind="connection", superseded_by=None)


def _notice_has_run(agreement: Agreement) -> None:
    """Move the end of the notice into the past, as if the notice period had passed."""
    past = timezone.now() - timedelta(seconds=1)
    Agreement.objects.filter(pk=agreement.pk).update(terminated_at=past)
    ParticipantStatusChange.objects.filter(agreement=agreement).update(effective_at=past)


def test_registered_participant_joins_the_exchange_only_with_its_agreement(tunduk_operator):
    """003 §2.1: a participant without a connection agreement is registered, not active: it is
    in no global configuration and its gateway cannot be approved; recording the agreement
    activates it."""
    participant, engineer = make_participant(tunduk_operator, "70000010", connected=False)
    assert participant.status == ParticipantStatus.REGISTERED
    make_subsystem(participant, engineer, "births")  # describing its systems is allowed
    gateway = _gateway(participant, engineer, tunduk_operator, approve=False)
    assert "70000010" not in _members()
    with pytest.raises(NotPermitted, match=r"003 §2\.1"):
        gateways.decide_gateway(tunduk_operator, gateway, approve=True)

    record_connection_agreement(tunduk_operator, participant)

    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.ACTIVE
    assert participant.status_changes.get().kind == StatusChangeKind.ACTIVATE
    gateways.decide_gateway(tunduk_operator, gateway, approve=True)
    assert "70000010" in _members() and "gw1" in _published_gateways()


def test_activation_without_an_agreement_is_refused(tunduk_operator):
    """003 §2.1: the operator cannot activate a participant that has no agreement in force."""
    participant, _ = make_participant(tunduk_operator, "70000011", connected=False)
    with pytest.raises(TransitionError) as refused:
        participants.change_status(tunduk_operator, participant, "activate", "Looks ready")
    assert refused.value.field == "agreement"
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.REGISTERED
    assert not participant.status_changes.exists()


def test_ending_the_agreement_starts_the_disconnection_with_prior_notice(tunduk_operator):
    """003 §7.2, §4: the operator's notice of termination starts a disconnection that takes
    effect no earlier than the notice period; until then the participant and its gateways
    stay in the exchange, afterwards they leave it, read before any task ran."""
    participant, engineer = make_participant(tunduk_operator, "70000012")
    _gateway(participant, engineer, tunduk_operator)
    agreement = terminate_agreement(tunduk_operator, _connection(participant), "Breach of 003")

    assert agreement_status(agreement) == AgreementStatus.ENDING
    assert agreement.terminated_at >= agreement.termination_notified_at + PRIOR_NOTICE
    change = participant.status_changes.get(kind=StatusChangeKind.DISCONNECT)
    assert change.effective_at == agreement.terminated_at and change.applied_at is None
    assert change.reason == "Breach of 003"
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.ACTIVE
    assert "70000012" in _members() and "gw1" in _published_gateways()

    _notice_has_run(agreement)

    assert "70000012" not in _members() and "gw1" not in _published_gateways()
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.DISCONNECTED
    agreement.refresh_from_db()
    assert agreement_status(agreement) == AgreementStatus.TERMINATED


def test_participant_ending_its_agreement_starts_its_leaving(tunduk_operator):
    """003 §7.2, §4: the participant may end its own agreement too; that starts its leaving,
    with the same prior notice."""
    participant, engineer = make_participant(tunduk_operator, "70000013")
    agreement = terminate_agreement(engineer, _connection(participant), "We stop using Tunduk")
    change = participant.status_changes.get(kind=StatusChangeKind.LEAVE)
    assert change.effective_at == agreement.terminated_at
    _notice_has_run(agreement)
    participants.apply_due_changes()
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.LEFT


def test_termination_cannot_cut_the_notice_short(tunduk_operator):
    """003 §4: an agreement's termination cannot take effect before the notice has run."""
    participant, _ = make_participant(tunduk_operator, "70000014")
    agreement = _connection(participant)
    with pytest.raises(InvalidInput) as refused:
        terminate_agreement(
            tunduk_operator, agreement, "Too soon", timezone.now() + timedelta(days=1)
        )
    assert refused.value.field == "effective_at"
    agreement.refresh_from_db()
    assert agreement.terminated_at is None and agreement.termination_notified_at is None
    assert not participant.status_changes.exclude(kind=StatusChangeKind.ACTIVATE).exists()


def test_participant_cannot_end_another_participants_agreement(tunduk_operator):
    """003 §7.2 (attacker): an employee of another participant cannot end an agreement it is
    not a party to, neither through the service nor through the API."""
    victim, _ = make_participant(tunduk_operator, "70000015")
    _, intruder = make_participant(tunduk_operator, "70000016")
    agreement = _connection(victim)
    with pytest.raises(NotPermitted):
        terminate_agreement(intruder, agreement, "Hostile takeover")
    with pytest.raises(NotPermitted):
        terminate_agreement(EmployeeFactory(), agreement, "Hostile takeover")
    agreement.refresh_from_db()
    assert agreement.is_active and agreement.termination_notified_at is None
    assert not victim.status_changes.exclude(kind=StatusChangeKind.ACTIVATE).exists()


def test_participant_cannot_end_another_agreement_over_the_api(tunduk_operator, api_as):
    """003 §7.2 (attacker): the API does not even show another participant's agreement."""
    victim, _ = make_participant(tunduk_operator, "70000017")
    _, intruder = make_participant(tunduk_operator, "70000018")
    agreement = _connection(victim)
    response = api_as(intruder).post(
        f"/catalog/agreements/{agreement.pk}/terminate", {"reason": "Hostile"}
    )
    assert response.status_code == 404
    agreement.refresh_from_db()
    assert agreement.termination_notified_at is None


def test_new_agreement_supersedes_the_old_one_automatically(tunduk_operator):
    """003 §7.3: a new connection agreement supersedes the earlier one the moment it is
    recorded, and withdraws the disconnection the earlier one's termination had started."""
    participant, _ = make_participant(tunduk_operator, "70000019")
    old = terminate_agreement(tunduk_operator, _connection(participant), "Renegotiation")
    new = record_connection_agreement(tunduk_operator, participant, number="T-2")

    old.refresh_from_db()
    assert old.superseded_by == new and agreement_status(old) == AgreementStatus.TERMINATED
    assert agreement_status(new) == AgreementStatus.IN_FORCE
    assert (
        Agreement.objects.filter(participant=participant, kind="connection")
        .exclude(pk=old.pk)
        .get()
        == new
    )
    disconnection = participant.status_changes.get(kind=StatusChangeKind.DISCONNECT)
    assert disconnection.withdrawn_at is not None

    ParticipantStatusChange.objects.filter(pk=disconnection.pk).update(
        effective_at=timezone.now() - timedelta(seconds=1)
    )
    assert participants.apply_due_changes() == 0
    assert "70000019" in _members()
    assert Participant.objects.get(pk=participant.pk).status == ParticipantStatus.ACTIVE


def test_new_agreement_in_force_supersedes_without_notice(tunduk_operator):
    """003 §7.3: recording a new agreement while the old one is in force replaces it at once;
    the participant never leaves the exchange."""
    participant, _ = make_participant(tunduk_operator, "70000020")
    old = _connection(participant)
    new = record_connection_agreement(tunduk_operator, participant, number="T-2")
    old.refresh_from_db()
    assert not old.is_active and old.superseded_by == new
    assert "003 §7.3" in old.termination_reason
    assert "70000020" in _members()
