"""The Registry's receivers of other apps' signals."""

from __future__ import annotations

from typing import Any

from tunduk.core.actors import Actor
from tunduk.workdays.models import CalendarChange
from tunduk.workdays.signals import calendar_changed


def _on_calendar_changed(sender: Any, *, change: CalendarChange, actor: Actor, **_: Any) -> None:
    # Imported here: the services import the models, which are not ready at import time.
    from tunduk.registry.services.deadlines import journal_calendar_change

    journal_calendar_change(actor, change)


def follow_calendar_changes() -> None:
    """Journal every working-day calendar change and recompute the deadlines it moves."""
    calendar_changed.connect(
        _on_calendar_changed, sender=CalendarChange, dispatch_uid="registry-deadlines"
    )
