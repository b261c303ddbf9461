"""A small, validated global configuration for the protocol tests (built with globalconf.build)."""

from __future__ import annotations

from datetime import UTC, datetime

from tunduk.globalconf import (
    GlobalConfiguration,
    GlobalGroup,
    Grant,
    Member,
    MemberStatus,
    Subsystem,
    build,
)

NOW = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)
FUND = "KG/GOV/70000004"
POPULATION = "KG/GOV/70000001"
PERSON = f"{POPULATION}/population/person-by-pin"
ADDRESSES = f"{POPULATION}/population/addresses"
PETS = f"{POPULATION}/population/pets"


def configuration(
    *, suspended: frozenset[str] = frozenset(), grants: list[Grant] | None = None
) -> GlobalConfiguration:
    """The demo's shape: the social fund, population registry, a tax office and a group."""

    def status(code: str) -> MemberStatus:
        return MemberStatus.SUSPENDED if code in suspended else MemberStatus.ACTIVE

    members = [
        Member(
            "GOV",
            "70000001",
            "Population registry",
            status("70000001"),
            [Subsystem("population", "Population register")],
        ),
        Member(
            "GOV",
            "70000004",
            "Social fund",
            status("70000004"),
            [Subsystem("pension-accounts", "Pension accounts"), Subsystem("benefits", "Benefits")],
        ),
        Member("GOV", "70000009", "Tax office", status("70000009"), [Subsystem("tax", "Tax")]),
        Member("COM", "12345", "A company", status("12345"), [Subsystem("crm", "CRM")]),
    ]
    groups = [
        GlobalGroup("state-bodies", "All state bodies", ["KG/GOV/70000009"]),
        GlobalGroup("benefit-systems", "Benefit systems", [f"{FUND}/benefits"]),
    ]
    default = [
        Grant(PERSON, f"{FUND}/pension-accounts"),
        Grant(ADDRESSES, "KG/state-bodies"),
        Grant(PETS, f"{FUND}/pension-accounts", "GET", "/pets/*"),
        Grant(PETS, f"{FUND}/pension-accounts", "POST", "/pets"),
        Grant(PETS, "KG/benefit-systems", "*", "/pets/**"),
        Grant(PETS, "KG/state-bodies", "GET", "/pets/*/photos/*"),
        Grant(PETS, "KG/state-bodies", "DELETE", "/owners/**/pets/*"),
    ]
    return build(
        "KG",
        1,
        members=members,
        gateways=[],
        groups=groups,
        grants=default if grants is None else grants,
        now=NOW,
    )
