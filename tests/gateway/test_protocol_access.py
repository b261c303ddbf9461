"""The provider side's grant check (XROAD-PROTOCOL "Access rights"; issue 9 §3)."""

from __future__ import annotations

import pytest

from tunduk.gateway._errors import Code, GatewayError
from tunduk.gateway.access import AccessIndex, EndpointRule, match_glob
from tunduk.globalconf import Grant
from tunduk.identifiers import MemberId, SubsystemId, parse_client, parse_service

from ._protocol_helpers import ADDRESSES, FUND, PERSON, PETS, configuration

PENSION = SubsystemId(MemberId("KG", "GOV", "70000004"), "pension-accounts")
BENEFITS = SubsystemId(MemberId("KG", "GOV", "70000004"), "benefits")
TAX = SubsystemId(MemberId("KG", "GOV", "70000009"), "tax")
CRM = SubsystemId(MemberId("KG", "COM", "12345"), "crm")


@pytest.fixture(scope="module")
def index() -> AccessIndex:
    return AccessIndex(configuration())


def code_of(index: AccessIndex, client: object, service: str, method: str, path: str) -> str:
    with pytest.raises(GatewayError) as caught:
        index.check(client, parse_service(service), method, path)  # type: ignore[arg-type]
    return caught.value.code


def test_whole_service_grant_to_subsystem(index: AccessIndex) -> None:
    """A grant without an endpoint covers every method and path of the service."""
    person = parse_service(PERSON)
    assert index.is_allowed(PENSION, person, "GET", "/22001199000123")
    assert index.is_allowed(PENSION, person, "POST", "")
    assert index.is_allowed(PENSION, person, "DELETE", "/a/b/c")
    assert not index.is_allowed(BENEFITS, person, "GET", "/22001199000123")


def test_grant_to_group_of_member(index: AccessIndex) -> None:
    """A group holding the client's member gives its subsystems the group's grants."""
    addresses = parse_service(ADDRESSES)
    assert index.is_allowed(TAX, addresses, "GET", "/x")
    assert index.is_allowed(MemberId("KG", "GOV", "70000009"), addresses, "GET", "/x")
    assert not index.is_allowed(PENSION, addresses, "GET", "/x")


def test_grant_to_group_of_subsystem(index: AccessIndex) -> None:
    """A group holding the client subsystem gives it the group's grants (** any depth)."""
    pets = parse_service(PETS)
    assert index.is_allowed(BENEFITS, pets, "PATCH", "/pets")
    assert index.is_allowed(BENEFITS, pets, "GET", "/pets/1/photos/2")
    assert not index.is_allowed(BENEFITS, pets, "GET", "/owners/1")
    assert index.subjects(BENEFITS) == ("KG/GOV/70000004/benefits", "KG/benefit-systems")


def test_member_client_holds_no_subsystem_grant(index: AccessIndex) -> None:
    """A client without a subsystem holds only its member's groups' grants."""
    assert not index.is_allowed(MemberId("KG", "GOV", "70000004"), parse_service(PERSON), "GET", "")


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("GET", "/pets/1", True),
        ("GET", "/pets/1/", True),
        ("GET", "/pets/%31", True),
        ("GET", "/pets", False),
        ("GET", "/pets/1/2", False),
        ("POST", "/pets", True),
        ("POST", "/pets/1", False),
        ("PUT", "/pets/1", False),
        ("get", "/pets/1", False),
        ("GET", "/pets/a%20b", True),
        ("GET", "/PETS/1", False),
    ],
)
def test_endpoint_grants(index: AccessIndex, method: str, path: str, allowed: bool) -> None:
    """Endpoint grants: the method (case-sensitive) and the glob, * being exactly one segment."""
    assert index.is_allowed(PENSION, parse_service(PETS), method, path) is allowed


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/pets/1/photos/2", True),
        ("/pets/1/photos", False),
        ("/owners/a/pets/1", True),
        ("/owners/pets/1", True),
        ("/owners/a/b/c/pets/1", True),
        ("/owners/a/b/c/pets", False),
    ],
)
def test_globs_through_groups(index: AccessIndex, path: str, allowed: bool) -> None:
    """Globs: ** matches any number of segments (zero too), * exactly one."""
    method = "GET" if "photos" in path else "DELETE"
    assert index.is_allowed(TAX, parse_service(PETS), method, path) is allowed


def test_denial_code_and_status(index: AccessIndex) -> None:
    """No grant: Server.ServerProxy.AccessDenied, HTTP 500 (X-Road's status rule)."""
    with pytest.raises(GatewayError) as caught:
        index.check(PENSION, parse_service(PETS), "DELETE", "/pets/1")
    assert caught.value.code == Code.ACCESS_DENIED
    assert caught.value.status == 500


@pytest.mark.parametrize(
    "path",
    [
        "/pets/..",
        "/pets/../admin",
        "/pets/%2e%2e/admin",
        "/pets/%2E%2E",
        "/pets/.",
        "/pets/%2e",
        "/pets/1%2Fadmin",
        "/pets/1%2fadmin",
        "/pets/1%5Cadmin",
        "/pets//1",
        "//pets/1",
        "/pets/%00",
        "/pets/%0a",
        "/pets/%zz",
        "/pets/%C3%28",
        "pets/1",
    ],
)
def test_traversal_and_encoded_slashes_refused(index: AccessIndex, path: str) -> None:
    """Attacker: dot-segments, encoded slashes, empty segments, control characters: BadRequest."""
    assert code_of(index, BENEFITS, PETS, "GET", path) == Code.CLIENT_BAD_REQUEST
    with pytest.raises(GatewayError):
        index.is_allowed(BENEFITS, parse_service(PETS), "GET", path)


