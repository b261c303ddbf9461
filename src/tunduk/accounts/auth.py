"""The signed-in user of a request, typed for views that have already required a login."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from tunduk.accounts.models import User


def signed_in_user(request: HttpRequest) -> User:
    """``request.user`` as a ``User``; an anonymous visitor is refused (403), never served."""
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    return user
