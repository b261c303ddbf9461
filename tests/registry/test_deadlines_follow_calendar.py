"""Issue 10 (3): open deadlines follow the working-day calendar and its changes are journaled.

When the operator enters a decreed day off (or removes one) after a deadline was set, the
deadline is computed again and the move is journaled; the clock of 000 §29 starts when the
operator receives the authorised body's agreement; only the operator changes the calendar,
on the page and through the API.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.factories import make_element, make_registered, pdf
from tunduk.core.audit import Event
from tunduk.core.models import AuditEvent
from tunduk.journaling.checkpoints import publish_checkpoint
from tunduk.journaling.entries import decode_entry
from tunduk.journaling.log import registry_log
from tunduk.registry import services
from tunduk.registry.models import Submission
from tunduk.workdays.calendar import WorkingCalendar
from tunduk.workdays.choices import TransferKind
from tunduk.workdays.deadlines import Deadline, due_date
from tunduk.workdays.models import CalendarChange, DayTransfer

pytestmark = pytest.mark.django_db

LIST_URL = "/working-days/"


def _journaled(event: Event) -> list[dict]:
    log = registry_log()
    entries = [decode_entry(log.entry(index)) for index in range(log.size())]
    return [entry for entry in entries if entry["event"] == str(event)]


def _journal_holds() -> None:
    """`tunduk journal verify` finds every journaled row as the journal last recorded it."""
    publish_checkpoint()
    call_command("journal", "verify", "--no-progress")


def _open_submission(employee) -> Submission:
    element = make_element(employee)
    return services.submit_element(employee, element)


def _day_off_form(day: date) -> dict[str, str]:
    return {"date": day.isoformat(), "kind": TransferKind.DAY_OFF, "decree": "Decree No. 7"}


def test_a_decreed_day_off_entered_later_moves_an_open_review_deadline(
    client: Client, employee, operator
) -> None:
    """000 §21: a day off decreed on the review's last day moves it to the next working day,
    the move is audited and journaled, and `journal verify` still holds."""
    submission = _open_submission(employee)
    old_due = submission.due_date
    client.force_login(operator)

    response = client.post(LIST_URL, _day_off_form(old_due))

    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.due_date == WorkingCalendar().add_working_days(old_due, 1)
    assert submission.due_date > old_due
    moved = AuditEvent.objects.get(name=Event.DEADLINE_RECOMPUTED)
    assert moved.detail["old"] == old_due.isoformat()
    assert moved.detail["new"] == submission.due_date.isoformat()
    assert moved.detail["rule"] == "000 §21"
    [leaf] = _journaled(Event.DEADLINE_RECOMPUTED)
    assert leaf["object"] == {"type": "registry.submission", "id": str(submission.pk)}
    [change_leaf] = _journaled(Event.DAY_TRANSFER_CHANGED)
    assert change_leaf["object"]["type"] == "workdays.calendarchange"
    assert change_leaf["detail"]["date"] == old_due.isoformat()
    _journal_holds()


def test_removing_the_day_off_moves_the_deadline_back(client: Client, employee, operator) -> None:
    """000 §21: removing a decree recomputes the deadline again, and the removal is kept in
    the calendar's history and the journal although the transfer row is gone."""
    submission = _open_submission(employee)
    old_due = submission.due_date
    client.force_login(operator)
    client.post(LIST_URL, _day_off_form(old_due))
    transfer = DayTransfer.objects.get(date=old_due)

    response = client.post(f"/working-days/{transfer.pk}/delete/")

    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.due_date == old_due
    assert list(CalendarChange.objects.order_by("pk").values_list("action", flat=True)) == [
        "created",
        "deleted",
    ]
    assert len(_journaled(Event.DAY_TRANSFER_CHANGED)) == 2
    _journal_holds()


def test_a_decided_submission_keeps_its_deadline(client: Client, employee, operator) -> None:
    """000 §21: only open deadlines move; a registered record's past due date stays."""
    element = make_registered(employee, operator)
    submission = element.submissions.get()
    old_due = submission.due_date
    client.force_login(operator)

    client.post(LIST_URL, _day_off_form(old_due))

    submission.refresh_from_db()
    assert submission.due_date == old_due
    assert not AuditEvent.objects.filter(name=Event.DEADLINE_RECOMPUTED).exists()


