"""The operator's settings of the working-day calendar, read from Django settings."""

from __future__ import annotations

from django.conf import settings

__all__ = ["calendar_deadlines_end_on_working_day"]


def calendar_deadlines_end_on_working_day() -> bool:
    """Whether a calendar-day deadline ending on a day off moves to the next working day.

    On unless the operator sets ``TUNDUK_CALENDAR_DEADLINES_END_ON_WORKING_DAY=false``.
    """
    return bool(getattr(settings, "CALENDAR_DEADLINES_END_ON_WORKING_DAY", True))
