"""The operator's working-days pages: who may change transfers, and the form's errors."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from tests.factories import DayTransferFactory, UserFactory
from tunduk.core.audit import Event
from tunduk.core.models import AuditEvent
from tunduk.workdays.choices import TransferKind
from tunduk.workdays.models import DayTransfer

pytestmark = pytest.mark.django_db

LIST_URL = "/working-days/"


@pytest.fixture
def operator_client(client: Client) -> Client:
    client.force_login(UserFactory(operator=True))
    return client


@pytest.fixture
def other_client(client: Client) -> Client:
    client.force_login(UserFactory(authorised_body=True))
    return client


def form_data(**overrides: str) -> dict[str, str]:
    data = {
        "date": "2026-10-06",
        "kind": TransferKind.DAY_OFF,
        "decree": "Decree No. 12",
        "note": "",
    }
    data.update(overrides)
    return data


def test_url_names() -> None:
    """The pages live under /working-days/ with the names other apps link to."""
    assert reverse("workdays:transfer-list") == LIST_URL
    assert reverse("workdays:transfer-edit", args=[5]) == "/working-days/5/edit/"
    assert reverse("workdays:transfer-delete", args=[5]) == "/working-days/5/delete/"


def test_anonymous_is_sent_to_sign_in(client: Client, settings: Settings) -> None:
    """The calendar is for signed-in users only."""
    settings.LOGIN_URL = "/accounts/login/"
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_anyone_signed_in_may_view(other_client: Client) -> None:
    """000 §21: any signed-in user sees the transfers and the holidays ahead, but no form."""
    DayTransferFactory(decree="Decree No. 77")
    response = other_client.get(LIST_URL, {"from": "2026-08-25"})
    assert response.status_code == 200
    assert "Decree No. 77" in response.text
    assert "Independence Day" in response.text
    assert "000 §21" in response.text
    assert 'name="decree"' not in response.text


def test_non_operator_cannot_add(other_client: Client) -> None:
    """Only the operator adds transfers; a refused attempt is recorded in the audit trail."""
    response = other_client.post(LIST_URL, form_data())
    assert response.status_code == 403
    assert not DayTransfer.objects.exists()
    assert AuditEvent.objects.filter(name=Event.ACCESS_DENIED, detail__path=LIST_URL).exists()


@pytest.mark.parametrize("action", ["transfer-edit", "transfer-delete"])
def test_non_operator_cannot_edit_or_delete(other_client: Client, action: str) -> None:
    """Only the operator edits or removes transfers; others get 403 on GET and POST."""
    transfer = DayTransferFactory()
    url = reverse(f"workdays:{action}", args=[transfer.pk])
    assert other_client.get(url).status_code == 403
    assert other_client.post(url, form_data(decree="Changed")).status_code == 403
    transfer.refresh_from_db()
    assert transfer.decree != "Changed"
    assert AuditEvent.objects.filter(name=Event.ACCESS_DENIED).count() == 2


def test_operator_adds_a_transfer(operator_client: Client) -> None:
    """000 §21: the operator records a decreed day off, and the change is audited."""
    response = operator_client.post(LIST_URL, form_data())
    assert response.status_code == 302
    transfer = DayTransfer.objects.get()
    assert transfer.date == date(2026, 10, 6)
    assert transfer.changed_by is not None
    event = AuditEvent.objects.get(name=Event.DAY_TRANSFER_CHANGED)
    assert event.detail["action"] == "created"
    assert event.detail["date"] == "2026-10-06"


def test_operator_edits_a_transfer(operator_client: Client) -> None:
    """The operator corrects a decree reference; the audit keeps the old and new value."""
    transfer = DayTransferFactory(decree="Decree No. 1")
    url = reverse("workdays:transfer-edit", args=[transfer.pk])
    assert operator_client.get(url).status_code == 200
    response = operator_client.post(url, form_data(decree="Decree No. 2"))
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.decree == "Decree No. 2"
    event = AuditEvent.objects.get(name=Event.DAY_TRANSFER_CHANGED)
    assert event.detail["action"] == "updated"
    assert event.detail["changes"] == {"decree": {"old": "Decree No. 1", "new": "Decree No. 2"}}


def test_operator_deletes_after_confirmation(operator_client: Client) -> None:
    """A removal asks for confirmation first and leaves the transfer's last state in the audit."""
    transfer = DayTransferFactory(decree="Decree No. 9")
    url = reverse("workdays:transfer-delete", args=[transfer.pk])
    confirmation = operator_client.get(url)
    assert confirmation.status_code == 200
    assert "Decree No. 9" in confirmation.text
    assert DayTransfer.objects.exists()
    assert operator_client.post(url).status_code == 302
    assert not DayTransfer.objects.exists()
    event = AuditEvent.objects.get(name=Event.DAY_TRANSFER_CHANGED)
    assert event.detail["action"] == "deleted"
    assert event.detail["changes"]["decree"] == {"old": "Decree No. 9", "new": None}


