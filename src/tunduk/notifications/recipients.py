"""Who is told: the people holding a role, and a subject's authorised employees (000 §16–17)."""

from __future__ import annotations

from django.db.models import QuerySet

from tunduk.accounts.choices import Role
from tunduk.accounts.models import User

__all__ = ["employees_of", "holders_of"]


def holders_of(role: Role) -> QuerySet[User]:
    """The active users holding ``role`` (e.g. every registry operator)."""
    return User.objects.filter(role=role, is_active=True).order_by("pk")


def employees_of(subject_id: int | None) -> QuerySet[User]:
    """The active authorised employees of the accounting subject ``subject_id``."""
    if subject_id is None:
        return User.objects.none()
    return User.objects.filter(
        role=Role.SUBJECT_EMPLOYEE, subject_id=subject_id, is_active=True
    ).order_by("pk")
