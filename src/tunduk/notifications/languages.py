"""Which language a recipient reads: the one stored for them, else the site's default."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from tunduk.notifications.models import MailLanguage

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


def remember_language(user: Any, language: str | None) -> None:
    """Store ``language`` (one of the site's languages) as ``user``'s e-mail language."""
    if language and language in LANGUAGE_CODES and getattr(user, "pk", None):
        MailLanguage.objects.update_or_create(user=user, defaults={"language": language})


def language_of(user: Any) -> str:
    """The language ``user`` reads their e-mail in."""
    stored = MailLanguage.objects.filter(user_id=user.pk).values_list("language", flat=True)
    language = next(iter(stored), None)
    return language if language in LANGUAGE_CODES else settings.LANGUAGE_CODE