def test_working_day_on_a_weekday_is_refused(operator_client: Client) -> None:
    """A working-day transfer on an ordinary weekday is refused with the reason."""
    response = operator_client.post(LIST_URL, form_data(kind=TransferKind.WORKING_DAY))
    assert response.status_code == 400
    assert "must fall on a Saturday or Sunday" in response.context["form"].errors["date"][0]
    assert not DayTransfer.objects.exists()


def test_day_off_on_a_weekend_is_refused(operator_client: Client) -> None:
    """A day-off transfer on a Saturday is refused: it is a day off already."""
    response = operator_client.post(LIST_URL, form_data(date="2026-10-03"))
    assert response.status_code == 400
    assert "must fall on a weekday" in response.context["form"].errors["date"][0]


def test_duplicate_date_is_refused(operator_client: Client) -> None:
    """A second transfer for the same date is refused; the operator is told to edit the first."""
    DayTransferFactory()
    response = operator_client.post(LIST_URL, form_data())
    assert response.status_code == 400
    assert "already recorded" in response.context["form"].errors["date"][0]
    assert DayTransfer.objects.count() == 1


def test_working_day_may_cancel_a_public_holiday(operator_client: Client) -> None:
    """A decree can make a weekday public holiday working, e.g. to correct an estimated date."""
    response = operator_client.post(
        LIST_URL, form_data(date="2026-08-31", kind=TransferKind.WORKING_DAY)
    )
    assert response.status_code == 302
    assert DayTransfer.objects.get().kind == TransferKind.WORKING_DAY


def test_decree_is_required(operator_client: Client) -> None:
    """A transfer without its decree is refused."""
    response = operator_client.post(LIST_URL, form_data(decree=""))
    assert response.status_code == 400
    assert "decree" in response.context["form"].errors


def test_transfer_is_not_saved_without_its_audit_event(
    operator_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change whose audit event cannot be written is not stored either."""

    def broken_record(*args: object, **kwargs: object) -> None:
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr("tunduk.workdays.services.record", broken_record)
    with pytest.raises(RuntimeError):
        operator_client.post(LIST_URL, form_data())
    assert not DayTransfer.objects.exists()


def test_the_page_says_calendar_deadlines_move_off_days_off(operator_client: Client) -> None:
    """000 §18, §28: the page tells the operator that the general rule on terms is on."""
    page = operator_client.get(LIST_URL).content.decode()
    assert "moves to the next working day" in page


def test_the_page_says_when_the_operator_turned_the_rule_off(
    operator_client: Client, settings: Settings
) -> None:
    """000 §18, §28: with the setting off the page says deadlines end on their last day."""
    settings.CALENDAR_DEADLINES_END_ON_WORKING_DAY = False
    page = operator_client.get(LIST_URL).content.decode()
    assert "ends on its last day" in page
