"""The global configuration document as frozen dataclasses.

Identifiers are plain strings in X-Road form (see :mod:`tunduk.identifiers`); the
document's own instance is implied for members, subsystems and gateways, while groups and
grants carry full identifiers because they may name other (federated) instances.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

FORMAT = "tunduk-globalconf/2"
"""The value of the document's ``format`` key; a new incompatible layout gets a new one.

Format 2 added each CA's ``revoked`` list (issue 7); format 1 is format 2 without it.
"""

READABLE_FORMATS = frozenset({"tunduk-globalconf/1", FORMAT})
"""Formats :func:`decode` accepts; a format-1 document lists no revoked serials."""


class MemberStatus(StrEnum):
    """Whether a member may currently exchange messages."""

    ACTIVE = "active"
    SUSPENDED = "suspended"


class HttpMethod(StrEnum):
    """Methods a REST endpoint grant may name; ``ANY`` (``*``) matches all of them."""

    ANY = "*"
    GET = "GET"
    HEAD = "HEAD"
    POST = "POST"
    PUT = "PUT"
    PATCH = "PATCH"
    DELETE = "DELETE"
    OPTIONS = "OPTIONS"
    TRACE = "TRACE"


@dataclass(frozen=True)
class Subsystem:
    """An information system of a member; ``registry_code`` is its Registry element's code."""

    subsystem_code: str
    name: str
    registry_code: str | None = None


@dataclass(frozen=True)
class Member:
    """A participant organisation (``INSTANCE/CLASS/CODE``) and its subsystems."""

    member_class: str
    member_code: str
    name: str
    status: MemberStatus = MemberStatus.ACTIVE
    subsystems: list[Subsystem] = field(default_factory=list)


@dataclass(frozen=True)
class Gateway:
    """A member's gateway (security server): where to reach it and which TLS keys are its."""

    server_code: str
    member_class: str
    member_code: str
    address: str
    auth_cert_sha256: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RevokedSerial:
    """A certificate its CA revoked: the serial (lowercase hex, no leading zeros) and when."""

    serial: str
    revoked_at: datetime


@dataclass(frozen=True)
class ApprovedCa:
    """A certification authority whose authentication and signing certificates count.

    ``crl_url`` is where its CRL is published; ``revoked`` lists the serials it revoked
    that have not expired yet, so a gateway checks revocation without any I/O.
    """

    name: str
    certificate_pem: str
    crl_url: str | None = None
    revoked: list[RevokedSerial] = field(default_factory=list)


@dataclass(frozen=True)
class ApprovedTsa:
    """A time-stamping authority (RFC 3161) gateways may use and must accept."""

    name: str
    url: str
    certificate_pem: str


@dataclass(frozen=True)
class GlobalGroup:
    """A global group ``INSTANCE/CODE``; ``members`` are member or subsystem identifiers."""

    code: str
    description: str
    members: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Grant:
    """``client`` (a subsystem or a group ``INSTANCE/GROUPCODE``) may call ``service``.

    With no endpoint the grant covers the whole service; otherwise ``endpoint_method``
    (or ``*``) and ``endpoint_path`` (a glob, ``*`` one segment, ``**`` any) narrow it.
    """

    service: str
    client: str
    endpoint_method: str | None = None
    endpoint_path: str | None = None


@dataclass(frozen=True)
class GlobalConfiguration:
    """One signed, versioned, expiring snapshot of who is in the exchange and how to reach them."""

    instance: str
    version: int
    generated_at: datetime
    expires_at: datetime
    members: list[Member] = field(default_factory=list)
    gateways: list[Gateway] = field(default_factory=list)
    approved_cas: list[ApprovedCa] = field(default_factory=list)
    approved_tsas: list[ApprovedTsa] = field(default_factory=list)
    groups: list[GlobalGroup] = field(default_factory=list)
    grants: list[Grant] = field(default_factory=list)
    settings: dict[str, str] = field(default_factory=dict)

    def is_expired(self, now: datetime) -> bool:
        """True when ``now`` is at or after ``expires_at``."""
        return self.expires_at <= now
