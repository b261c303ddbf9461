"""E-mail sent by the background worker, never inside the request that caused it.

A change is saved first; its e-mail is queued once the transaction commits and sent by
the django-q2 worker (``tunduk qcluster``). A mail server that is down or refuses the
message therefore never turns a saved change into an error page: the worker logs the
failure and tries again later, ``MAIL_ATTEMPTS`` times in all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django_q.models import Schedule
from django_q.tasks import async_task, schedule

__all__ = ["MAIL_ATTEMPTS", "deliver", "queue_mail", "queue_mail_in_their_language"]

logger = logging.getLogger(__name__)

TASK = "tunduk.core.mail.deliver"
MAIL_ATTEMPTS = 5
# Wait before the 2nd, 3rd, … attempt: a short outage is bridged, a long one is not hammered.
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=10), timedelta(hours=1))


def queue_mail(subject: str, body: str, recipients: Iterable[str]) -> None:
    """Send ``body`` to ``recipients`` from the worker once the current transaction commits."""
    addresses = [address for address in recipients if address]
    if not addresses:
        return
    subject, body = str(subject), str(body)
    transaction.on_commit(lambda: _enqueue(subject, body, addresses))


def queue_mail_in_their_language(
    recipients: Iterable[tuple[str, str]], compose: Callable[[], tuple[str, str]]
) -> None:
    """Queue ``compose()``'s (subject, body) to each ``(address, language)`` in that language.

    The text is composed once per language, with that language active, so every recipient
    reads the e-mail in their own language whatever the sender's (issue 11, 8); an empty
    language is the site's default.
    """
    by_language: dict[str, list[str]] = {}
    for address, language in recipients:
        by_language.setdefault(language or settings.LANGUAGE_CODE, []).append(address)
    for language, addresses in by_language.items():
        with translation.override(language):
            subject, body = compose()
            queue_mail(subject, body, addresses)


def _enqueue(subject: str, body: str, recipients: list[str]) -> None:
    # The change is already committed: a failure to queue is logged, never raised to the user.
    try:
        async_task(TASK, subject, body, recipients, 1)
    except Exception:
        logger.exception("Could not queue the e-mail %r to %s", subject, recipients)


def deliver(subject: str, body: str, recipients: list[str], attempt: int = 1) -> int:
    """Send one e-mail (the worker's task); on failure log it and schedule another attempt."""
    try:
        return send_mail(subject, body, None, recipients)
    except Exception as error:
        if attempt >= MAIL_ATTEMPTS:
            logger.error(
                "Gave up the e-mail %r to %s after %d attempts: %s",
                subject,
                recipients,
                attempt,
                error,
            )
            raise
        delay = RETRY_DELAYS[min(attempt, len(RETRY_DELAYS)) - 1]
        logger.warning(
            "The e-mail %r to %s failed (attempt %d of %d), retrying in %s: %s",
            subject,
            recipients,
            attempt,
            MAIL_ATTEMPTS,
            delay,
            error,
        )
        schedule(
            TASK,
            subject,
            body,
            recipients,
            attempt + 1,
            schedule_type=Schedule.ONCE,
            repeats=1,
            next_run=timezone.now() + delay,
        )
        return 0
