"""The Catalog's life cycles as explicit transition tables, one per kind of object.

Participant (003 §2.1, §4): registered → active (activate, once a connection agreement is
in force); active → suspended (suspend) → active (reinstate); active or suspended →
disconnected (the operator) or left (the participant). Both are final.
Access request (003 §3.2.8): pending → granted | refused.
Gateway (003 §3.2.1): requested → approved | refused. No action leads to "disabled" yet.
Certificate (003 §3.2.1): requested → issued | refused; issued → revoked.
Grant: active → revoked. Agreement (003 §7.2–7.3): in force → ending (notice of
termination given) → terminated when the notice has run; in force or ending → terminated
at once (superseded by a new connection agreement).
Recommendation (003 §3.2.15): open → carried out. Monitoring consent (003 §3.2.14):
not given → given.

Grants, agreements, recommendations and monitoring consent keep their state in a
timestamp, not a status field: ``*_status()`` derives it. Every refusal is the specific,
translated error the Catalog's services raise for that kind of object.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from tunduk.catalog.choices import (
    AccessRequestStatus,
    CertificateStatus,
    GatewayStatus,
    ParticipantStatus,
    StatusChangeKind,
)
from tunduk.core.errors import TransitionError

if TYPE_CHECKING:
    from tunduk.catalog.models import Agreement, Grant, Participant, Recommendation


class Action(StrEnum):
    """What moves a Catalog object other than a participant (whose actions are its
    ``StatusChangeKind``) from one state to another."""

    GRANT = "grant"
    REFUSE = "refuse"
    APPROVE = "approve"
    ISSUE = "issue"
    REVOKE = "revoke"
    TERMINATE = "terminate"
    SUPERSEDE = "supersede"
    REPORT_CARRIED_OUT = "report_carried_out"
    ALLOW_MONITORING = "allow_monitoring"


class GrantStatus(StrEnum):
    """A grant's state, derived from ``revoked_at``."""

    ACTIVE = "active"
    REVOKED = "revoked"


class AgreementStatus(StrEnum):
    """An agreement's state, derived from ``termination_notified_at`` and ``terminated_at``."""

    IN_FORCE = "in_force"
    ENDING = "ending"  # notice of termination given; in force until ``terminated_at``
    TERMINATED = "terminated"


class RecommendationStatus(StrEnum):
    """A recommendation's state, derived from ``implemented_at``."""

    OPEN = "open"
    CARRIED_OUT = "carried_out"


class MonitoringConsent(StrEnum):
    """Whether a participant lets the operator monitor it, derived from ``monitoring_consent_at``."""

    NOT_GIVEN = "not_given"
    GIVEN = "given"


@dataclass(frozen=True)
class Lifecycle:
    """One kind of object's transition table and the error that refuses anything else."""

    transitions: Mapping[tuple[str, str], str]
    refusal: Callable[[Lifecycle, str, str], TransitionError]

    @property
    def actions(self) -> frozenset[str]:
        """Every action the table knows."""
        return frozenset(action for (_status, action) in self.transitions)

    @property
    def final(self) -> frozenset[str]:
        """The states no action leads out of."""
        starts = {status for (status, _action) in self.transitions}
        return frozenset(set(self.transitions.values()) - starts)

    def allowed(self, status: str, action: str) -> bool:
        """Whether ``action`` may be taken on an object in ``status``."""
        return (status, action) in self.transitions

    def starts(self, action: str) -> tuple[str, ...]:
        """The states ``action`` may be taken from, in the table's order."""
        return tuple(status for (status, known) in self.transitions if known == action)

    def target(self, action: str) -> str:
        """The state ``action`` leads to (each action leads to one state)."""
        return next(to for (_status, known), to in self.transitions.items() if known == action)

    def next_status(self, status: str, action: str) -> str:
        """The state after ``action``; raises this kind's ``TransitionError`` when not allowed."""
        try:
            return self.transitions[(status, action)]
        except KeyError:
            raise self.refusal(self, status, action) from None


def _participant_refusal(lifecycle: Lifecycle, status: str, action: str) -> TransitionError:
    return TransitionError(
        _("A %(change)s is not possible while the participant is “%(status)s”.")
        % {
            "change": StatusChangeKind(action).label.lower(),
            "status": ParticipantStatus(status).label,
        },
        field="status",
    )


def _certificate_refusal(lifecycle: Lifecycle, status: str, action: str) -> TransitionError:
    # Each certificate action starts from exactly one state: name it.
    (expected,) = lifecycle.starts(action)
    return TransitionError(
        _("This certificate is “%(status)s”; the action needs it to be “%(expected)s”.")
        % {
            "status": CertificateStatus(status).label,
            "expected": CertificateStatus(expected).label,
        },
        field="status",
    )


def _access_request_refusal(lifecycle: Lifecycle, status: str, action: str) -> TransitionError:
    return TransitionError(_("This request has already been decided."), field="status")


def _gateway_refusal(lifecycle: Lifecycle, status: str, action: str) -> TransitionError:
    return TransitionError(_("This gateway has already been decided."), field="status")


