"""Open deadlines follow the working-day calendar: a change to it recomputes them.

When the operator enters, edits or removes a decreed day transfer after a deadline was
set, every deadline still running is computed again from its start with the calendar as
it now is. Each due date that moves is saved, audited and journaled in the same
transaction as the calendar change, naming that change; the change itself is journaled
too, so the public log shows why a legal deadline moved.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db import models

from tunduk.core.actors import Actor
from tunduk.core.audit import Event
from tunduk.journaling.changes import commit_event
from tunduk.journaling.log import append_change
from tunduk.registry.choices import ApplicationStatus, DecommissioningStatus, SubmissionStatus
from tunduk.registry.models import AccessApplication, DecommissioningNotice, Submission
from tunduk.workdays.calendar import WorkingCalendar
from tunduk.workdays.deadlines import Deadline, due_date
from tunduk.workdays.models import CalendarChange

__all__ = ["journal_calendar_change", "recompute_open_deadlines"]

# What runs while it is open: (rows, the deadline, the start column, the due column).
OPEN_DEADLINES: tuple[tuple[Any, Deadline, str, str], ...] = (
    (
        Submission.objects.filter(status=SubmissionStatus.OPEN),
        Deadline.ELEMENT_REVIEW,
        "submitted_at",
        "due_date",
    ),
    (
        AccessApplication.objects.filter(status=ApplicationStatus.RECEIVED),
        Deadline.APPLICATION_FORWARD,
        "received_at",
        "forward_due",
    ),
    (
        DecommissioningNotice.objects.filter(status=DecommissioningStatus.AGREED),
        Deadline.DECOMMISSIONING_RECORD,
        "agreed_at",
        "record_due",
    ),
)


def _moved(
    rows: Iterable[models.Model],
    deadline: Deadline,
    start: str,
    due: str,
    calendar: WorkingCalendar,
) -> Iterable[tuple[models.Model, date, date]]:
    for row in rows:
        began: datetime | None = getattr(row, start)
        old: date | None = getattr(row, due)
        if began is None or old is None:
            continue
        new = due_date(deadline, began, calendar)
        if new != old:
            yield row, old, new


def recompute_open_deadlines(actor: Actor, cause: CalendarChange) -> int:
    """Compute every open deadline again; save, audit and journal those that moved.

    Runs inside the calendar change's transaction. Returns how many deadlines moved.
    """
    calendar = WorkingCalendar()
    moved = 0
    for queryset, deadline, start, due in OPEN_DEADLINES:
        rows = queryset.all().select_for_update().order_by("pk")
        for row, old, new in list(_moved(rows, deadline, start, due, calendar)):
            setattr(row, due, new)
            row.save(update_fields=[due])
            commit_event(
                Event.DEADLINE_RECOMPUTED,
                row,
                actor,
                deadline=deadline.name,
                rule=deadline.rule,
                old=old.isoformat(),
                new=new.isoformat(),
                calendar_change=cause.pk,
            )
            moved += 1
    return moved


def journal_calendar_change(actor: Actor, change: CalendarChange) -> None:
    """Journal a change to the working-day calendar, then move the deadlines it moves."""
    append_change(
        Event.DAY_TRANSFER_CHANGED,
        change,
        actor,
        {"action": change.action, "date": change.date.isoformat(), "changes": change.changes},
    )
    recompute_open_deadlines(actor, change)
