"""The Catalog's transition tables: each allowed move is allowed, every other one refused specifically."""

from __future__ import annotations

from enum import Enum
from itertools import product

import pytest

from tunduk.catalog import lifecycle
from tunduk.catalog.choices import (
    AccessRequestStatus,
    CertificateStatus,
    GatewayStatus,
    ParticipantStatus,
    StatusChangeKind,
)
from tunduk.catalog.lifecycle import Action, Lifecycle
from tunduk.core.errors import TransitionError

P, K = ParticipantStatus, StatusChangeKind
A, C, G = AccessRequestStatus, CertificateStatus, GatewayStatus

# The rules as 003 states them, written out independently of the module under test:
# (table, every state of the kind, every action on the kind, the allowed moves).
RULES: dict[str, tuple[Lifecycle, type[Enum], tuple[str, ...], dict[tuple[str, str], str]]] = {
    "participant": (
        lifecycle.PARTICIPANT,
        P,
        tuple(K),
        {
            (P.REGISTERED, K.ACTIVATE): P.ACTIVE,  # 003 §2.1: once the agreement is in force
            (P.ACTIVE, K.SUSPEND): P.SUSPENDED,
            (P.SUSPENDED, K.REINSTATE): P.ACTIVE,
            (P.ACTIVE, K.DISCONNECT): P.DISCONNECTED,
            (P.SUSPENDED, K.DISCONNECT): P.DISCONNECTED,
            (P.ACTIVE, K.LEAVE): P.LEFT,
            (P.SUSPENDED, K.LEAVE): P.LEFT,
        },
    ),
    "access request": (
        lifecycle.ACCESS_REQUEST,
        A,
        (Action.GRANT, Action.REFUSE),
        {(A.PENDING, Action.GRANT): A.GRANTED, (A.PENDING, Action.REFUSE): A.REFUSED},
    ),
    "gateway": (
        lifecycle.GATEWAY,
        G,
        (Action.APPROVE, Action.REFUSE),
        {(G.REQUESTED, Action.APPROVE): G.APPROVED, (G.REQUESTED, Action.REFUSE): G.REFUSED},
    ),
    "certificate": (
        lifecycle.CERTIFICATE,
        C,
        (Action.ISSUE, Action.REFUSE, Action.REVOKE),
        {
            (C.REQUESTED, Action.ISSUE): C.ISSUED,
            (C.REQUESTED, Action.REFUSE): C.REFUSED,
            (C.ISSUED, Action.REVOKE): C.REVOKED,
        },
    ),
    "grant": (
        lifecycle.GRANT,
        lifecycle.GrantStatus,
        (Action.REVOKE,),
        {("active", Action.REVOKE): "revoked"},
    ),
    "agreement": (
        lifecycle.AGREEMENT,
        lifecycle.AgreementStatus,
        (Action.TERMINATE, Action.SUPERSEDE),
        {
            ("in_force", Action.TERMINATE): "ending",  # 003 §7.2, §4: notice first
            ("in_force", Action.SUPERSEDE): "terminated",  # 003 §7.3
            ("ending", Action.SUPERSEDE): "terminated",
        },
    ),
    "recommendation": (
        lifecycle.RECOMMENDATION,
        lifecycle.RecommendationStatus,
        (Action.REPORT_CARRIED_OUT,),
        {("open", Action.REPORT_CARRIED_OUT): "carried_out"},
    ),
    "monitoring consent": (
        lifecycle.MONITORING,
        lifecycle.MonitoringConsent,
        (Action.ALLOW_MONITORING,),
        {("not_given", Action.ALLOW_MONITORING): "given"},
    ),
}


def _moves(allowed: bool) -> list[tuple[str, str, str, str]]:
    """(kind, status, action, target or "") for every allowed, or every refused, move."""
    moves = []
    for kind, (_table, states, actions, rules) in RULES.items():
        for state, action in product(states, actions):
            status = str(state.value)
            if ((status, action) in rules) == allowed:
                moves.append((kind, status, str(action), rules.get((status, action), "")))
    return moves


def _expected_refusal(kind: str, status: str, action: str) -> tuple[str, str]:
    """The message and field of the specific error each kind of object has always raised."""
    if kind == "participant":
        change, label = StatusChangeKind(action).label.lower(), ParticipantStatus(status).label
        return f"A {change} is not possible while the participant is “{label}”.", "status"
    if kind == "certificate":
        expected = {"issue": C.REQUESTED, "refuse": C.REQUESTED, "revoke": C.ISSUED}[action]
        return (
            f"This certificate is “{C(status).label}”; the action needs it to be “{expected.label}”.",
            "status",
        )
    if kind == "agreement" and status == "ending":
        return ("Notice of termination of this agreement has already been given.", "terminated_at")
    return {
        "access request": ("This request has already been decided.", "status"),
        "gateway": ("This gateway has already been decided.", "status"),
        "grant": ("This grant has already been revoked.", "status"),
        "agreement": ("This agreement is already terminated.", "terminated_at"),
        "recommendation": ("This recommendation has already been reported as carried out.", ""),
        "monitoring consent": ("Monitoring is already allowed.", "monitoring_consent_at"),
    }[kind]


@pytest.mark.parametrize("kind", RULES)
def test_table_holds_exactly_the_rules(kind):
    """Each kind's table allows exactly the moves of 003, no more and no fewer."""
    table, _states, _actions, rules = RULES[kind]
    assert dict(table.transitions) == rules


@pytest.mark.parametrize(("kind", "status", "action", "target"), _moves(allowed=True))
def test_allowed_move_leads_to_its_state(kind, status, action, target):
    """An allowed move is allowed and leads to the state the rules name."""
    table = RULES[kind][0]
    assert table.allowed(status, action)
    assert table.next_status(status, action) == target


@pytest.mark.parametrize(("kind", "status", "action", "_target"), _moves(allowed=False))
def test_any_other_move_is_refused_specifically(kind, status, action, _target):
    """Every move outside the table is refused with the kind's own message, naming the field."""
    table = RULES[kind][0]
    assert not table.allowed(status, action)
    with pytest.raises(TransitionError) as refused:
        table.next_status(status, action)
    message, field = _expected_refusal(kind, status, action)
    assert refused.value.message == message
    assert refused.value.field == field
    assert refused.value.status_code == 409


def test_departed_participants_are_the_final_states():
    """Disconnected and left are the participant states nothing leads out of (003 §4)."""
    departed = lifecycle.DEPARTED
    assert departed == {ParticipantStatus.DISCONNECTED, ParticipantStatus.LEFT}


def test_a_participant_change_leads_to_one_state():
    """A change notified in advance applies the state its kind leads to."""
    assert {kind: lifecycle.PARTICIPANT.target(kind) for kind in StatusChangeKind} == {
        K.ACTIVATE: P.ACTIVE,
        K.SUSPEND: P.SUSPENDED,
        K.REINSTATE: P.ACTIVE,
        K.DISCONNECT: P.DISCONNECTED,
        K.LEAVE: P.LEFT,
    }
