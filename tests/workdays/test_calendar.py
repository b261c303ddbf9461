"""The working-day calendar: weekends, Kyrgyz public holidays and decreed transfers."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st
from pytest_django.fixtures import DjangoAssertNumQueries

from tests.factories import DayTransferFactory
from tunduk.workdays.calendar import (
    WorkingCalendar,
    add_calendar_days,
    add_working_days,
    holiday_name,
    is_working_day,
    working_days_between,
)
from tunduk.workdays.choices import TransferKind

pytestmark = pytest.mark.django_db


def test_independence_day_is_a_holiday() -> None:
    """000 §21: 31 August (Independence Day) is not a working day in 2026 or 2027."""
    assert holiday_name(date(2026, 8, 31)) == "Independence Day"
    assert not is_working_day(date(2026, 8, 31))
    assert not is_working_day(date(2027, 8, 31))


def test_plain_weekdays_and_weekends() -> None:
    """000 §21: Monday to Friday work, Saturday and Sunday do not."""
    assert is_working_day(date(2026, 10, 2))  # Friday
    assert not is_working_day(date(2026, 10, 3))  # Saturday
    assert not is_working_day(date(2026, 10, 4))  # Sunday


def test_friday_submission_is_due_wednesday() -> None:
    """000 §21: 3 working days from a Friday skip the weekend and end on Wednesday."""
    assert add_working_days(date(2026, 10, 2), 3) == date(2026, 10, 7)


def test_start_day_is_not_counted() -> None:
    """000 §21: the first of the working days is the one after the start."""
    assert add_working_days(date(2026, 10, 5), 1) == date(2026, 10, 6)
    assert add_working_days(date(2026, 10, 5), 0) == date(2026, 10, 5)


def test_negative_count_is_refused() -> None:
    """A negative number of working days is a programming error, not a date."""
    with pytest.raises(ValueError, match="negative"):
        add_working_days(date(2026, 10, 5), -1)


def test_eve_of_independence_day_2026() -> None:
    """000 §21: a Friday submission before Monday 31 August 2026 is due Thursday 3 September."""
    assert add_working_days(date(2026, 8, 28), 3) == date(2026, 9, 3)


def test_eve_of_independence_day_2027() -> None:
    """000 §21: a submission on Monday 30 August 2027 skips Tuesday's holiday, due 3 September."""
    assert add_working_days(date(2027, 8, 30), 3) == date(2027, 9, 3)


def test_eve_of_new_year_holidays() -> None:
    """000 §29: 3 working days from 31 December 2026 skip 1–7 January 2027."""
    assert add_working_days(date(2026, 12, 31), 3) == date(2027, 1, 12)


def test_decreed_day_off_shifts_the_deadline() -> None:
    """000 §21: a weekday a decree makes a day off is skipped, so the deadline moves a day."""
    DayTransferFactory(date=date(2026, 10, 6), kind=TransferKind.DAY_OFF)
    assert not is_working_day(date(2026, 10, 6))
    assert add_working_days(date(2026, 10, 2), 3) == date(2026, 10, 8)


def test_nooruz_moved_to_monday_by_decree() -> None:
    """000 §21: Nooruz 2026 falls on Saturday; a decree moving it to Monday 23 March is honoured."""
    assert add_working_days(date(2026, 3, 19), 3) == date(2026, 3, 25)
    DayTransferFactory(date=date(2026, 3, 23), kind=TransferKind.DAY_OFF)
    assert add_working_days(date(2026, 3, 19), 3) == date(2026, 3, 26)


def test_decreed_working_saturday_counts() -> None:
    """000 §21: a Saturday a decree makes working counts as one of the working days."""
    DayTransferFactory(working_saturday=True)
    assert is_working_day(date(2026, 10, 3))
    assert add_working_days(date(2026, 10, 2), 3) == date(2026, 10, 6)


def test_decree_cancelling_a_holiday_makes_it_working() -> None:
    """000 §21: a public holiday a decree declares working counts, and shows no holiday name."""
    DayTransferFactory(date=date(2026, 8, 31), kind=TransferKind.WORKING_DAY)
    assert is_working_day(date(2026, 8, 31))
    assert holiday_name(date(2026, 8, 31)) is None


def test_calendar_days_ignore_holidays() -> None:
    """000 §18: calendar days count weekends and holidays alike."""
    assert add_calendar_days(date(2026, 8, 28), 3) == date(2026, 8, 31)


def test_working_days_between() -> None:
    """000 §21: the working days after a Friday up to the next Wednesday are three."""
    assert working_days_between(date(2026, 10, 2), date(2026, 10, 7)) == 3
    assert working_days_between(date(2026, 10, 7), date(2026, 10, 2)) == -3
    assert working_days_between(date(2026, 10, 2), date(2026, 10, 2)) == 0


@settings(max_examples=60, deadline=None)
@given(
    start=st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)),
    count=st.integers(min_value=0, max_value=25),
)
def test_counting_back_gives_the_count(start: date, count: int) -> None:
    """000 §21: between a start and its n-th working day there are exactly n working days."""
    calendar = WorkingCalendar()
    due = calendar.add_working_days(start, count)
    assert calendar.working_days_between(start, due) == count
    assert count == 0 or calendar.is_working_day(due)


def test_one_calendar_reads_transfers_once(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    """Deadlines for many rows of a list page cost one query, not one per row."""
    DayTransferFactory()
    calendar = WorkingCalendar(date(2026, 1, 1), date(2026, 12, 31))
    with django_assert_num_queries(0):
        dues = [calendar.add_working_days(date(2026, 10, day), 3) for day in range(1, 20)]
    assert dues[1] == date(2026, 10, 8)


def test_calendar_describes_days() -> None:
    """The operator's calendar names the holiday and the transfer of each day."""
    DayTransferFactory(working_saturday=True)
    days = {d.day: d for d in WorkingCalendar().days(date(2026, 8, 30), 40)}
    assert days[date(2026, 8, 31)].holiday == "Independence Day"
    assert days[date(2026, 10, 3)].transfer == TransferKind.WORKING_DAY
    assert days[date(2026, 10, 3)].is_working_day
    assert days[date(2026, 10, 4)].is_weekend
    assert len(days) == 40


def test_holiday_names_follow_the_active_language() -> None:
    """Holiday names are shown in Kyrgyz, Russian or English, as the user chose."""
    with translation.override("ru"):
        assert holiday_name(date(2026, 8, 31)) == "День независимости Кыргызской Республики"
    with translation.override("ky"):
        assert (
            holiday_name(date(2026, 8, 31)) == "Кыргыз Республикасынын Көз карандысыздыгынын күнү"
        )
    with translation.override("en"):
        assert holiday_name(date(2026, 8, 31)) == "Independence Day"
