"""Sign-ins, failed sign-ins and lockouts go to the project's audit trail.

django-axes keeps its own records (``AccessAttempt``) to decide lockouts; these receivers
add the same facts to ``AuditEvent`` under ``accounts:login:*`` so one trail shows them
beside everything else users did.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from tunduk.accounts.models import User
from tunduk.core.audit import Event, record
from tunduk.core.http import client_ip

# The key a failed second step adds to the credentials it reports, so the trail tells a
# wrong password from a wrong one-time code.
STEP_KEY = "step"
USERNAME_LENGTH = User._meta.get_field("username").max_length or 150


def _address(request: HttpRequest | None) -> str | None:
    return client_ip(request) if request is not None else None


@receiver(user_login_failed, dispatch_uid="tunduk-audit-login-failed")
def record_failed_login(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """A wrong password or code, or any attempt while locked out."""
    username = str(credentials.get("username") or "")[:USERNAME_LENGTH]
    user = User.objects.filter(username=username).first() if username else None
    record(
        Event.LOGIN_FAILED,
        obj=user,
        ip_address=_address(request),
        username=username,
        step=credentials.get(STEP_KEY, "password"),
    )


@receiver(user_locked_out, dispatch_uid="tunduk-audit-locked-out")
def record_lockout(
    sender: Any,
    request: HttpRequest | None = None,
    username: str | None = None,
    ip_address: str | None = None,
    **kwargs: Any,
) -> None:
    """Axes refused an account or an address after too many failures."""
    record(
        Event.LOGIN_LOCKED_OUT,
        ip_address=ip_address or _address(request),
        username=str(username or "")[:USERNAME_LENGTH],
    )


@receiver(user_logged_in, dispatch_uid="tunduk-audit-logged-in")
def record_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """A completed sign-in (after the second factor, when one is needed).

    It forgets the account's earlier failures, but not the address's: those may be
    guesses at other accounts by whoever just signed in.
    """
    record(Event.LOGIN_SUCCEEDED, actor=user, obj=user, ip_address=_address(request))
    AxesProxyHandler.reset_attempts(username=user.get_username())


@receiver(user_logged_in, dispatch_uid="tunduk-remember-language")
def remember_language(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """E-mails to the user are written in the language they sign in with (issue 11, 8)."""
    language = getattr(request, "LANGUAGE_CODE", "") if request is not None else ""
    if language and language != user.language and language in dict(settings.LANGUAGES):
        user.language = language
        User.objects.filter(pk=user.pk).update(language=language)
