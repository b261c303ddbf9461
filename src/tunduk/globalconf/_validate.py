"""Semantic validation of a :class:`GlobalConfiguration`; every error names its field path.

Used on both sides: :func:`encode` refuses to produce (and so central refuses to sign) a
document that :func:`decode` would reject.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Callable, Hashable, Iterable
from datetime import datetime, timedelta
from typing import TypeVar
from urllib.parse import urlsplit

from cryptography import x509

from tunduk.identifiers import (
    IdentifierError,
    MemberId,
    SubsystemId,
    check_part,
    parse_client,
    parse_group,
    parse_service,
    parse_subsystem,
)

from ._errors import ConfigurationFormatError
from ._model import (
    ApprovedCa,
    ApprovedTsa,
    Gateway,
    GlobalConfiguration,
    GlobalGroup,
    Grant,
    HttpMethod,
    Member,
    MemberStatus,
    RevokedSerial,
)

MAX_VERSION = 2**63 - 1
MAX_TEXT = 1000
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
# RFC 5280 §4.1.2.2: a positive integer of at most 20 octets; written without leading zeros
# so that one serial has exactly one spelling.
_SERIAL_HEX = re.compile(r"[1-9a-f][0-9a-f]{0,39}")
_HOST_NAME = re.compile(
    r"(?=.{1,253}\Z)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
)
_SETTING_KEY = re.compile(r"[A-Za-z0-9_.-]{1,100}")

T = TypeVar("T")


def validate(conf: GlobalConfiguration) -> None:
    """Raise :class:`ConfigurationFormatError` naming the first field that breaks a rule."""
    part("instance", conf.instance)
    if not 1 <= conf.version <= MAX_VERSION:
        raise ConfigurationFormatError("version", f"must be between 1 and {MAX_VERSION}")
    timestamp("generated_at", conf.generated_at)
    timestamp("expires_at", conf.expires_at)
    if conf.expires_at <= conf.generated_at:
        raise ConfigurationFormatError("expires_at", "must be later than generated_at")
    subsystems = _members(conf.instance, conf.members)
    members = {MemberId(conf.instance, m.member_class, m.member_code) for m in conf.members}
    known = _Known(conf.instance, members, subsystems)
    _gateways(conf.gateways, known)
    _cas(conf.approved_cas, conf.generated_at)
    _tsas(conf.approved_tsas)
    known.groups = _groups(conf.groups, known)
    _grants(conf.grants, known)
    for key, value in conf.settings.items():
        if _SETTING_KEY.fullmatch(key) is None:
            raise ConfigurationFormatError(
                f"settings.{key}", "keys use only A-Z a-z 0-9 _ . - (1 to 100 characters)"
            )
        if not isinstance(value, str):
            raise ConfigurationFormatError(f"settings.{key}", "must be a string")


class _Known:
    """What the document declares, so references can be checked against it."""

    def __init__(self, instance: str, members: set[MemberId], subsystems: set[SubsystemId]):
        self.instance = instance
        self.members = members
        self.subsystems = subsystems
        self.groups: set[str] = set()


def part(path: str, value: str) -> str:
    """Check one identifier part (X-Road's allowed characters)."""
    try:
        return check_part(value)
    except IdentifierError as error:
        raise ConfigurationFormatError(path, _forbidden(error)) from None


def _forbidden(error: IdentifierError) -> str:
    # check_part words it "contains the forbidden character '/'"; the path already says where.
    return error.message.replace("contains the ", "")


def timestamp(path: str, value: datetime) -> None:
    """Timestamps are aware and whole seconds, so they encode without loss."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ConfigurationFormatError(path, "must be timezone-aware (UTC)")
    if value.microsecond:
        raise ConfigurationFormatError(path, "must be a whole number of seconds")


def text(path: str, value: str, *, empty_ok: bool = False, max_length: int = MAX_TEXT) -> None:
    """Human-readable text: not empty (unless allowed), bounded, no control characters."""
    if not value and not empty_ok:
        raise ConfigurationFormatError(path, "must not be empty")
    if len(value) > max_length:
        raise ConfigurationFormatError(path, f"is longer than {max_length} characters")
    for char in value:
        if unicodedata.category(char) == "Cc":
            raise ConfigurationFormatError(path, f"contains the control character {char!r}")


def url(path: str, value: str) -> None:
    """An absolute ``http`` or ``https`` URL."""
    text(path, value)
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in value:
        raise ConfigurationFormatError(path, f"must be an absolute http(s) URL, got {value!r}")


def certificate(path: str, value: str) -> None:
    """One PEM-encoded X.509 certificate."""
    try:
        x509.load_pem_x509_certificate(value.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise ConfigurationFormatError(path, "is not a PEM X.509 certificate") from None


def address(path: str, value: str) -> None:
    """``host`` or ``host:port``: a DNS name, an IPv4 address or a bracketed IPv6 address."""
    try:
        parts = urlsplit(f"//{value}")
        port = parts.port
        host = parts.hostname or ""
    except ValueError:
        raise ConfigurationFormatError(path, f"bad port in {value!r}") from None
    if parts.netloc != value or parts.username is not None or port == 0 or value.endswith(":"):
        raise ConfigurationFormatError(path, f"must be host or host:port, got {value!r}")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        if _HOST_NAME.fullmatch(host) is None or value.startswith("["):
            raise ConfigurationFormatError(path, f"{host!r} is not a host name or IP") from None


def unique(items: Iterable[T], key: Callable[[T], Hashable], path: str, what: str) -> None:
    """Refuse two items with the same key; name both positions."""
    seen: dict[Hashable, int] = {}
    for index, item in enumerate(items):
        value = key(item)
        if value in seen:
            raise ConfigurationFormatError(
                f"{path}[{index}]", f"duplicate {what} {value!r} (also {path}[{seen[value]}])"
            )
        seen[value] = index


def _members(instance: str, members: list[Member]) -> set[SubsystemId]:
    unique(members, lambda m: f"{m.member_class}/{m.member_code}", "members", "member")
    subsystems: set[SubsystemId] = set()
    for index, member in enumerate(members):
        path = f"members[{index}]"
        part(f"{path}.member_class", member.member_class)
        part(f"{path}.member_code", member.member_code)
        text(f"{path}.name", member.name)
        if member.status not in tuple(MemberStatus):
            raise ConfigurationFormatError(f"{path}.status", "must be 'active' or 'suspended'")
        owner = MemberId(instance, member.member_class, member.member_code)
        unique(member.subsystems, lambda s: s.subsystem_code, f"{path}.subsystems", "subsystem")
        for number, subsystem in enumerate(member.subsystems):
            sub_path = f"{path}.subsystems[{number}]"
            part(f"{sub_path}.subsystem_code", subsystem.subsystem_code)
            text(f"{sub_path}.name", subsystem.name)
            if subsystem.registry_code is not None:
                text(f"{sub_path}.registry_code", subsystem.registry_code, max_length=100)
            subsystems.add(SubsystemId(owner, subsystem.subsystem_code))
    return subsystems


def _gateways(gateways: list[Gateway], known: _Known) -> None:
    unique(gateways, _server_id, "gateways", "gateway")
    owners: dict[str, str] = {}
    for index, gateway in enumerate(gateways):
        path = f"gateways[{index}]"
        part(f"{path}.server_code", gateway.server_code)
        part(f"{path}.member_class", gateway.member_class)
        part(f"{path}.member_code", gateway.member_code)
        member = MemberId(known.instance, gateway.member_class, gateway.member_code)
        if member not in known.members:
            raise ConfigurationFormatError(path, f"owner {member} is not among the members")
        address(f"{path}.address", gateway.address)
        for number, digest in enumerate(gateway.auth_cert_sha256):
            hash_path = f"{path}.auth_cert_sha256[{number}]"
            if _SHA256_HEX.fullmatch(digest) is None:
                raise ConfigurationFormatError(hash_path, "must be 64 lowercase hex digits")
            if digest in owners:
                # Two gateways sharing a TLS key could not be told apart by their peers.
                raise ConfigurationFormatError(hash_path, f"already used by {owners[digest]}")
            owners[digest] = path


def _server_id(gateway: Gateway) -> str:
    return f"{gateway.member_class}/{gateway.member_code}/{gateway.server_code}"


def _cas(cas: list[ApprovedCa], generated_at: datetime) -> None:
    unique(cas, lambda ca: ca.name, "approved_cas", "name")
    for index, ca in enumerate(cas):
        path = f"approved_cas[{index}]"
        text(f"{path}.name", ca.name)
        certificate(f"{path}.certificate_pem", ca.certificate_pem)
        if ca.crl_url is not None:
            url(f"{path}.crl_url", ca.crl_url)
        _revoked(f"{path}.revoked", ca.revoked, generated_at)


def _revoked(path: str, revoked: list[RevokedSerial], generated_at: datetime) -> None:
    unique(revoked, lambda entry: entry.serial, path, "serial")
    for index, entry in enumerate(revoked):
        if _SERIAL_HEX.fullmatch(entry.serial) is None:
            raise ConfigurationFormatError(
                f"{path}[{index}].serial", "must be 1 to 40 lowercase hex digits, no leading zero"
            )
        timestamp(f"{path}[{index}].revoked_at", entry.revoked_at)
        if entry.revoked_at > generated_at:
            # A revocation dated ahead would let the certificate pass until then.
            raise ConfigurationFormatError(
                f"{path}[{index}].revoked_at", "must not be later than generated_at"
            )


def _tsas(tsas: list[ApprovedTsa]) -> None:
    unique(tsas, lambda tsa: tsa.name, "approved_tsas", "name")
    for index, tsa in enumerate(tsas):
        path = f"approved_tsas[{index}]"
        text(f"{path}.name", tsa.name)
        url(f"{path}.url", tsa.url)
        certificate(f"{path}.certificate_pem", tsa.certificate_pem)


def _groups(groups: list[GlobalGroup], known: _Known) -> set[str]:
    unique(groups, lambda group: group.code, "groups", "group")
    for index, group in enumerate(groups):
        path = f"groups[{index}]"
        part(f"{path}.code", group.code)
        text(f"{path}.description", group.description, empty_ok=True)
        unique(group.members, lambda member: member, f"{path}.members", "member")
        for number, identifier in enumerate(group.members):
            member_path = f"{path}.members[{number}]"
            try:
                parsed = parse_client(identifier)
            except IdentifierError as error:
                raise ConfigurationFormatError(member_path, _forbidden(error)) from None
            _check_known(member_path, parsed, known)
    return {f"{known.instance}/{group.code}" for group in groups}


def _grants(grants: list[Grant], known: _Known) -> None:
    unique(grants, _grant_key, "grants", "grant")
    for index, grant in enumerate(grants):
        path = f"grants[{index}]"
        try:
            service = parse_service(grant.service)
        except IdentifierError as error:
            raise ConfigurationFormatError(f"{path}.service", _forbidden(error)) from None
        if service.subsystem.member.instance != known.instance:
            raise ConfigurationFormatError(
                f"{path}.service", f"must be a service of instance {known.instance}"
            )
        _check_known(f"{path}.service", service.subsystem, known)
        _grant_client(f"{path}.client", grant.client, known)
        _endpoint(path, grant)


def _grant_key(grant: Grant) -> tuple[str, str, str, str]:
    return (grant.service, grant.client, grant.endpoint_method or "", grant.endpoint_path or "")


def _grant_client(path: str, client: str, known: _Known) -> None:
    """A client is a subsystem ``I/C/M/S`` or a global group ``I/GROUPCODE``."""
    try:
        if client.count("/") == 1:
            group = parse_group(client)
            if group.instance == known.instance and str(group) not in known.groups:
                raise ConfigurationFormatError(path, f"group {group} is not among the groups")
            return
        _check_known(path, parse_subsystem(client), known)
    except IdentifierError as error:
        raise ConfigurationFormatError(
            path, f"must be a subsystem or a group INSTANCE/GROUPCODE: {_forbidden(error)}"
        ) from None


def _check_known(path: str, identifier: MemberId | SubsystemId, known: _Known) -> None:
    """Same-instance references must resolve; other instances are federated, unchecked."""
    if isinstance(identifier, SubsystemId):
        if identifier.member.instance == known.instance and identifier not in known.subsystems:
            raise ConfigurationFormatError(path, f"subsystem {identifier} is not declared")
    elif identifier.instance == known.instance and identifier not in known.members:
        raise ConfigurationFormatError(path, f"member {identifier} is not declared")


def _endpoint(path: str, grant: Grant) -> None:
    if (grant.endpoint_method is None) != (grant.endpoint_path is None):
        raise ConfigurationFormatError(
            path, "endpoint_method and endpoint_path are given together or not at all"
        )
    if grant.endpoint_method is None or grant.endpoint_path is None:
        return
    if grant.endpoint_method not in tuple(HttpMethod):
        allowed = ", ".join(HttpMethod)
        raise ConfigurationFormatError(f"{path}.endpoint_method", f"must be one of {allowed}")
    endpoint_path = grant.endpoint_path
    text(f"{path}.endpoint_path", endpoint_path)
    if not endpoint_path.startswith("/") or " " in endpoint_path:
        raise ConfigurationFormatError(f"{path}.endpoint_path", "must start with '/'")
    if any(segment in (".", "..") for segment in endpoint_path.split("/")):
        raise ConfigurationFormatError(f"{path}.endpoint_path", "must not contain '.' or '..'")


def validity(value: timedelta) -> None:
    """A validity period is positive."""
    if value <= timedelta(0):
        raise ConfigurationFormatError("validity", "must be positive")
