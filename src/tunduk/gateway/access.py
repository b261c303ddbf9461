"""Who may call what: the provider side's grant check, from one global configuration.

:class:`AccessIndex` is built once per accepted configuration (dicts keyed by service
and subject); a check per message is a handful of dict lookups plus matching the few
endpoint rules of the client's own subjects, never a scan of all grants.

Rules (XROAD-PROTOCOL "Access rights"; issue 9 §3):

- a grant's subject is a subsystem ``INSTANCE/CLASS/MEMBER/SUBSYSTEM`` or a global group
  ``INSTANCE/GROUPCODE``; a client holds the grants of its subsystem, of every group its
  subsystem is in and of every group its member is in (a client without a subsystem:
  the groups of its member);
- a grant without an endpoint covers the whole service; an endpoint grant names a
  method (or ``*``) and a path glob where ``*`` is exactly one segment and ``**`` any
  number of segments (zero included); other segments match literally;
- the request path is percent-decoded and normalised first; ``.``/``..`` segments,
  empty segments, encoded ``/`` or ``\\`` are refused as ``Client.BadRequest``;
- a suspended member (client's or provider's) is refused
  (``Server.ServerProxy.MemberSuspended``); a client member or subsystem unknown to the
  configuration, or of another instance (no federation), holds no grant.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from tunduk.globalconf import GlobalConfiguration, MemberStatus
from tunduk.identifiers import MemberId, ServiceId, SubsystemId

from ._errors import Code, GatewayError
from ._url import normalise_rest

__all__ = ["AccessIndex", "AllowedEndpoints", "EndpointRule", "match_glob"]

MAX_MEMOISED_CLIENTS = 10_000
"""Clients whose grant subjects are remembered per index."""
MAX_PATTERN_SEGMENTS = 64
"""Segments in one grant's path glob (longer globs never match)."""


def match_glob(pattern: tuple[str, ...], segments: tuple[str, ...]) -> bool:
    """True when ``segments`` match ``pattern`` (``*`` one segment, ``**`` any number).

    Dynamic programming over (pattern, path) positions: O(len(pattern) × len(segments))
    whatever the number of ``**``, so a hostile glob or path cannot make it backtrack.
    """
    # reachable[j]: the pattern read so far can consume exactly segments[:j].
    reachable = [True] + [False] * len(segments)
    for part in pattern:
        if part == "**":
            for index in range(1, len(reachable)):
                reachable[index] = reachable[index] or reachable[index - 1]
            continue
        following = [False] * len(reachable)
        for index, segment in enumerate(segments):
            if reachable[index] and (part == "*" or part == segment):
                following[index + 1] = True
        reachable = following
    return reachable[-1]


def _pattern(path: str) -> tuple[str, ...]:
    stripped = path.strip("/")
    return tuple(stripped.split("/")) if stripped else ()


