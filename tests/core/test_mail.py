"""Issue 7 (7): e-mail goes through the background worker; a mail failure never breaks a saved change."""

from __future__ import annotations

import logging
import socket

import pytest
from django.core import mail
from django_q.models import Schedule

from tests.catalog.pages import signed_in
from tests.conftest import ApiClient
from tests.factories import ACCESS_APPLICATION, catalog_world
from tunduk.accounts.tokens import ApiToken
from tunduk.catalog.models import Notice
from tunduk.core.mail import MAIL_ATTEMPTS, TASK, deliver, queue_mail
from tunduk.registry.choices import ApplicationStatus
from tunduk.registry.models import AccessApplication

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp_down(settings):
    """The real SMTP backend pointed at a loopback port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    return port


def retries() -> list[Schedule]:
    return list(Schedule.objects.filter(func=TASK))


def test_notice_is_saved_and_page_succeeds_when_smtp_is_down(
    smtp_down, caplog, django_capture_on_commit_callbacks
):
    """Issue 7 (7): SMTP refusing the connection leaves the notice saved, the page a success."""
    world = catalog_world()
    with (
        caplog.at_level(logging.WARNING, logger="tunduk.core.mail"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = signed_in(world.provider_engineer).post(
            "/catalog/notices/new/",
            {
                "kind": "outage",
                "title": "Database down",
                "description": "Primary failed",
                "starts_at": "2030-05-01T22:00",
            },
        )
    assert response.status_code == 302
    assert Notice.objects.filter(title="Database down").exists()
    (retry,) = retries()
    assert retry.args is not None and "Database down" in retry.args
    assert "retrying" in caplog.text


def test_api_grant_succeeds_when_smtp_is_down(
    smtp_down, subject, authorised_body, operator, django_capture_on_commit_callbacks
):
    """Issue 7 (7): granting access through the API answers 200 although the invitation mail fails."""
    received = ApiClient().post(
        "/access-applications", {"subject": subject.pk, **ACCESS_APPLICATION}
    )
    application = AccessApplication.objects.get(pk=received.json()["id"])
    _body, forwarder = ApiToken.issue(authorised_body, name="test")
    ApiClient(forwarder).post(f"/access-applications/{application.pk}/forward")
    _token, raw = ApiToken.issue(operator, name="test")
    with django_capture_on_commit_callbacks(execute=True):
        granted = ApiClient(raw).post(f"/access-applications/{application.pk}/grant")
    assert granted.status_code == 200, granted.json()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.GRANTED
    assert len(retries()) == 1


def test_queued_mail_is_sent_by_the_worker(django_capture_on_commit_callbacks):
    """Issue 7 (7): a queued e-mail is sent once the change commits, not before."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue_mail("Subject", "Body", ["a@gov.kg", ""])
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert [message.to for message in mail.outbox] == [["a@gov.kg"]]


def test_last_attempt_is_logged_and_raised(smtp_down, caplog):
    """Issue 7 (7): after the last attempt the worker logs the failure and the task fails."""
    with caplog.at_level(logging.ERROR, logger="tunduk.core.mail"), pytest.raises(OSError):
        deliver("Subject", "Body", ["a@gov.kg"], MAIL_ATTEMPTS)
    assert "Gave up" in caplog.text
    assert retries() == []
