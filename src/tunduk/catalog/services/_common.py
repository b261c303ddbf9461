"""What every Catalog service needs: permissions, the active-participant rule, journaling."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tunduk.accounts.choices import Role
from tunduk.catalog.models import Participant
from tunduk.core.actors import Actor
from tunduk.core.errors import NotPermitted
from tunduk.core.permissions import require_role
from tunduk.core.services import service
from tunduk.journaling.changes import commit_event
from tunduk.registry.permissions import require_subject_member

__all__ = [
    "commit_event",
    "configuration_changed",
    "require_active",
    "require_member_of",
    "require_tunduk_operator",
    "service",
]


def require_tunduk_operator(user: Actor, obj: Any = None, action: str = "") -> None:
    """Only the Tunduk operator (003 §3.1) may do this."""
    require_role(user, Role.TUNDUK_OPERATOR, obj=obj, action=action)


def require_member_of(
    user: Actor, participant: Participant, *, obj: Any = None, action: str = ""
) -> None:
    """The user must be an authorised employee of the participant's subject."""
    require_subject_member(user, participant.subject, obj=obj or participant, action=action)


def require_active(user: Actor, participant: Participant, *, action: str = "") -> None:
    """A suspended, disconnected or departed participant cannot act in the exchange (003 §4)."""
    if not participant.is_active:
        raise NotPermitted(
            _("%(member)s is %(status)s and cannot do this until reinstated (003 §4).")
            % {
                "member": participant.identifier,
                "status": participant.get_status_display().lower(),
            },
            actor=user,
            obj=participant,
            action=action,
        )


def configuration_changed() -> None:
    """Regenerate the global configuration once the current transaction has committed."""
    from tunduk.catalog.configuration import publish_configuration

    transaction.on_commit(publish_configuration)
