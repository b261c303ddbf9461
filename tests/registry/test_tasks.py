"""Overdue reminders (000 §18, §21, §29) and the commands that schedule and run them."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django_q.models import Schedule

from tests.factories import (
    OperatorFactory,
    make_element,
    make_registered,
    pdf,
)
from tunduk.core.audit import Event
from tunduk.core.models import AuditEvent
from tunduk.registry import services
from tunduk.registry.choices import ElementType
from tunduk.registry.models import AccessApplication, DecommissioningNotice, Submission
from tunduk.registry.tasks import send_overdue_reminders
from tunduk.workdays.deadlines import today_local

pytestmark = pytest.mark.django_db

TODAY = today_local()
YESTERDAY = TODAY - timedelta(days=1)


def overdue_submission(employee, name: str = "Overdue system") -> Submission:
    submission = services.submit_element(employee, make_element(employee, full_name=name))
    Submission.objects.filter(pk=submission.pk).update(due_date=YESTERDAY)
    return submission


def overdue_application(subject) -> AccessApplication:
    app = services.submit_application(
        subject,
        {
            "subject_address": "Bishkek",
            "element_full_name": "Late application system",
            "element_short_name": "LAS",
            "element_type": ElementType.SOFTWARE,
            "employee_full_name": "B. Bekova",
            "employee_position": "Engineer",
            "employee_email": "b.bekova@gov.kg",
            "appointment_decision": "Order No. 3",
        },
    )
    AccessApplication.objects.filter(pk=app.pk).update(forward_due=YESTERDAY)
    return app


def overdue_notice(employee, operator) -> DecommissioningNotice:
    element = make_registered(employee, operator, full_name="Old archive system")
    notice = services.notify_decommissioning(
        employee,
        element,
        decision_date=TODAY,
        decision_reference="Order No. 9",
        decision_copy=pdf(),
    )
    DecommissioningNotice.objects.filter(pk=notice.pk).update(record_due=YESTERDAY)
    return notice


def mail_to(address: str):
    return [message for message in mail.outbox if message.to == [address]]


def test_overdue_submission_reminds_every_operator(employee, operator):
    """000 §21: a review past its 3 working days is reminded to every active operator."""
    second = OperatorFactory()
    OperatorFactory(is_active=False)
    submission = overdue_submission(employee)
    assert send_overdue_reminders() == 2
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [operator.email, second.email]
    )
    body = mail.outbox[0].body
    assert "Overdue system" in body
    assert YESTERDAY.isoformat() in body
    assert "000 §21" in body
    assert f"/submissions/{submission.pk}/" in body
    submission.refresh_from_db()
    assert submission.reminded_at is not None
    assert (
        AuditEvent.objects.filter(name=Event.REMINDER_SENT, object_id=str(submission.pk)).count()
        == 1
    )


def test_not_reminded_twice_on_the_same_day(employee, operator):
    """000 §21: an item is reminded once a day, not on every run."""
    overdue_submission(employee)
    assert send_overdue_reminders() == 1
    assert send_overdue_reminders() == 0
    assert len(mail.outbox) == 1


def test_reminded_again_the_next_day(employee, operator):
    """000 §21: an item still overdue the next day is reminded again."""
    overdue_submission(employee)
    assert send_overdue_reminders(TODAY + timedelta(days=1)) == 1
    assert send_overdue_reminders(TODAY + timedelta(days=1)) == 0
    assert send_overdue_reminders(TODAY + timedelta(days=2)) == 1


def test_on_time_items_are_not_reminded(employee, operator, subject, authorised_body):
    """000 §18, §21: nothing is sent while every item is within its deadline."""
    services.submit_element(employee, make_element(employee))
    services.submit_application(
        subject,
        {
            "subject_address": "Bishkek",
            "element_full_name": "On time",
            "element_short_name": "OT",
            "element_type": ElementType.SOFTWARE,
            "employee_full_name": "C",
            "employee_position": "Engineer",
            "employee_email": "c@gov.kg",
            "appointment_decision": "Order No. 4",
        },
    )
    assert send_overdue_reminders() == 0
    assert mail.outbox == []


def test_each_role_gets_one_mail_listing_its_items(employee, operator, subject, authorised_body):
    """000 §18, §21, §29: one e-mail per person, listing every overdue step of their role."""
    overdue_submission(employee, "First overdue")
    overdue_submission(employee, "Second overdue")
    overdue_application(subject)
    overdue_notice(employee, operator)
    assert send_overdue_reminders() == 2
    (to_operator,) = mail_to(operator.email)
    (to_body,) = mail_to(authorised_body.email)
    assert "First overdue" in to_operator.body
    assert "Second overdue" in to_operator.body
    assert "Old archive system" in to_operator.body
    assert "Late application system" not in to_operator.body
    assert "Late application system" in to_body.body
    assert "000 §18" in to_body.body
    assert "Old archive system" in to_body.body
    assert "000 §29" in to_body.body
    assert "First overdue" not in to_body.body


def test_decided_items_are_not_reminded(employee, operator, subject, authorised_body):
    """000 §19, §29: forwarded applications and recorded decommissionings need no reminder."""
    app = overdue_application(subject)
    services.forward_application(authorised_body, app)
    notice = overdue_notice(employee, operator)
    services.decide_decommissioning(authorised_body, notice, agree=True)
    services.record_decommissioning(operator, notice)
    assert send_overdue_reminders() == 0


def test_send_reminders_command(employee, operator):
    """000 §21: ``tunduk send_reminders`` runs the daily job by hand."""
    overdue_submission(employee)
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "1 reminder" in out.getvalue()
    assert len(mail.outbox) == 1


def test_schedule_tasks_is_idempotent():
    """The daily reminder schedule is created once, however often the command runs."""
    call_command("schedule_tasks", stdout=StringIO())
    call_command("schedule_tasks", stdout=StringIO())
    schedule = Schedule.objects.get(name="registry-overdue-reminders")
    assert schedule.func == "tunduk.registry.tasks.send_overdue_reminders"
    assert schedule.schedule_type == Schedule.DAILY
    assert schedule.repeats == -1


def test_scheduled_function_runs_through_django_q(employee, operator):
    """The scheduled function path resolves and sends reminders when django-q2 runs it."""
    from django_q.tasks import async_task, result

    overdue_submission(employee)
    task_id = async_task("tunduk.registry.tasks.send_overdue_reminders")
    assert result(task_id) == 1
    assert len(mail.outbox) == 1