def test_too_many_segments(index: AccessIndex) -> None:
    """Attacker: a path of thousands of segments is refused before any matching."""
    path = "/pets" * 5000
    assert code_of(index, BENEFITS, PETS, "GET", path) == Code.REQUEST_TOO_LARGE


def test_suspended_client_member() -> None:
    """003: a suspended member is refused: Server.ServerProxy.MemberSuspended."""
    index = AccessIndex(configuration(suspended=frozenset({"70000004"})))
    assert code_of(index, PENSION, PERSON, "GET", "/1") == Code.MEMBER_SUSPENDED
    assert index.allowed_endpoints(PENSION, parse_service(PERSON)) is None
    assert not index.is_allowed(PENSION, parse_service(PERSON), "GET", "/1")


def test_suspended_provider_member() -> None:
    """A suspended provider's services are refused too."""
    index = AccessIndex(configuration(suspended=frozenset({"70000001"})))
    assert code_of(index, PENSION, PERSON, "GET", "/1") == Code.MEMBER_SUSPENDED


def test_unknown_or_foreign_clients_hold_no_grants(index: AccessIndex) -> None:
    """Attacker: an undeclared subsystem, unknown member or another instance is denied."""
    unknown_subsystem = SubsystemId(MemberId("KG", "GOV", "70000004"), "ghost")
    foreign = SubsystemId(MemberId("EE", "GOV", "70000004"), "pension-accounts")
    unknown_member = SubsystemId(MemberId("KG", "GOV", "99999999"), "x")
    for client in (unknown_subsystem, foreign, unknown_member):
        assert code_of(index, client, PERSON, "GET", "") == Code.ACCESS_DENIED


def test_group_grant_does_not_leak_to_other_members(index: AccessIndex) -> None:
    """A group of one member gives nothing to a subsystem of another member."""
    assert not index.is_allowed(CRM, parse_service(ADDRESSES), "GET", "/x")


def test_allowed_endpoints(index: AccessIndex) -> None:
    """allowed_endpoints lists the endpoint grants, or the whole service as X-Road does: * **."""
    pets = parse_service(PETS)
    allowed = index.allowed_endpoints(PENSION, pets)
    assert allowed is not None
    assert allowed.whole_service is False
    assert allowed.endpoints == (EndpointRule("GET", "/pets/*"), EndpointRule("POST", "/pets"))
    whole = index.allowed_endpoints(PENSION, parse_service(PERSON))
    assert whole is not None
    assert whole.whole_service
    assert [(rule.method, rule.path) for rule in whole.rules()] == [("*", "**")]
    assert index.allowed_endpoints(CRM, pets) is None


def test_whole_grant_absorbs_endpoint_grants() -> None:
    """A client holding both a whole-service and endpoint grants may call everything."""
    grants = [
        Grant(PETS, f"{FUND}/pension-accounts", "GET", "/pets/*"),
        Grant(PETS, "KG/benefit-systems"),
    ]
    index = AccessIndex(configuration(grants=grants))
    allowed = index.allowed_endpoints(BENEFITS, parse_service(PETS))
    assert allowed is not None
    assert allowed.whole_service
    assert allowed.endpoints == ()


@pytest.mark.parametrize(
    ("pattern", "path", "matched"),
    [
        ((), (), True),
        (("**",), (), True),
        (("**",), ("a", "b"), True),
        (("*",), (), False),
        (("a", "**", "b", "**", "c"), ("a", "x", "b", "y", "z", "c"), True),
        (("a", "**", "b", "**", "c"), ("a", "c"), False),
        (("**", "**", "**", "x"), ("a",) * 100, False),
    ],
)
def test_match_glob(pattern: tuple[str, ...], path: tuple[str, ...], matched: bool) -> None:
    """The glob matcher: ** any number of segments, * one, no backtracking blow-up."""
    assert match_glob(pattern, path) is matched


def test_index_is_built_from_dicts() -> None:
    """One lookup per subject: 10,000 unrelated grants do not slow or change a check."""
    grants = [Grant(PERSON, f"{FUND}/pension-accounts")]
    grants += [Grant(PETS, "KG/GOV/70000009/tax", "GET", f"/p{n}") for n in range(10_000)]
    index = AccessIndex(configuration(grants=grants))
    assert index.is_allowed(PENSION, parse_service(PERSON), "GET", "/1")
    assert index.is_allowed(TAX, parse_service(PETS), "GET", "/p9999")
    assert not index.is_allowed(TAX, parse_service(PETS), "GET", "/p10000")
    assert parse_client(str(PENSION)) == PENSION


def test_memoised_subjects_stay_bounded_and_correct(monkeypatch: pytest.MonkeyPatch) -> None:
    """Attacker: invented client ids cannot grow the memo; answers stay right after it clears."""
    from tunduk.gateway import access

    monkeypatch.setattr(access, "MAX_MEMOISED_CLIENTS", 2)
    index = AccessIndex(configuration())
    for number in range(5):
        ghost = SubsystemId(MemberId("KG", "GOV", "70000004"), f"ghost{number}")
        assert index.subjects(ghost) == (str(ghost),)
        assert len(index._subjects) <= 2
    assert index.subjects(BENEFITS) == ("KG/GOV/70000004/benefits", "KG/benefit-systems")
    assert index.is_allowed(BENEFITS, parse_service(PETS), "GET", "/pets/1")


def test_member_status(index: AccessIndex) -> None:
    """member_status reads the configuration; an unlisted member has none."""
    assert index.member_status(MemberId("KG", "GOV", "70000004")) == "active"
    assert index.member_status(MemberId("KG", "GOV", "1")) is None
