"""``notify``: tell people about a decision or a request, in the inbox and by e-mail.

Call it inside the service that made the decision: the inbox entries are written in the
same transaction, and the e-mails are queued only once it commits (``core.mail``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from tunduk.accounts.models import User
from tunduk.core.mail import queue_mail
from tunduk.notifications.kinds import NotificationKind, render_kind
from tunduk.notifications.languages import LANGUAGE_CODES, language_of
from tunduk.notifications.models import Notification

__all__ = ["Addressee", "ParamValue", "english", "notify"]

ParamValue = str | int | date | datetime | Promise | list[str] | None


class Addressee(NamedTuple):
    """Someone without an account (a public applicant): e-mail only, in ``language``."""

    email: str
    language: str


def english(label: Any) -> str:
    """The msgid of a lazy label (a choice's ``label``), stored so each reader translates it."""
    with translation.override(None):
        return str(label)


def _plain(value: ParamValue) -> Any:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Promise):
        return english(value)
    if isinstance(value, list):
        return [english(item) if isinstance(item, Promise) else str(item) for item in value]
    return value


def _mail(kind: str, params: dict[str, Any], link: str, email: str, language: str) -> None:
    with translation.override(language if language in LANGUAGE_CODES else None):
        rendered = render_kind(kind, params)
        body = rendered.text
        if link:
            body += "\n\n" + _("Open: %(link)s") % {"link": settings.SITE_URL.rstrip("/") + link}
        queue_mail(rendered.title, body, [email])


def notify(
    recipients: Iterable[User | Addressee],
    kind: NotificationKind | str,
    target: models.Model,
    *,
    link: str = "",
    deadline: date | None = None,
    **params: ParamValue,
) -> list[Notification]:
    """Store an inbox entry for each user and queue each recipient's e-mail in their language.

    ``params`` are the words of the message (see ``kinds``); a lazy label is stored as its
    msgid and translated for each reader. Users are told once even when listed twice; an
    ``Addressee`` (no account) gets the e-mail only.
    """
    kind = NotificationKind(kind).value
    stored = {name: _plain(value) for name, value in params.items()}
    if deadline is not None:
        stored.setdefault("deadline", deadline.isoformat())
    target_type = ContentType.objects.get_for_model(target)
    entries: list[Notification] = []
    told: set[int] = set()
    mailed: set[str] = set()
    for recipient in recipients:
        if isinstance(recipient, User):
            if recipient.pk in told:
                continue
            told.add(recipient.pk)
            entries.append(
                Notification(
                    recipient=recipient,
                    kind=kind,
                    target_type=target_type,
                    target_id=target.pk,
                    params=stored,
                    link=link,
                    deadline=deadline,
                )
            )
            language = language_of(recipient) if recipient.is_active else ""
        else:
            language = recipient.language or settings.LANGUAGE_CODE
        email = (recipient.email or "").strip()
        if language and email and email.lower() not in mailed:
            mailed.add(email.lower())
            _mail(kind, stored, link, email, language)
    return Notification.objects.bulk_create(entries)
