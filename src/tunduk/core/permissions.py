"""Role checks every app shares; a refusal is a ``NotPermitted`` recorded in the audit trail.

The roles themselves are ``tunduk.accounts.choices.Role``; this module only compares the
user's ``role`` with the ones a rule names, so it needs no app of its own.
"""

from __future__ import annotations

from typing import Any

from django.db.models import TextChoices
from django.utils.translation import gettext as _

from tunduk.core.actors import Actor, Member
from tunduk.core.audit import Event, record
from tunduk.core.errors import NotPermitted


def record_denial(denied: NotPermitted, ip_address: str | None = None) -> None:
    """Audit a refused attempt; called outside the rolled-back transaction, once."""
    if denied.recorded:
        return
    denied.recorded = True
    record(
        Event.ACCESS_DENIED,
        actor=denied.actor,
        obj=denied.obj,
        ip_address=ip_address,
        reason=denied.message,
        **denied.detail,
    )


def require_role(
    user: Actor, *roles: TextChoices, obj: Any = None, action: str = "", **detail: Any
) -> Member:
    """The signed-in user if it holds one of ``roles``; otherwise ``NotPermitted`` (audited).

    ``detail`` goes with the refusal into the audit record.
    """
    if user.is_authenticated and user.role in roles:
        return user
    names = ", ".join(str(role.label) for role in roles)
    raise NotPermitted(
        _("Only a user with the role %(roles)s may do this.") % {"roles": names},
        actor=user,
        obj=obj,
        action=action,
        **detail,
    )
