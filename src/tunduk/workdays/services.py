"""Writes to the transfer table.

Each write, in one transaction: the transfer, a ``CalendarChange`` history row, its audit
event, and the ``calendar_changed`` signal, on which the Registry journals the change
and recomputes the open deadlines it moves. If any of them fails, nothing is saved.
"""

from __future__ import annotations

from django.db import transaction

from tunduk.accounts.actors import signed_in_user
from tunduk.core.actors import Actor
from tunduk.core.audit import Event, record
from tunduk.workdays.models import CalendarChange, DayTransfer
from tunduk.workdays.signals import calendar_changed

AUDITED_FIELDS = ("date", "kind", "decree", "note")

__all__ = ["delete_transfer", "save_transfer"]


def _snapshot(transfer: DayTransfer) -> dict[str, str]:
    return {name: str(getattr(transfer, name)) for name in AUDITED_FIELDS}


def save_transfer(transfer: DayTransfer, actor: Actor) -> DayTransfer:
    """Store a new or edited transfer and record who did it and what changed.

    The caller validates first (``full_clean`` or a form); if the audit event cannot be
    written the transfer is not saved either.
    """
    created = transfer._state.adding
    with transaction.atomic():
        before = (
            {}
            if created
            else _snapshot(DayTransfer.objects.select_for_update().get(pk=transfer.pk))
        )
        if actor.is_authenticated:
            transfer.changed_by = signed_in_user(actor)
        transfer.save()
        after = _snapshot(transfer)
        changes = {
            name: {"old": before.get(name), "new": value}
            for name, value in after.items()
            if before.get(name) != value
        }
        action = "created" if created else "updated"
        record(
            Event.DAY_TRANSFER_CHANGED,
            actor=actor,
            obj=transfer,
            action=action,
            date=transfer.date.isoformat(),
            changes=changes,
        )
        _announce(transfer, action, changes, actor)
    return transfer


def _announce(
    transfer: DayTransfer, action: str, changes: dict[str, dict[str, str | None]], actor: Actor
) -> None:
    """Keep the change in the calendar's history and tell the apps whose deadlines it moves."""
    change = CalendarChange.objects.create(
        date=transfer.date,
        action=action,
        changes=changes,
        changed_by=signed_in_user(actor) if actor.is_authenticated else None,
    )
    calendar_changed.send(sender=CalendarChange, change=change, actor=actor)


def delete_transfer(transfer: DayTransfer, actor: Actor) -> None:
    """Remove a transfer, keeping its last state in the audit trail."""
    changes: dict[str, dict[str, str | None]] = {
        name: {"old": value, "new": None} for name, value in _snapshot(transfer).items()
    }
    with transaction.atomic():
        # Recorded first: after delete() the object no longer has a primary key.
        record(
            Event.DAY_TRANSFER_CHANGED,
            actor=actor,
            obj=transfer,
            action="deleted",
            date=transfer.date.isoformat(),
            changes=changes,
        )
        transfer.delete()
        # After the delete, so the deadlines are recomputed without the removed transfer.
        _announce(transfer, "deleted", changes, actor)
