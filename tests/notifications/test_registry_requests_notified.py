"""Decommissioning (000 §27–29) and the authorised body's requests (000 §10) reach people."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_registered, pdf
from tunduk.notifications.kinds import NotificationKind
from tunduk.notifications.models import Notification
from tunduk.registry import services

pytestmark = pytest.mark.django_db


def kinds_of(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user).order_by("id").values_list("kind", flat=True)
    )


def test_decommissioning_steps_reach_each_side_000_s27_s29(employee, operator, authorised_body):
    """000 §27–29: the authorised body is told of the notice, the operator of the agreement
    with its 000 §29 deadline, the subject of the agreement and of the recorded termination."""
    element = make_registered(employee, operator)
    notice = services.notify_decommissioning(
        employee,
        element,
        decision_date=timezone.localdate(),
        decision_reference="Order 5",
        decision_copy=pdf("decision.pdf"),
    )
    assert NotificationKind.DECOMMISSIONING_NOTIFIED in kinds_of(authorised_body)
    services.decide_decommissioning(authorised_body, notice, agree=True)
    agreed = Notification.objects.get(
        recipient=operator, kind=NotificationKind.DECOMMISSIONING_AGREED
    )
    notice.refresh_from_db()
    assert agreed.deadline == notice.record_due
    services.record_decommissioning(operator, notice)
    assert kinds_of(employee)[-2:] == [
        NotificationKind.DECOMMISSIONING_AGREED,
        NotificationKind.ELEMENT_DECOMMISSIONED,
    ]


def test_information_request_awaits_the_subject_with_its_date_000_s10(
    employee, operator, authorised_body
):
    """000 §10: the question lands in the subject's inbox as open work with the answer date;
    the answer reaches the one who asked."""
    element = make_registered(employee, operator)
    due = timezone.localdate() + timedelta(days=5)
    request = services.ask(authorised_body, element, "How many users in 2026?", due)
    client = Client()
    client.force_login(employee)
    page = client.get(reverse("notifications:inbox")).content.decode()
    awaiting = page.split('id="awaiting"')[1].split('id="decided"')[0]
    assert reverse("registry:information-request-answer", args=[request.pk]) in awaiting
    assert "How many users in 2026?" in page
    services.answer(employee, request, "About 350.")
    assert NotificationKind.INFORMATION_ANSWERED in kinds_of(authorised_body)
