"""The unread count in the navigation, counted only when a page shows it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from tunduk.notifications.models import Notification


def inbox(request: HttpRequest) -> dict[str, Callable[[], int]]:
    """``inbox_unread``: the signed-in user's unread notifications (a callable, so lazy)."""
    user: Any = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def unread() -> int:
        return Notification.objects.filter(recipient=user, read_at__isnull=True).count()

    return {"inbox_unread": unread}
