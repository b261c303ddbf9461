"""Which language a recipient reads: the account's e-mail language (``User.language``,
remembered at sign-in by ``tunduk.accounts``, changeable on the inbox page), else the
site's default."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


def remember_language(user: Any, language: str | None) -> None:
    """Store ``language`` (one of the site's languages) as ``user``'s e-mail language."""
    if language and language in LANGUAGE_CODES and getattr(user, "pk", None):
        get_user_model().objects.filter(pk=user.pk).update(language=language)
        user.language = language


def language_of(user: Any) -> str:
    """The language ``user`` reads their e-mail in."""
    language = getattr(user, "language", "")
    return language if language in LANGUAGE_CODES else settings.LANGUAGE_CODE
