"""Signed agreements: the connection agreement with the operator and SLAs (003 §2.5, §7.2).

The operator records each participant's connection agreement; a service's owner records
the service-level agreements it concludes with other participants (003 §2.5, §3.2.9).
Agreements are never deleted: a termination is recorded with its reason (003 §7.2).

No exchange without a connection agreement (003 §2.1, §7.2–7.4):

- recording one activates a participant that was only registered;
- a new one supersedes the one in force at once (003 §7.3), and withdraws a disconnection
  still pending because the old one was ended;
- ending one (the operator, or the participant itself) starts the disconnection (or the
  leaving) of 003 §4 with its prior notice: the agreement stays in force until the notice
  has run, and the participant's status change takes effect at that same moment.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from tunduk.accounts.actors import signed_in_user
from tunduk.accounts.choices import Role
from tunduk.catalog.choices import AgreementKind, ParticipantStatus, StatusChangeKind
from tunduk.catalog.lifecycle import AGREEMENT, PARTICIPANT, Action, agreement_status
from tunduk.catalog.models import Agreement, Participant, Service
from tunduk.catalog.models.agreements import in_force
from tunduk.catalog.prior_notice import check_effective_at, earliest_effect
from tunduk.catalog.services import participants as participant_status
from tunduk.catalog.services._common import (
    commit_event,
    require_member_of,
    require_tunduk_operator,
    service,
)
from tunduk.core.actors import Actor
from tunduk.core.audit import Event
from tunduk.core.errors import InvalidInput
from tunduk.registry.services.elements import check_document


def _require_party_rights(
    user: Actor, kind: str, participant: Participant, obj: Any = None
) -> None:
    """The operator acts on connection agreements, the service owner on its SLAs."""
    if kind == AgreementKind.CONNECTION:
        require_tunduk_operator(user, obj or participant, "agreement")
    else:
        require_member_of(user, participant, obj=obj, action="agreement")


def _check_parties(
    kind: str,
    participant: Participant,
    counterparty: Participant | None,
    service_obj: Service | None,
) -> None:
    if kind == AgreementKind.CONNECTION:
        if counterparty is not None or service_obj is not None:
            raise InvalidInput(
                _("A connection agreement is between the operator and one participant only."),
                field="counterparty" if counterparty is not None else "service",
            )
        return
    if counterparty is None:
        raise InvalidInput(
            _("Name the other participant of the service-level agreement (003 §2.5)."),
            field="counterparty",
        )
    if counterparty.pk == participant.pk or not counterparty.is_active:
        raise InvalidInput(
            _("The counterparty must be another active participant of Tunduk."),
            field="counterparty",
        )
    if service_obj is not None and service_obj.subsystem.participant_id != participant.pk:
        raise InvalidInput(
            _("An SLA may cover only a service of your own participant."), field="service"
        )


def _check_dates(signed_on: date, valid_until: date | None) -> None:
    if signed_on > timezone.localdate():
        raise InvalidInput(_("The signing date cannot be in the future."), field="signed_on")
    if valid_until is not None and valid_until <= signed_on:
        raise InvalidInput(
            _("The agreement must be valid until a date after it was signed."),
            field="valid_until",
        )


def _checked_upload(
    upload: UploadedFile[bytes] | None,
) -> tuple[UploadedFile[bytes], tuple[str, str]]:
    if upload is None:
        raise InvalidInput(_("Attach the signed copy of the agreement."), field="document")
    try:
        return upload, check_document(upload)
    except InvalidInput as error:
        raise InvalidInput(error.message, field="document") from error


@service
def record_agreement(
    user: Actor,
    participant: Participant,
    *,
    kind: str,
    number: str,
    signed_on: date,
    document_upload: UploadedFile[bytes] | None,
    counterparty: Participant | None = None,
    service: Service | None = None,
    valid_until: date | None = None,
    notes: str = "",
) -> Agreement:
    """Record a signed agreement with its signed copy (connection: operator; SLA: owner)."""
    if kind not in AgreementKind.values:
        raise InvalidInput(_("Unknown agreement kind “%(kind)s”.") % {"kind": kind}, field="kind")
    _require_party_rights(user, kind, participant)
    if not number.strip():
        raise InvalidInput(_("Give the agreement's number."), field="number")
    _check_dates(signed_on, valid_until)
    _check_parties(kind, participant, counterparty, service)
    upload, (sha256, media_type) = _checked_upload(document_upload)
    agreement = Agreement.objects.create(
        kind=kind,
        participant=participant,
        counterparty=counterparty,
        service=service,
        number=number.strip()[:100],
        signed_on=signed_on,
        valid_until=valid_until,
        original_name=(upload.name or "")[:255],
        content_type=media_type,
        size=upload.size or 0,
        sha256=sha256,
        notes=notes.strip(),
        recorded_by=signed_in_user(user),
    )
    # The path names the agreement's id, known only once the row exists.
    agreement.document.save(sha256, upload, save=False)
    agreement.save(update_fields=["document"])
    commit_event(
        Event.AGREEMENT_RECORDED,
        agreement,
        user,
        kind=kind,
        participant=str(participant.identifier),
        counterparty=str(counterparty.identifier) if counterparty else "",
        sha256=sha256,
    )
    if kind == AgreementKind.CONNECTION:
        _supersede_earlier(user, agreement)
        _activate(user, agreement)
    return agreement


def _supersede_earlier(user: Actor, agreement: Agreement) -> None:
    """003 §7.3: every earlier connection agreement loses force once the new one is in force."""
    now = timezone.now()
    earlier = (
        Agreement.objects.select_for_update()
        .filter(in_force(now), kind=AgreementKind.CONNECTION, participant=agreement.participant)
        .exclude(pk=agreement.pk)
    )
    for old in earlier:
        AGREEMENT.next_status(agreement_status(old, now), Action.SUPERSEDE)
        old.terminated_at = now
        old.superseded_by = agreement
        if not old.termination_reason:
            old.termination_reason = _("Superseded by agreement %(number)s (003 §7.3).") % {
                "number": agreement.number
            }
        old.save(update_fields=["terminated_at", "superseded_by", "termination_reason"])
        participant_status.withdraw_pending(old)
        commit_event(
            Event.AGREEMENT_TERMINATED, old, user, kind=old.kind, superseded_by=agreement.pk
        )


def _activate(user: Actor, agreement: Agreement) -> None:
    """003 §2.1: a registered participant becomes active once its agreement is in force."""
    participant = Participant.objects.select_for_update().get(pk=agreement.participant_id)
    if participant.status != ParticipantStatus.REGISTERED:
        return
    participant_status.notify_change(
        user,
        participant,
        StatusChangeKind.ACTIVATE,
        _("Connection agreement %(number)s is in force (003 §2.1).") % {"number": agreement.number},
        timezone.now(),
        agreement=agreement,
    )


def _require_termination_rights(user: Actor, agreement: Agreement) -> str:
    """Either party may end a connection agreement (003 §7.2): the operator, which starts a
    disconnection, or the participant's own employee, which starts its leaving (003 §4).
    Returns the status change the termination starts."""
    if agreement.kind != AgreementKind.CONNECTION:
        _require_party_rights(user, agreement.kind, agreement.participant, obj=agreement)
        return ""
    if user.is_authenticated and user.role == Role.TUNDUK_OPERATOR:
        return StatusChangeKind.DISCONNECT
    require_member_of(user, agreement.participant, obj=agreement, action="agreement")
    return StatusChangeKind.LEAVE


@service
def terminate_agreement(
    user: Actor, agreement: Agreement, reason: str, effective_at: datetime | None = None
) -> Agreement:
    """Record that a party gave written notice of termination (003 §7.2).

    An SLA ends at once. A connection agreement stays in force until ``effective_at`` (the
    end of the prior notice when omitted, never earlier) and its termination starts the
    participant's disconnection or leaving of 003 §4, taking effect at the same moment.
    """
    agreement = (
        Agreement.objects.select_for_update().select_related("participant").get(pk=agreement.pk)
    )
    change_kind = _require_termination_rights(user, agreement)
    now = timezone.now()
    AGREEMENT.next_status(agreement_status(agreement, now), Action.TERMINATE)
    if not reason.strip():
        raise InvalidInput(
            _("State the reason for terminating the agreement (003 §7.2)."),
            field="termination_reason",
        )
    ends_at = now
    if change_kind:
        ends_at = check_effective_at(
            change_kind,
            now,
            effective_at or earliest_effect(change_kind, now),
            security_incident=False,
        )
    agreement.termination_notified_at = now
    agreement.terminated_at = ends_at
    agreement.termination_reason = reason.strip()
    agreement.save(update_fields=["termination_notified_at", "terminated_at", "termination_reason"])
    commit_event(
        Event.AGREEMENT_TERMINATED,
        agreement,
        user,
        kind=agreement.kind,
        terminated_at=ends_at.isoformat(),
    )
    participant = Participant.objects.select_for_update().get(pk=agreement.participant_id)
    if change_kind and PARTICIPANT.allowed(participant.status, change_kind):
        participant_status.notify_change(
            user, participant, change_kind, reason.strip(), ends_at, agreement=agreement
        )
    return agreement