def test_an_open_forwarding_deadline_moves_with_a_decreed_day_off(subject, operator) -> None:
    """000 §18: an application's forwarding deadline that now ends on a decreed day off moves
    to the next working day."""
    application = services.submit_application(
        subject,
        {
            "subject_address": "Bishkek",
            "element_full_name": "Electronic document flow",
            "element_short_name": "EDF",
            "element_type": "software",
            "employee_full_name": "Aida Asanova",
            "employee_position": "Head of IT",
            "employee_email": "a.asanova@gov.kg",
            "appointment_decision": "Order No. 14",
        },
    )
    old_due = application.forward_due
    client = Client()
    client.force_login(operator)

    client.post(LIST_URL, _day_off_form(old_due))

    application.refresh_from_db()
    assert application.forward_due == WorkingCalendar().first_working_day_from(
        old_due + timedelta(days=1)
    )
    assert AuditEvent.objects.filter(
        name=Event.DEADLINE_RECOMPUTED, object_id=str(application.pk)
    ).exists()


def _notified(employee, operator):
    element = make_registered(employee, operator)
    return services.notify_decommissioning(
        employee,
        element,
        decision_date=timezone.localdate(),
        decision_reference="Order 5",
        decision_copy=pdf("decision.pdf"),
    )


def test_the_recording_clock_waits_for_the_authorised_bodys_agreement(
    employee, operator, authorised_body
) -> None:
    """000 §29: the operator's 3 working days run from receiving the agreement, not from
    the subject's notice; before the agreement there is no recording deadline."""
    notice = _notified(employee, operator)
    assert notice.record_due is None

    agreed = services.decide_decommissioning(authorised_body, notice, agree=True)

    assert agreed.agreed_at is not None
    assert agreed.record_due == due_date(Deadline.DECOMMISSIONING_RECORD, agreed.agreed_at)


def test_a_refused_agreement_starts_no_recording_clock(employee, operator, authorised_body) -> None:
    """000 §27, §29: without the authorised body's agreement nothing is to be recorded."""
    notice = _notified(employee, operator)
    refused = services.decide_decommissioning(
        authorised_body, notice, agree=False, comment="The system is still in use."
    )
    assert refused.record_due is None


@pytest.mark.parametrize("role", ["authorised_body", "employee"])
def test_a_non_operator_cannot_change_the_calendar_on_the_page(
    client: Client, request, role: str, employee, operator
) -> None:
    """000 §9: only the Registry operator changes the calendar: another role gets 403, no
    transfer is stored and no deadline moves."""
    submission = _open_submission(employee)
    client.force_login(request.getfixturevalue(role))

    response = client.post(LIST_URL, _day_off_form(submission.due_date))

    assert response.status_code == 403
    assert not DayTransfer.objects.exists()
    assert not CalendarChange.objects.exists()
    submission.refresh_from_db()
    assert submission.due_date == due_date(Deadline.ELEMENT_REVIEW, submission.submitted_at)


@pytest.mark.parametrize("role", ["authorised_body", "employee"])
def test_a_non_operator_cannot_change_the_calendar_through_the_api(
    api_as, request, role: str, operator, employee
) -> None:
    """000 §9: the API refuses another role's calendar change (403) and its removal."""
    api = api_as(request.getfixturevalue(role))
    body = {"date": "2026-10-06", "kind": "day_off", "decree": "Decree No. 7"}

    assert api.post("/working-days/transfers", body).status_code == 403
    assert not DayTransfer.objects.exists()

    created = api_as(operator).post("/working-days/transfers", body)
    assert created.status_code == 201
    removal = api.client.delete(
        f"/api/working-days/transfers/{created.json()['id']}", headers=api._headers()
    )
    assert removal.status_code == 403
    assert DayTransfer.objects.count() == 1


def test_the_operator_changes_the_calendar_through_the_api(api_as, operator, employee) -> None:
    """000 §21: a day off the operator enters through the API moves open deadlines too, and
    a transfer that changes nothing is refused naming the field."""
    submission = _open_submission(employee)
    api = api_as(operator)
    body = {"date": submission.due_date.isoformat(), "kind": "day_off", "decree": "Decree 7"}

    assert api.post("/working-days/transfers", body).status_code == 201

    submission.refresh_from_db()
    assert submission.due_date > date.fromisoformat(body["date"])
    saturday = date(2026, 10, 3)
    refused = api.post(
        "/working-days/transfers", {**body, "date": saturday.isoformat(), "kind": "day_off"}
    )
    assert refused.status_code == 400
    assert refused.json()["field"] == "date"
    assert api.get("/working-days/transfers").status_code == 200
