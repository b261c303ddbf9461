"""Background jobs of the Registry, run by django-q2 (see ``tunduk schedule_tasks``).

``send_overdue_reminders`` e-mails the people who must act on a step whose deadline of
the Rules has passed:

=========================================  ===========================  ====================
overdue item                               deadline                     reminded
=========================================  ===========================  ====================
open submission                            review, 000 §21              operators
access application still "received"        forwarding, 000 §18          authorised body
notice "notified" or "agreed"              recording, 000 §29           operators and
                                                                        authorised body
=========================================  ===========================  ====================

Each recipient gets one e-mail listing all their overdue items; an item is reminded at
most once per day (``reminded_at``), and each reminder is written to the audit trail.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tunduk.accounts.choices import Role
from tunduk.accounts.models import User
from tunduk.core.audit import Event, record
from tunduk.core.mail import deliver
from tunduk.registry.choices import ApplicationStatus, DecommissioningStatus, SubmissionStatus
from tunduk.registry.models import AccessApplication, DecommissioningNotice, Submission
from tunduk.workdays.deadlines import Deadline, today_local

__all__ = ["OverdueItem", "find_overdue", "send_overdue_reminders"]


@dataclass(frozen=True)
class OverdueItem:
    """One overdue step: what it is, when it was due, who must act, and where to act."""

    obj: models.Model
    deadline: Deadline
    due: date
    roles: tuple[Role, ...]
    description: str
    url_name: str

    @property
    def url(self) -> str:
        """The absolute address of the page where the step is done."""
        return settings.SITE_URL.rstrip("/") + reverse(self.url_name, args=[self.obj.pk])


def _not_reminded_since(start: datetime) -> Q:
    return Q(reminded_at__isnull=True) | Q(reminded_at__lt=start)


def find_overdue(today: date, reminded_before: datetime) -> list[OverdueItem]:
    """Every item past its due date on ``today`` not reminded since ``reminded_before``."""
    fresh = _not_reminded_since(reminded_before)
    items = [
        OverdueItem(
            submission,
            Deadline.ELEMENT_REVIEW,
            submission.due_date,
            (Role.OPERATOR,),
            _("Review of “%(element)s” (%(subject)s)")
            % {"element": submission.element.full_name, "subject": submission.element.subject},
            "registry:submission-review",
        )
        for submission in Submission.objects.filter(
            fresh, status=SubmissionStatus.OPEN, due_date__lt=today
        ).select_related("element", "element__subject")
    ]
    items += [
        OverdueItem(
            application,
            Deadline.APPLICATION_FORWARD,
            application.forward_due,
            (Role.AUTHORISED_BODY,),
            _("Forwarding the access application of %(subject)s for “%(element)s”")
            % {"subject": application.subject, "element": application.element_full_name},
            "registry:application-detail",
        )
        for application in AccessApplication.objects.filter(
            fresh, status=ApplicationStatus.RECEIVED, forward_due__lt=today
        ).select_related("subject")
    ]
    items += [
        OverdueItem(
            notice,
            Deadline.DECOMMISSIONING_RECORD,
            notice.record_due,
            (Role.OPERATOR, Role.AUTHORISED_BODY),
            _("Decommissioning of “%(element)s” (%(status)s)")
            % {"element": notice.element.full_name, "status": notice.get_status_display()},
            "registry:decommissioning-detail",
        )
        for notice in DecommissioningNotice.objects.filter(
            fresh,
            status__in=(DecommissioningStatus.NOTIFIED, DecommissioningStatus.AGREED),
            record_due__lt=today,
        ).select_related("element")
        # The recording clock starts with the agreement (000 §29); the filter needs a date.
        if notice.record_due is not None
    ]
    return items


def _recipients(role: Role) -> list[User]:
    return list(User.objects.filter(role=role, is_active=True).exclude(email="").order_by("pk"))


def _body(user: User, items: list[OverdueItem], today: date) -> str:
    lines = [
        _("Dear %(name)s,") % {"name": user},
        "",
        _("These steps of the Registry are past their deadline as of %(today)s:")
        % {"today": today.isoformat()},
        "",
    ]
    for item in sorted(items, key=lambda item: (item.due, item.description)):
        lines.append(
            _("- %(what)s: due %(due)s (%(period)s, %(rule)s)")
            % {
                "what": item.description,
                "due": item.due.isoformat(),
                "period": item.deadline.period,
                "rule": item.deadline.rule,
            }
        )
        lines.append(f"  {item.url}")
    lines += ["", _("This reminder is sent once a day while a step is overdue.")]
    return "\n".join(lines)


def send_overdue_reminders(today: date | None = None) -> int:
    """E-mail every person who must act on an overdue step; returns the number of e-mails."""
    today = today or today_local()
    start_of_day = datetime.combine(today, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))
    items = find_overdue(today, start_of_day)
    by_recipient: dict[User, list[OverdueItem]] = defaultdict(list)
    for role in {role for item in items for role in item.roles}:
        for user in _recipients(role):
            by_recipient[user] += [item for item in items if role in item.roles]
    sent: dict[OverdueItem, list[int]] = defaultdict(list)
    with translation.override(settings.LANGUAGE_CODE):
        for user, user_items in by_recipient.items():
            subject = ngettext(
                "Registry: %(count)d overdue step",
                "Registry: %(count)d overdue steps",
                len(user_items),
            ) % {"count": len(user_items)}
            # Already in the worker: send now; a failure is retried later, the loop goes on.
            deliver(subject, _body(user, user_items, today), [user.email])
            for item in user_items:
                sent[item].append(user.pk)
    # A run for a day ahead of the clock (``today`` given) still counts as that day's run.
    _mark_reminded(sent, max(timezone.now(), start_of_day))
    return len(by_recipient)


@transaction.atomic
def _mark_reminded(sent: dict[OverdueItem, list[int]], moment: datetime) -> None:
    """Stamp ``reminded_at`` and audit each reminded item, so it is not reminded again that day."""
    for item, recipients in sent.items():
        type(item.obj)._default_manager.filter(pk=item.obj.pk).update(reminded_at=moment)
        record(
            Event.REMINDER_SENT,
            obj=item.obj,
            deadline=item.deadline.name,
            rule=item.deadline.rule,
            due=item.due.isoformat(),
            recipients=recipients,
        )
