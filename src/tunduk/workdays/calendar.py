"""The Kyrgyz working-day calendar.

A day is a working day when it is Monday to Friday and not a public holiday, unless
a :class:`~tunduk.workdays.models.DayTransfer` says otherwise; a transfer always wins.

Public holidays come from ``holidays.country_holidays("KG")``, built once per year
per process. Transfers are read from the database by :class:`WorkingCalendar`, one
query per calendar year it touches, so a list page that computes a deadline for every
row should build one ``WorkingCalendar`` and pass it along. The module-level functions
build a fresh one per call: always current, and cheap for a single question.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import holidays
from django.utils.translation import get_language

from tunduk.workdays.choices import TransferKind
from tunduk.workdays.models import DayTransfer

COUNTRY = "KG"
SATURDAY = 5
ONE_DAY = timedelta(days=1)

__all__ = [
    "CalendarDay",
    "WorkingCalendar",
    "add_calendar_days",
    "add_working_days",
    "holiday_name",
    "is_public_holiday",
    "is_working_day",
    "public_holiday_name",
    "working_days_between",
]


# Django language codes mapped to the holidays package's names for the same language.
HOLIDAY_LANGUAGES = {"ky": "ky", "ru": "ru_KG", "en": "en_US"}
DEFAULT_HOLIDAY_LANGUAGE = "en_US"


@functools.cache
def _public_holidays(year: int, language: str = DEFAULT_HOLIDAY_LANGUAGE) -> dict[date, str]:
    """Kyrgyz public holidays of one year; building them is slow, so kept per process."""
    return dict(holidays.country_holidays(COUNTRY, years=year, language=language).items())


def is_public_holiday(day: date) -> bool:
    """True when the holidays package lists ``day`` as a public holiday, ignoring transfers."""
    return day in _public_holidays(day.year)


def public_holiday_name(day: date) -> str | None:
    """The public holiday on ``day`` in the active language, ignoring transfers."""
    language = HOLIDAY_LANGUAGES.get(get_language() or "", DEFAULT_HOLIDAY_LANGUAGE)
    return _public_holidays(day.year, language).get(day)


@dataclass(frozen=True, slots=True)
class CalendarDay:
    """One day as the operator's calendar page shows it."""

    day: date
    is_working_day: bool
    holiday: str | None
    transfer: TransferKind | None

    @property
    def is_weekend(self) -> bool:
        """True on Saturday and Sunday, whatever a decree says."""
        return self.day.weekday() >= SATURDAY


class WorkingCalendar:
    """Answers working-day questions, reading each year's transfers at most once.

    Give ``start`` and ``end`` to read the transfers of those years up front. A calendar
    is meant for one request or one job: it does not see transfers saved after it read
    a year.
    """

    def __init__(self, start: date | None = None, end: date | None = None) -> None:
        self._transfers: dict[date, str] = {}
        self._loaded_years: set[int] = set()
        if start is not None:
            self._load_years(start.year, (end or start).year)

    def _load_years(self, first: int, last: int) -> None:
        wanted = [year for year in range(first, last + 1) if year not in self._loaded_years]
        if not wanted:
            return
        rows = DayTransfer.objects.filter(
            date__gte=date(wanted[0], 1, 1), date__lte=date(wanted[-1], 12, 31)
        ).values_list("date", "kind")
        self._transfers.update(rows)
        self._loaded_years.update(range(wanted[0], wanted[-1] + 1))

    def transfer_kind(self, day: date) -> TransferKind | None:
        """The decreed transfer on ``day``, if any."""
        self._load_years(day.year, day.year)
        kind = self._transfers.get(day)
        return TransferKind(kind) if kind else None

    def holiday_name(self, day: date) -> str | None:
        """The public holiday on ``day``, or None; a decreed working day has none."""
        if self.transfer_kind(day) == TransferKind.WORKING_DAY:
            return None
        return public_holiday_name(day)

    def is_working_day(self, day: date) -> bool:
        """True when work is done on ``day``: Mon–Fri, not a holiday, or decreed working."""
        kind = self.transfer_kind(day)
        if kind is not None:
            return kind == TransferKind.WORKING_DAY
        return day.weekday() < SATURDAY and not is_public_holiday(day)

    def working_days_after(self, start: date) -> Iterator[date]:
        """The working days after ``start``, in order, without end."""
        day = start
        while True:
            day += ONE_DAY
            if self.is_working_day(day):
                yield day

    def add_working_days(self, start: date, count: int) -> date:
        """The ``count``-th working day after ``start`` (``start`` itself for 0).

        ``start`` is not counted even when it is a working day: a record received on a
        Friday with 3 working days to review is due on Wednesday.
        """
        if count < 0:
            raise ValueError(f"count must not be negative, got {count}")
        if count == 0:
            return start
        # A rough upper bound, so the usual case reads its transfers in one query.
        self._load_years(start.year, (start + timedelta(days=count * 2 + 30)).year)
        for number, day in enumerate(self.working_days_after(start), start=1):
            if number == count:
                return day
        raise AssertionError("unreachable: working_days_after never ends")

    def first_working_day_from(self, day: date) -> date:
        """``day`` itself when it is a working day, else the next working day after it."""
        if self.is_working_day(day):
            return day
        return next(self.working_days_after(day))

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in the interval (``start``, ``end``]; negative when ``end`` is earlier.

        It is the inverse of :meth:`add_working_days`: the number of working days
        between ``start`` and ``add_working_days(start, n)`` is ``n``.
        """
        if end < start:
            return -self.working_days_between(end, start)
        self._load_years(start.year, end.year)
        days = (end - start).days
        return sum(
            1 for offset in range(1, days + 1) if self.is_working_day(start + offset * ONE_DAY)
        )

    def days(self, start: date, count: int) -> list[CalendarDay]:
        """``count`` consecutive days from ``start``, described for display."""
        self._load_years(start.year, (start + count * ONE_DAY).year)
        return [self.describe(start + offset * ONE_DAY) for offset in range(count)]

    def describe(self, day: date) -> CalendarDay:
        """Everything the calendar knows about one day."""
        return CalendarDay(
            day=day,
            is_working_day=self.is_working_day(day),
            holiday=self.holiday_name(day),
            transfer=self.transfer_kind(day),
        )


def is_working_day(day: date) -> bool:
    """True when ``day`` is a working day in Kyrgyzstan, decreed transfers included."""
    return WorkingCalendar().is_working_day(day)


def add_working_days(start: date, count: int) -> date:
    """The ``count``-th working day after ``start``; ``start`` itself is not counted."""
    return WorkingCalendar().add_working_days(start, count)


def add_calendar_days(start: date, count: int) -> date:
    """The date ``count`` calendar days after ``start``; weekends and holidays count too."""
    return start + timedelta(days=count)


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end``."""
    return WorkingCalendar().working_days_between(start, end)


def holiday_name(day: date) -> str | None:
    """The name of the public holiday on ``day``, or None (also when decreed working)."""
    return WorkingCalendar().holiday_name(day)
