"""E-mails are written in the recipient's language, not the sender's (issue 11, defect 8)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone, translation

from tests.factories import PASSWORD, EmployeeFactory, TundukOperatorFactory
from tests.factories.catalog import make_participant
from tunduk.accounts.models import User
from tunduk.catalog.services import security

pytestmark = pytest.mark.django_db


def test_each_recipient_reads_the_mail_in_their_own_language(django_capture_on_commit_callbacks):
    """A recommendation sent by an English-speaking operator reaches a Kyrgyz reader in Kyrgyz."""
    operator = TundukOperatorFactory(language="en")
    participant, engineer = make_participant(operator)
    User.objects.filter(pk=engineer.pk).update(language="ky")
    colleague = EmployeeFactory(subject=engineer.subject, language="en")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        security.issue_recommendation(
            operator,
            participant,
            title="Rotate keys",
            text="Rotate the signing key.",
            due_date=timezone.localdate() + timedelta(days=30),
        )
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects[engineer.email] == "«Түндүк» сунушу: Rotate keys"
    assert subjects[colleague.email] == "Tunduk recommendation: Rotate keys"


def test_signing_in_remembers_the_language_for_mails(employee) -> None:
    """The language a user signs in with is the language of their e-mails."""
    client = Client(headers={"Accept-Language": "ru"})
    response = client.post(
        "/accounts/login/", {"username": employee.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.language == "ru"