@dataclass(frozen=True)
class EndpointRule:
    """One endpoint grant: ``method`` (``*`` for any) and a path glob."""

    method: str
    path: str
    segments: tuple[str, ...] = field(init=False, repr=False, compare=False)
    """The glob's segments (``/pets/*`` → ``("pets", "*")``)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "segments", _pattern(self.path))

    def matches(self, method: str, segments: tuple[str, ...]) -> bool:
        """True when this rule covers ``method`` on the normalised path ``segments``."""
        if self.method not in ("*", method):
            return False
        pattern = self.segments
        return len(pattern) <= MAX_PATTERN_SEGMENTS and match_glob(pattern, segments)


WHOLE_SERVICE = EndpointRule("*", "**")
"""How a whole-service grant is listed among endpoints (X-Road's ``*`` and ``**``)."""


@dataclass(frozen=True)
class AllowedEndpoints:
    """What a client may call of one service: all of it, or only these endpoints."""

    whole_service: bool
    endpoints: tuple[EndpointRule, ...]

    def rules(self) -> tuple[EndpointRule, ...]:
        """The endpoints as rules, a whole-service grant as ``*`` ``**``."""
        return (WHOLE_SERVICE,) if self.whole_service else self.endpoints


class _Rules:
    """The grants of one subject for one service: literal endpoints in a set, globs apart."""

    __slots__ = ("endpoints", "exact", "globs", "whole")

    def __init__(self) -> None:
        self.whole = False
        self.endpoints: list[EndpointRule] = []
        self.exact: set[tuple[str, tuple[str, ...]]] = set()
        self.globs: list[EndpointRule] = []

    def add(self, rule: EndpointRule) -> None:
        self.endpoints.append(rule)
        if rule.method != "*" and not {"*", "**"} & set(rule.segments):
            self.exact.add((rule.method, rule.segments))
        else:
            self.globs.append(rule)

    def covers(self, method: str, segments: tuple[str, ...]) -> bool:
        """True when a grant here covers the request: a set lookup, then the few globs."""
        return (
            self.whole
            or (method, segments) in self.exact
            or any(rule.matches(method, segments) for rule in self.globs)
        )


class AccessIndex:
    """The grants, groups and member states of one configuration, indexed for lookups."""

    def __init__(self, conf: GlobalConfiguration) -> None:
        self.instance = conf.instance
        self.version = conf.version
        self._status: dict[MemberId, MemberStatus] = {}
        self._subsystems: set[SubsystemId] = set()
        for member in conf.members:
            member_id = MemberId(conf.instance, member.member_class, member.member_code)
            self._status[member_id] = member.status
            self._subsystems.update(
                SubsystemId(member_id, item.subsystem_code) for item in member.subsystems
            )
        groups_of: defaultdict[str, set[str]] = defaultdict(set)
        for group in conf.groups:
            for identifier in group.members:
                groups_of[identifier].add(f"{conf.instance}/{group.code}")
        self._groups_of = {key: frozenset(value) for key, value in groups_of.items()}
        rules: defaultdict[tuple[str, str], _Rules] = defaultdict(_Rules)
        for grant in conf.grants:
            entry = rules[(grant.service, grant.client)]
            if grant.endpoint_method is None or grant.endpoint_path is None:
                entry.whole = True
            else:
                entry.add(EndpointRule(grant.endpoint_method, grant.endpoint_path))
        self._rules = dict(rules)
        self._subjects: dict[MemberId | SubsystemId, tuple[str, ...]] = {}

    def member_status(self, member: MemberId) -> MemberStatus | None:
        """The member's status, or None when the configuration does not list it."""
        return self._status.get(member)

    def subjects(self, client: MemberId | SubsystemId) -> tuple[str, ...]:
        """The grant subjects a client speaks for: its subsystem and its groups (memoised)."""
        cached = self._subjects.get(client)
        if cached is not None:
            return cached
        member = client.member if isinstance(client, SubsystemId) else client
        found: set[str] = set(self._groups_of.get(str(member), ()))
        if isinstance(client, SubsystemId):
            found.update(self._groups_of.get(str(client), ()))
            found.add(str(client))
        if len(self._subjects) >= MAX_MEMOISED_CLIENTS:
            self._subjects.clear()  # bounded: clients an attacker invents cannot grow it
        self._subjects[client] = subjects = tuple(sorted(found))
        return subjects

    def check(
        self, client: MemberId | SubsystemId, service: ServiceId, method: str, path: str
    ) -> None:
        """Raise ``GatewayError`` unless ``client`` may call ``method path`` of ``service``.

        ``path`` is the rest of the service path as received (``""`` or ``/…``, still
        percent-encoded). Codes: ``Client.BadRequest`` (path), ``MemberSuspended``,
        ``AccessDenied``.
        """
        segments = normalise_rest(path)
        self._check_members(client, service)
        service_text = str(service)
        for subject in self.subjects(client):
            entry = self._rules.get((service_text, subject))
            if entry is not None and entry.covers(method, segments):
                return
        raise GatewayError(
            Code.ACCESS_DENIED, f"Client {client} has no grant for {method} on {service}"
        )

    def is_allowed(
        self, client: MemberId | SubsystemId, service: ServiceId, method: str, path: str
    ) -> bool:
        """True when :meth:`check` passes; a malformed path still raises ``Client.BadRequest``."""
        normalise_rest(path)  # a malformed path is a bad request, not a "no"
        try:
            self.check(client, service, method, path)
        except GatewayError:
            return False
        return True

    def allowed_endpoints(
        self, client: MemberId | SubsystemId, service: ServiceId
    ) -> AllowedEndpoints | None:
        """What ``client`` may call of ``service``, or None when nothing (or suspended)."""
        try:
            self._check_members(client, service)
        except GatewayError:
            return None
        return self._allowed(client, service)

    def _allowed(
        self, client: MemberId | SubsystemId, service: ServiceId
    ) -> AllowedEndpoints | None:
        service_text = str(service)
        whole = False
        endpoints: dict[EndpointRule, None] = {}
        for subject in self.subjects(client):
            entry = self._rules.get((service_text, subject))
            if entry is not None:
                whole = whole or entry.whole
                endpoints.update(dict.fromkeys(entry.endpoints))
        if not whole and not endpoints:
            return None
        return AllowedEndpoints(whole, () if whole else tuple(endpoints))

    def _check_members(self, client: MemberId | SubsystemId, service: ServiceId) -> None:
        member = client.member if isinstance(client, SubsystemId) else client
        if member.instance != self.instance:
            raise GatewayError(
                Code.ACCESS_DENIED, f"Clients of instance {member.instance} hold no grants here"
            )
        status = self._status.get(member)
        if status is None:
            raise GatewayError(
                Code.ACCESS_DENIED, f"Member {member} is not in the global configuration"
            )
        if isinstance(client, SubsystemId) and client not in self._subsystems:
            raise GatewayError(
                Code.ACCESS_DENIED, f"Subsystem {client} is not in the global configuration"
            )
        if status == MemberStatus.SUSPENDED:
            raise GatewayError(Code.MEMBER_SUSPENDED, f"Member {member} is suspended")
        provider = service.subsystem.member
        if self._status.get(provider) == MemberStatus.SUSPENDED:
            raise GatewayError(Code.MEMBER_SUSPENDED, f"Member {provider} is suspended")
