"""The deadlines of the Rules (seed 000), kept in one table.

Every deadline is counted from the day after its start: a record received on Friday
with 3 working days to review is due on Wednesday; a notice due 7 calendar days after
a decision of the 1st is due on the 8th. A start given as a datetime is first turned
into its date in ``settings.TIME_ZONE`` (Asia/Bishkek), so an evening submission in
UTC is counted from the Kyrgyz date on which it arrived.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum, StrEnum
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tunduk.workdays.calendar import WorkingCalendar, add_calendar_days
from tunduk.workdays.settings import calendar_deadlines_end_on_working_day

__all__ = [
    "DayCount",
    "Deadline",
    "DeadlineRule",
    "days_left",
    "due_date",
    "is_overdue",
    "local_date",
    "today_local",
]


class DayCount(StrEnum):
    """How the days of a deadline are counted."""

    CALENDAR = "calendar"
    WORKING = "working"


@dataclass(frozen=True)
class DeadlineRule:
    """How long a step may take and which item of the Rules says so."""

    days: int
    counted_in: DayCount
    rule: str
    # Excluded from comparison and hashing: a lazy string must not be translated at import.
    label: Promise = field(compare=False)


class Deadline(Enum):
    """Every deadline the Rules set; the value says how it is counted and where it is written."""

    APPLICATION_FORWARD = DeadlineRule(
        3,
        DayCount.CALENDAR,
        "000 §18",
        _("The authorised body forwards an access application to the operator"),
    )
    ELEMENT_REVIEW = DeadlineRule(
        3,
        DayCount.WORKING,
        "000 §21",
        _("The operator registers a submitted record or refuses it"),
    )
    DECOMMISSIONING_NOTICE = DeadlineRule(
        7,
        DayCount.CALENDAR,
        "000 §28",
        _("The subject notifies the authorised body of a decision to stop operation"),
    )
    DECOMMISSIONING_RECORD = DeadlineRule(
        3,
        DayCount.WORKING,
        "000 §29",
        _("The operator records the decommissioning after receiving the notice"),
    )

    @property
    def days(self) -> int:
        """How many days the step may take."""
        return self.value.days

    @property
    def counted_in(self) -> DayCount:
        """Whether the days are calendar or working days."""
        return self.value.counted_in

    @property
    def rule(self) -> str:
        """The citation of the Rules, e.g. ``000 §21``."""
        return self.value.rule

    @property
    def label(self) -> Promise:
        """What must be done, translated."""
        return self.value.label

    @property
    def period(self) -> str:
        """The period in words, translated, e.g. "3 working days"."""
        if self.counted_in == DayCount.WORKING:
            text = ngettext("%(days)d working day", "%(days)d working days", self.days)
        else:
            text = ngettext("%(days)d calendar day", "%(days)d calendar days", self.days)
        return text % {"days": self.days}


def local_date(moment: date | datetime) -> date:
    """The date of ``moment`` in ``settings.TIME_ZONE``; a naive datetime is taken as local."""
    if isinstance(moment, datetime):
        if timezone.is_aware(moment):
            moment = moment.astimezone(ZoneInfo(settings.TIME_ZONE))
        return moment.date()
    return moment


def today_local() -> date:
    """Today's date in ``settings.TIME_ZONE`` (Asia/Bishkek), whatever the server's zone."""
    return local_date(timezone.now())


def due_date(
    deadline: Deadline,
    start: date | datetime,
    calendar: WorkingCalendar | None = None,
) -> date:
    """The last day on which the step of ``deadline`` that began at ``start`` is on time.

    A deadline in calendar days that ends on a day off moves to the next working day
    while the operator's setting ``CALENDAR_DEADLINES_END_ON_WORKING_DAY`` is on (the
    default; docs/workdays.md cites the general rule on terms it follows). Pass one
    ``calendar`` when computing many due dates, so transfers are read once.
    """
    day = local_date(start)
    calendar = calendar or WorkingCalendar()
    if deadline.counted_in == DayCount.CALENDAR:
        end = add_calendar_days(day, deadline.days)
        if calendar_deadlines_end_on_working_day():
            return calendar.first_working_day_from(end)
        return end
    return calendar.add_working_days(day, deadline.days)


def is_overdue(due: date, today: date | None = None) -> bool:
    """True once the due date has passed; the due date itself is still on time."""
    return (today or today_local()) > due


def days_left(due: date, today: date | None = None) -> int:
    """Calendar days from today to the due date: 0 on the day, negative when overdue."""
    return (due - (today or today_local())).days
