"""What every Catalog service needs: permissions, the active-participant rule, journaling."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tunduk.accounts.choices import Role
from tunduk.catalog.choices import ParticipantStatus
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
    "require_connected",
    "require_member_of",
    "require_tunduk_operator",
    "service",
]


# Who may act in the Catalog: everyone not suspended, disconnected or gone (003 §4).
ACTING_STATUSES = frozenset({ParticipantStatus.REGISTERED, ParticipantStatus.ACTIVE})


def require_tunduk_operator(user: Actor, obj: Any = None, action: str = "") -> None:
    """Only the Tunduk operator (003 §3.1) may do this."""
    require_role(user, Role.TUNDUK_OPERATOR, obj=obj, action=action)


def require_member_of(
    user: Actor, participant: Participant, *, obj: Any = None, action: str = ""
) -> None:
    """The user must be an authorised employee of the participant's subject."""
    require_subject_member(user, participant.subject, obj=obj or participant, action=action)


def require_active(user: Actor, participant: Participant, *, action: str = "") -> None:
    """A suspended, disconnected or departed participant cannot act in the exchange (003 §4).

    A registered participant without its connection agreement yet may prepare: describe
    its systems and services, ask for gateways, certificates and access (003 §3.2.1–2). A
    change whose notice has run is applied first, so the rule reads today's status.
    """
    _apply_due(participant)
    if participant.status not in ACTING_STATUSES:
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


def require_connected(user: Actor, participant: Participant, *, action: str = "") -> None:
    """Only an active participant, one with a connection agreement in force, is let into
    the exchange: its gateways approved, its certificates issued (003 §2.1, §4)."""
    require_active(user, participant, action=action)
    if participant.status == ParticipantStatus.REGISTERED:
        raise NotPermitted(
            _(
                "%(member)s has no connection agreement in force yet; it joins the exchange "
                "once the operator records the signed agreement (003 §2.1)."
            )
            % {"member": participant.identifier},
            actor=user,
            obj=participant,
            action=action,
        )


def _apply_due(participant: Participant) -> None:
    """Apply the participant's changes whose notice has run, then read its status again."""
    if participant.pk is None:
        return
    from tunduk.catalog.services.participants import apply_due_changes

    if apply_due_changes(participant):
        participant.refresh_from_db(fields=["status"])


def configuration_changed() -> None:
    """Regenerate the global configuration once the current transaction has committed."""
    from tunduk.catalog.configuration import publish_configuration

    transaction.on_commit(publish_configuration)
