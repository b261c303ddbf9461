""" "Awaiting me": the open work of a signed-in user, with deadlines, gathered from the apps.

The apps above this one register a provider in their ``ready()``; a provider takes the
user and returns their open items (the operator's pending reviews with their 000 §21
deadline, the authorised body's applications to forward, a subject's questions to answer).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

__all__ = ["AwaitingItem", "Provider", "awaiting_for", "register_provider"]


@dataclass(frozen=True)
class AwaitingItem:
    """One piece of open work: what, where to do it, by when (``None``: no deadline)."""

    title: str
    link: str
    deadline: date | None = None
    rule: str = ""

    @property
    def is_overdue(self) -> bool:
        return self.deadline is not None and self.deadline < timezone.localdate()


Provider = Callable[[Any], Iterable[AwaitingItem]]
_PROVIDERS: list[Provider] = []


def register_provider(provider: Provider) -> Provider:
    """Add ``provider`` to the inbox's "awaiting me" (registering twice keeps one)."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def awaiting_for(user: Any) -> list[AwaitingItem]:
    """Every provider's open items for ``user``, the nearest deadline first."""
    items = [item for provider in _PROVIDERS for item in provider(user)]
    return sorted(items, key=lambda item: (item.deadline is None, item.deadline or date.max))
