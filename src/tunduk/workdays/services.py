"""Writes to the transfer table; each one records its audit event in the same transaction."""

from __future__ import annotations

from django.db import transaction

from tunduk.accounts.actors import signed_in_user
from tunduk.core.actors import Actor
from tunduk.core.audit import Event, record
from tunduk.workdays.models import DayTransfer

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
        record(
            Event.DAY_TRANSFER_CHANGED,
            actor=actor,
            obj=transfer,
            action="created" if created else "updated",
            date=transfer.date.isoformat(),
            changes=changes,
        )
    return transfer


def delete_transfer(transfer: DayTransfer, actor: Actor) -> None:
    """Remove a transfer, keeping its last state in the audit trail."""
    with transaction.atomic():
        # Recorded first: after delete() the object no longer has a primary key.
        record(
            Event.DAY_TRANSFER_CHANGED,
            actor=actor,
            obj=transfer,
            action="deleted",
            date=transfer.date.isoformat(),
            changes={
                name: {"old": value, "new": None} for name, value in _snapshot(transfer).items()
            },
        )
        transfer.delete()
