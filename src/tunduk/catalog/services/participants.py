"""Registering participants and changing their status with prior notice (003 §3.1.1, §4).

A participant is registered first and activated only while a connection agreement is in
force (003 §2.1); recording the agreement activates it. Suspension, disconnection and
leaving take effect no earlier than the prior notice after their notice, except a
suspension for a security incident (``tunduk.catalog.prior_notice``). A change notified in
advance is applied by the scheduled ``apply_due_changes`` and, so that nothing reads a
stale state, by every reader that matters (the global configuration, status changes)
before it reads.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tunduk.accounts.actors import signed_in_user
from tunduk.catalog.choices import MemberClass, ParticipantStatus, StatusChangeKind
from tunduk.catalog.lifecycle import DEPARTED, PARTICIPANT
from tunduk.catalog.models import Agreement, Participant, ParticipantStatusChange
from tunduk.catalog.models.agreements import connection_agreement_in_force
from tunduk.catalog.prior_notice import check_effective_at
from tunduk.catalog.services import _tell
from tunduk.catalog.services._common import (
    commit_event,
    configuration_changed,
    require_member_of,
    require_tunduk_operator,
    service,
)
from tunduk.catalog.services.gateways import revoke_departed
from tunduk.core.actors import Actor
from tunduk.core.audit import Event
from tunduk.core.errors import InvalidInput, TransitionError
from tunduk.identifiers import IdentifierError, check_part
from tunduk.journaling.log import append_change
from tunduk.registry.models import Subject


@service
def register_participant(
    user: Actor, subject: Subject, member_class: str, member_code: str
) -> Participant:
    """The operator registers a subject as a member of the exchange (003 §3.1.1)."""
    require_tunduk_operator(user, subject, "register_participant")
    if member_class not in MemberClass.values:
        raise InvalidInput(
            _("“%(value)s” is not a member class of this instance.") % {"value": member_class},
            field="member_class",
        )
    try:
        check_part(member_code, "member code")
    except IdentifierError as error:
        raise InvalidInput(str(error), field="member_code") from error
    if Participant.objects.filter(subject=subject).exists():
        raise InvalidInput(_("This subject is already a participant."), field="subject")
    duplicate = Participant.objects.filter(
        instance=settings.TUNDUK_INSTANCE, member_class=member_class, member_code=member_code
    ).first()
    if duplicate is not None:
        raise InvalidInput(
            _("The member code %(code)s is already used by %(other)s.")
            % {"code": member_code, "other": duplicate.subject},
            field="member_code",
        )
    try:
        with transaction.atomic():
            participant = Participant.objects.create(
                status=ParticipantStatus.REGISTERED,
                subject=subject,
                instance=settings.TUNDUK_INSTANCE,
                member_class=member_class,
                member_code=member_code,
                registered_by=signed_in_user(user),
            )
    except IntegrityError as error:  # a concurrent registration took the code
        raise InvalidInput(_("This member code is already used."), field="member_code") from error
    commit_event(
        Event.PARTICIPANT_REGISTERED, participant, user, member=str(participant.identifier)
    )
    configuration_changed()
    _tell.participant_registered(participant)
    return participant


@service
def change_status(
    user: Actor,
    participant: Participant,
    kind: str,
    reason: str,
    effective_at: datetime | None = None,
    *,
    security_incident: bool = False,
) -> ParticipantStatusChange:
    """Activate, suspend, reinstate or disconnect (the operator) or leave (the participant),
    with notice (003 §4).

    Both sides give prior notice stating their reasons: the other side is e-mailed at once.
    A suspension, disconnection or leaving applies at ``effective_at``, no earlier than the
    prior notice after now, unless it is a suspension for a ``security_incident``, which may
    apply at once and is marked so. ``effective_at`` omitted means now. Activation and
    reinstatement need a connection agreement in force (003 §2.1).
    """
    apply_due_changes(participant)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if kind == StatusChangeKind.LEAVE:
        require_member_of(user, participant, action="leave")
    else:
        require_tunduk_operator(user, participant, f"participant_{kind}")
    if kind not in PARTICIPANT.actions:
        raise InvalidInput(_("Unknown status change “%(kind)s”.") % {"kind": kind}, field="kind")
    if not reason.strip():
        raise InvalidInput(_("State the reasons (003 §4)."), field="reason")
    target = PARTICIPANT.next_status(participant.status, kind)
    if target == ParticipantStatus.ACTIVE:
        require_connection_agreement(participant)
    now = timezone.now()
    effective_at = check_effective_at(kind, now, effective_at, security_incident=security_incident)
    return notify_change(
        user,
        participant,
        kind,
        reason.strip(),
        effective_at,
        security_incident=security_incident,
    )


def require_connection_agreement(participant: Participant) -> None:
    """Refuse to let a participant into the exchange without an agreement in force (003 §2.1)."""
    if not connection_agreement_in_force(participant.pk):
        raise TransitionError(
            _(
                "%(member)s has no connection agreement in force; record the signed agreement "
                "first (003 §2.1, §7.3)."
            )
            % {"member": participant.identifier},
            field="agreement",
        )


def notify_change(
    user: Actor,
    participant: Participant,
    kind: str,
    reason: str,
    effective_at: datetime,
    *,
    security_incident: bool = False,
    agreement: Agreement | None = None,
) -> ParticipantStatusChange:
    """Record a checked change, send its notice and apply it when it is already due."""
    now = timezone.now()
    change = ParticipantStatusChange.objects.create(
        participant=participant,
        kind=kind,
        reason=reason,
        notice_sent_at=now,
        effective_at=effective_at,
        security_incident=security_incident,
        agreement=agreement,
        decided_by=signed_in_user(user),
    )
    commit_event(
        Event.PARTICIPANT_STATUS_NOTIFIED,
        change,
        user,
        kind=kind,
        effective_at=effective_at.isoformat(),
        security_incident=security_incident,
    )
    _tell.status_notified(change)
    if effective_at <= now:
        apply_change(change)
    return change


def apply_change(change: ParticipantStatusChange, target: str | None = None) -> None:
    """Put a notified change into effect (inside the caller's transaction)."""
    participant = Participant.objects.select_for_update().get(pk=change.participant_id)
    # A change notified in advance was checked when notified; it now takes its effect,
    # unless an earlier change (a disconnection, a leaving) made it impossible.
    target = target or PARTICIPANT.transitions.get((participant.status, change.kind))
    if target is None:
        change.withdrawn_at = timezone.now()
        change.save(update_fields=["withdrawn_at"])
        return
    participant.status = target
    participant.save(update_fields=["status"])
    change.applied_at = timezone.now()
    change.save(update_fields=["applied_at"])
    commit_event(
        Event.PARTICIPANT_STATUS_CHANGED,
        participant,
        change.decided_by,
        kind=change.kind,
        status=participant.status,
    )
    append_change(Event.PARTICIPANT_STATUS_CHANGED, change, change.decided_by, {"applied": True})
    if participant.status in DEPARTED:
        revoke_departed(change.decided_by, participant)
    configuration_changed()


@transaction.atomic
def apply_due_changes(participant: Participant | None = None) -> int:
    """Apply every notified change whose time has come (of ``participant`` only, when
    given); returns how many. Scheduled each minute, and called before reading a status."""
    due = ParticipantStatusChange.objects.select_for_update().filter(
        applied_at__isnull=True, withdrawn_at__isnull=True, effective_at__lte=timezone.now()
    )
    if participant is not None:
        due = due.filter(participant=participant)
    changes = list(due.order_by("effective_at", "id"))
    for change in changes:
        apply_change(change)
    return len(changes)


def withdraw_pending(agreement: Agreement, **filters: Any) -> int:
    """Withdraw the changes still pending because ``agreement`` was ended (003 §7.3)."""
    return ParticipantStatusChange.objects.filter(
        agreement=agreement, applied_at__isnull=True, withdrawn_at__isnull=True, **filters
    ).update(withdrawn_at=timezone.now())
