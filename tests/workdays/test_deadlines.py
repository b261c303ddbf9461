"""The deadlines of the Rules, computed from one table."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from tests.factories import DayTransferFactory
from tunduk.workdays.deadlines import (
    DayCount,
    Deadline,
    days_left,
    due_date,
    is_overdue,
    local_date,
    today_local,
)

pytestmark = pytest.mark.django_db


def test_the_table_cites_the_rules() -> None:
    """000 §18, §21, §28, §29: each deadline carries its period and its rule."""
    table = {d.name: (d.days, d.counted_in, d.rule) for d in Deadline}
    assert table == {
        "APPLICATION_FORWARD": (3, DayCount.CALENDAR, "000 §18"),
        "ELEMENT_REVIEW": (3, DayCount.WORKING, "000 §21"),
        "DECOMMISSIONING_NOTICE": (7, DayCount.CALENDAR, "000 §28"),
        "DECOMMISSIONING_RECORD": (3, DayCount.WORKING, "000 §29"),
    }
    assert str(Deadline.ELEMENT_REVIEW.period) == "3 working days"
    assert str(Deadline.DECOMMISSIONING_NOTICE.label)


def test_application_forward_counts_calendar_days() -> None:
    """000 §18: forwarding from Monday 5 October 2026 is due Thursday 8 October."""
    assert due_date(Deadline.APPLICATION_FORWARD, date(2026, 10, 5)) == date(2026, 10, 8)


def test_calendar_deadline_ending_on_a_holiday_moves_to_the_next_working_day() -> None:
    """000 §18: 3 days from Friday 28 August 2026 end on Independence Day (Monday 31st),
    so the deadline is Tuesday 1 September (general rule on terms, docs/workdays.md)."""
    assert due_date(Deadline.APPLICATION_FORWARD, date(2026, 8, 28)) == date(2026, 9, 1)


def test_calendar_deadline_ending_on_a_weekend_moves_to_monday() -> None:
    """000 §28: 7 days from a decision of Saturday 3 October 2026 end on Saturday 10th;
    the notice is due Monday 12 October."""
    assert due_date(Deadline.DECOMMISSIONING_NOTICE, date(2026, 10, 3)) == date(2026, 10, 12)


def test_calendar_deadline_ending_on_a_decreed_day_off_moves_on() -> None:
    """000 §18: a decreed day off on the last day moves a calendar-day deadline too."""
    DayTransferFactory(date=date(2026, 10, 8))
    assert due_date(Deadline.APPLICATION_FORWARD, date(2026, 10, 5)) == date(2026, 10, 9)


@override_settings(CALENDAR_DEADLINES_END_ON_WORKING_DAY=False)
def test_the_operator_may_keep_calendar_deadlines_as_counted() -> None:
    """000 §18: with the setting off, a deadline ending on a holiday stays on it."""
    assert due_date(Deadline.APPLICATION_FORWARD, date(2026, 8, 28)) == date(2026, 8, 31)


@override_settings(CALENDAR_DEADLINES_END_ON_WORKING_DAY=False)
def test_decommissioning_notice_counts_calendar_days() -> None:
    """000 §28: 7 days from a decision of 28 December 2026 end on 4 January 2027."""
    assert due_date(Deadline.DECOMMISSIONING_NOTICE, date(2026, 12, 28)) == date(2027, 1, 4)


def test_decommissioning_notice_ending_in_new_year_holidays_moves_past_them() -> None:
    """000 §28: 4 January 2027 falls in the New Year and Christmas holidays; the notice is
    due on the first working day after them, Friday 8 January."""
    assert due_date(Deadline.DECOMMISSIONING_NOTICE, date(2026, 12, 28)) == date(2027, 1, 8)


def test_calendar_deadlines_ignore_transfers() -> None:
    """000 §18: a decreed day off inside the period does not lengthen a calendar-day deadline."""
    DayTransferFactory(date=date(2026, 10, 6))
    assert due_date(Deadline.APPLICATION_FORWARD, date(2026, 10, 5)) == date(2026, 10, 8)


def test_element_review_on_eve_of_independence_day() -> None:
    """000 §21: a record received Friday 28 August 2026 must be reviewed by 3 September."""
    assert due_date(Deadline.ELEMENT_REVIEW, date(2026, 8, 28)) == date(2026, 9, 3)


def test_decommissioning_record_across_a_weekend() -> None:
    """000 §29: a notice received Friday 2 October 2026 must be recorded by Wednesday 7th."""
    assert due_date(Deadline.DECOMMISSIONING_RECORD, date(2026, 10, 2)) == date(2026, 10, 7)


def test_datetime_start_uses_the_bishkek_date() -> None:
    """000 §21: 19:00 UTC on Thursday is already Friday in Bishkek, so the count starts Friday."""
    evening = datetime(2026, 10, 1, 19, 0, tzinfo=UTC)
    assert local_date(evening) == date(2026, 10, 2)
    assert due_date(Deadline.ELEMENT_REVIEW, evening) == date(2026, 10, 7)


@override_settings(CALENDAR_DEADLINES_END_ON_WORKING_DAY=False)
def test_datetime_in_another_zone() -> None:
    """000 §18: an aware datetime in any zone is converted to Asia/Bishkek first."""
    moscow = datetime(2026, 8, 27, 23, 30, tzinfo=ZoneInfo("Europe/Moscow"))
    assert due_date(Deadline.APPLICATION_FORWARD, moscow) == date(2026, 8, 31)


def test_overdue_only_after_the_due_date() -> None:
    """000 §21: a step done on its due date is on time; the next day it is overdue."""
    due = date(2026, 10, 7)
    assert not is_overdue(due, today=date(2026, 10, 6))
    assert not is_overdue(due, today=due)
    assert is_overdue(due, today=date(2026, 10, 8))


def test_days_left() -> None:
    """000 §21: days left count down to zero on the due date and go negative after."""
    due = date(2026, 10, 7)
    assert days_left(due, today=date(2026, 10, 2)) == 5
    assert days_left(due, today=due) == 0
    assert days_left(due, today=date(2026, 10, 9)) == -2


def test_today_is_the_bishkek_date(monkeypatch: pytest.MonkeyPatch) -> None:
    """000 §21: at 20:00 UTC on 20 March it is already 21 March in Bishkek."""
    monkeypatch.setattr(
        "django.utils.timezone.now", lambda: datetime(2026, 3, 20, 20, 0, tzinfo=UTC)
    )
    assert today_local() == date(2026, 3, 21)
    assert is_overdue(date(2026, 3, 20))
    assert days_left(date(2026, 3, 24)) == 3
