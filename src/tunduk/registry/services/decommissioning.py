"""Decommissioning: the subject's notice, the authorised body's agreement, the operator's record."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tunduk import limits
from tunduk.accounts.actors import signed_in_user
from tunduk.accounts.choices import Role
from tunduk.core.actors import Actor
from tunduk.core.audit import Event
from tunduk.core.errors import InvalidInput, TransitionError
from tunduk.core.permissions import require_role
from tunduk.core.services import service
from tunduk.core.text import require_one_line
from tunduk.registry.choices import DecommissioningStatus, DocumentKind
from tunduk.registry.lifecycle import Action, allowed, next_status
from tunduk.registry.models import DecommissioningNotice, Element
from tunduk.registry.permissions import require_element_owner
from tunduk.registry.services import _tell
from tunduk.registry.services._changes import commit_change
from tunduk.registry.services.elements import store_document
from tunduk.registry.signals import element_decommissioned
from tunduk.workdays.deadlines import Deadline, due_date, today_local


@service
def notify_decommissioning(
    user: Actor,
    element: Element,
    *,
    decision_date: date,
    decision_reference: str,
    decision_copy: UploadedFile[bytes],
    reason: str = "",
) -> DecommissioningNotice:
    """File the notice with the decision copy (000 §28); a late notice is accepted but flagged."""
    element = Element.objects.select_for_update().get(pk=element.pk)
    require_element_owner(user, element, action="notify_decommissioning")
    if not allowed(element.status, Action.NOTIFY_DECOMMISSIONING):
        raise TransitionError(
            _("Only a registered element can be decommissioned; this one is “%(status)s”.")
            % {"status": element.get_status_display()},
            field="status",
        )
    _require_plausible_decision_date(element, decision_date)
    today = today_local()
    if not decision_reference.strip():
        raise InvalidInput(_("Give the number of the decision."), field="decision_reference")
    require_one_line(decision_reference, "decision_reference")
    document = store_document(
        user,
        element,
        DocumentKind.DECOMMISSIONING_DECISION,
        decision_copy,
        _("Decision %(reference)s") % {"reference": decision_reference.strip()},
    )
    notice_due = due_date(Deadline.DECOMMISSIONING_NOTICE, decision_date)
    now = timezone.now()
    notice = DecommissioningNotice.objects.create(
        element=element,
        decision_date=decision_date,
        decision_reference=decision_reference.strip(),
        decision_document=document,
        reason=reason.strip(),
        notified_by=signed_in_user(user),
        notified_at=now,
        notice_due=notice_due,
        is_late=today > notice_due,
        record_due=due_date(Deadline.DECOMMISSIONING_RECORD, now),
    )
    element.status = next_status(element.status, Action.NOTIFY_DECOMMISSIONING)
    element.save(update_fields=["status", "updated_at"])
    commit_change(
        element,
        Event.DECOMMISSIONING_NOTIFIED,
        user,
        journal=[document, notice],
        notice=notice.pk,
        late=notice.is_late,
    )
    _tell.decommissioning_notified(notice)
    return notice


def _lock(
    notice: DecommissioningNotice, expected: DecommissioningStatus
) -> tuple[DecommissioningNotice, Element]:
    notice = DecommissioningNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.status != expected:
        raise TransitionError(
            _("This notice is “%(status)s”; the action needs it to be “%(expected)s”.")
            % {"status": notice.get_status_display(), "expected": expected.label},
            field="status",
        )
    return notice, Element.objects.select_for_update().get(pk=notice.element_id)


def _require_plausible_decision_date(element: Element, decision_date: date) -> None:
    """The decision lies between the element's registration (or 1991) and today (000 §28)."""
    if decision_date > today_local():
        raise InvalidInput(_("The decision date cannot be in the future."), field="decision_date")
    if decision_date < limits.EARLIEST_DATE:
        raise InvalidInput(
            _("The decision date cannot be before %(date)s.")
            % {"date": date_format(limits.EARLIEST_DATE, "SHORT_DATE_FORMAT")},
            field="decision_date",
        )
    registered = element.registered_at and timezone.localdate(element.registered_at)
    if registered and decision_date < registered:
        raise InvalidInput(
            _("The decision date cannot precede the element's registration on %(date)s.")
            % {"date": date_format(registered, "SHORT_DATE_FORMAT")},
            field="decision_date",
        )


@service
def decide_decommissioning(
    user: Actor, notice: DecommissioningNotice, *, agree: bool, comment: str = ""
) -> DecommissioningNotice:
    """The authorised body agrees (or does not agree) the decommissioning (000 §27)."""
    require_role(user, Role.AUTHORISED_BODY, obj=notice, action="decide_decommissioning")
    notice, element = _lock(notice, DecommissioningStatus.NOTIFIED)
    if not agree and not comment.strip():
        raise InvalidInput(_("Explain why the decommissioning is not agreed."), field="comment")
    action = Action.AGREE_DECOMMISSIONING if agree else Action.REJECT_DECOMMISSIONING
    element.status = next_status(element.status, action)
    element.save(update_fields=["status", "updated_at"])
    notice.status = DecommissioningStatus.AGREED if agree else DecommissioningStatus.NOT_AGREED
    notice.agreed_by = signed_in_user(user)
    notice.agreed_at = timezone.now()
    notice.agreement_comment = comment.strip()
    notice.save()
    commit_change(
        element,
        Event.DECOMMISSIONING_AGREED,
        user,
        journal=[notice],
        notice=notice.pk,
        agreed=agree,
    )
    _tell.decommissioning_decided(notice, agreed=agree)
    return notice


@service
def record_decommissioning(user: Actor, notice: DecommissioningNotice) -> DecommissioningNotice:
    """The operator enters the termination into the Registry (000 §29); nothing is erased."""
    require_role(user, Role.OPERATOR, obj=notice, action="record_decommissioning")
    notice, element = _lock(notice, DecommissioningStatus.AGREED)
    now = timezone.now()
    element.status = next_status(element.status, Action.RECORD_DECOMMISSIONING)
    element.decommissioned_at = now
    element.save(update_fields=["status", "decommissioned_at", "updated_at"])
    notice.status = DecommissioningStatus.RECORDED
    notice.recorded_by = signed_in_user(user)
    notice.recorded_at = now
    notice.save()
    commit_change(element, Event.ELEMENT_DECOMMISSIONED, user, journal=[notice], notice=notice.pk)
    _tell.decommissioning_recorded(notice)
    element_decommissioned.send(sender=Element, element=element)
    return notice
