"""Remember the language a user signs in with: their e-mail is written in it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.translation import get_language

from tunduk.notifications.languages import remember_language


@receiver(user_logged_in, dispatch_uid="notifications-remember-language")
def remember_sign_in_language(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """Store the page's language as the user's e-mail language."""
    remember_language(user, getattr(request, "LANGUAGE_CODE", None) or get_language())
