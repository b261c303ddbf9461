"""What the working-day calendar tells the apps built on it.

``calendar_changed`` is sent inside the transaction that changed a day transfer, with
``change`` (the stored :class:`~tunduk.workdays.models.CalendarChange`) and ``actor``.
The Registry journals the change and recomputes its open deadlines in its receiver; if a
receiver fails, the transfer is not changed either.
"""

from __future__ import annotations

from django.dispatch import Signal

__all__ = ["calendar_changed"]

calendar_changed = Signal()