def _grant_refusal(lifecycle: Lifecycle, status: str, action: str) -> TransitionError:
    return TransitionError(_("This grant has already been revoked."), field="status")


def _agreement_refusal(lifecycle: Lifecycle, status: str, action: str) -> TransitionError:
    if status == AgreementStatus.ENDING:
        return TransitionError(
            _("Notice of termination of this agreement has already been given."),
            field="terminated_at",
        )
    return TransitionError(_("This agreement is already terminated."), field="terminated_at")


def _recommendation_refusal(lifecycle: Lifecycle, status: str, action: str) -> TransitionError:
    return TransitionError(_("This recommendation has already been reported as carried out."))


def _monitoring_refusal(lifecycle: Lifecycle, status: str, action: str) -> TransitionError:
    return TransitionError(_("Monitoring is already allowed."), field="monitoring_consent_at")


P = ParticipantStatus
PARTICIPANT = Lifecycle(
    {
        (P.REGISTERED, StatusChangeKind.ACTIVATE): P.ACTIVE,
        (P.ACTIVE, StatusChangeKind.SUSPEND): P.SUSPENDED,
        (P.SUSPENDED, StatusChangeKind.REINSTATE): P.ACTIVE,
        (P.ACTIVE, StatusChangeKind.DISCONNECT): P.DISCONNECTED,
        (P.SUSPENDED, StatusChangeKind.DISCONNECT): P.DISCONNECTED,
        (P.ACTIVE, StatusChangeKind.LEAVE): P.LEFT,
        (P.SUSPENDED, StatusChangeKind.LEAVE): P.LEFT,
    },
    _participant_refusal,
)

ACCESS_REQUEST = Lifecycle(
    {
        (AccessRequestStatus.PENDING, Action.GRANT): AccessRequestStatus.GRANTED,
        (AccessRequestStatus.PENDING, Action.REFUSE): AccessRequestStatus.REFUSED,
    },
    _access_request_refusal,
)

GATEWAY = Lifecycle(
    {
        (GatewayStatus.REQUESTED, Action.APPROVE): GatewayStatus.APPROVED,
        (GatewayStatus.REQUESTED, Action.REFUSE): GatewayStatus.REFUSED,
    },
    _gateway_refusal,
)

CERTIFICATE = Lifecycle(
    {
        (CertificateStatus.REQUESTED, Action.ISSUE): CertificateStatus.ISSUED,
        (CertificateStatus.REQUESTED, Action.REFUSE): CertificateStatus.REFUSED,
        (CertificateStatus.ISSUED, Action.REVOKE): CertificateStatus.REVOKED,
    },
    _certificate_refusal,
)

GRANT = Lifecycle({(GrantStatus.ACTIVE, Action.REVOKE): GrantStatus.REVOKED}, _grant_refusal)

AGREEMENT = Lifecycle(
    {
        (AgreementStatus.IN_FORCE, Action.TERMINATE): AgreementStatus.ENDING,
        (AgreementStatus.IN_FORCE, Action.SUPERSEDE): AgreementStatus.TERMINATED,
        (AgreementStatus.ENDING, Action.SUPERSEDE): AgreementStatus.TERMINATED,
    },
    _agreement_refusal,
)

RECOMMENDATION = Lifecycle(
    {(RecommendationStatus.OPEN, Action.REPORT_CARRIED_OUT): RecommendationStatus.CARRIED_OUT},
    _recommendation_refusal,
)

MONITORING = Lifecycle(
    {(MonitoringConsent.NOT_GIVEN, Action.ALLOW_MONITORING): MonitoringConsent.GIVEN},
    _monitoring_refusal,
)

# Participants that can never come back: their certificates are revoked (003 §4).
DEPARTED = PARTICIPANT.final


def grant_status(grant: Grant) -> GrantStatus:
    """Whether ``grant`` is still in force."""
    return GrantStatus.ACTIVE if grant.revoked_at is None else GrantStatus.REVOKED


def agreement_status(agreement: Agreement, now: datetime | None = None) -> AgreementStatus:
    """Whether ``agreement`` is in force, ending (in force until its notice runs out) or
    terminated, read from its dates so it is right before any task applies it."""
    if agreement.terminated_at is None:
        return AgreementStatus.IN_FORCE
    if agreement.terminated_at <= (now or timezone.now()):
        return AgreementStatus.TERMINATED
    if agreement.termination_notified_at is None:
        return AgreementStatus.IN_FORCE
    return AgreementStatus.ENDING


def recommendation_status(recommendation: Recommendation) -> RecommendationStatus:
    """Whether ``recommendation`` has been reported as carried out."""
    if recommendation.implemented_at is None:
        return RecommendationStatus.OPEN
    return RecommendationStatus.CARRIED_OUT


def monitoring_consent(participant: Participant) -> MonitoringConsent:
    """Whether ``participant`` has let the operator monitor it."""
    if participant.monitoring_consent_at is None:
        return MonitoringConsent.NOT_GIVEN
    return MonitoringConsent.GIVEN
