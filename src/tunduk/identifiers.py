"""X-Road identifiers, one grammar for the whole project (central, gateway, configuration).

Forms (XROAD-PROTOCOL: message protocol §1.3, §2.1; REST §4.8)::

    member      INSTANCE/CLASS/CODE
    subsystem   INSTANCE/CLASS/CODE/SUBSYSTEM
    service     INSTANCE/CLASS/CODE/SUBSYSTEM/SERVICECODE
    server      INSTANCE/CLASS/CODE/SERVERCODE        (a gateway, "security server")
    group       INSTANCE/GROUPCODE                    (a global group)

Every part uses only ``A–Z a–z 0–9 ' ( ) + , - . = ?``. ``IdentifierError`` names the part
and the offending character. No Django import: the gateway uses this module too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

ALLOWED_CHARACTERS = "A–Z a–z 0–9 ' ( ) + , - . = ?"
_PART = re.compile(r"[A-Za-z0-9'()+,\-.=?]+")
MAX_PART_LENGTH = 255
RESERVED_SERVICE_CODES = frozenset({"listMethods", "allowedMethods", "getOpenAPI", "getWsdl"})


class IdentifierError(ValueError):
    """An identifier or one of its parts breaks the grammar; ``part`` names which."""

    def __init__(self, part: str, message: str, *, character: str | None = None) -> None:
        super().__init__(f"{part}: {message}")
        self.part = part
        self.message = message
        self.character = character
        """The forbidden character, when that is what is wrong."""


def check_part(value: str, part: str = "code") -> str:
    """Return ``value`` if it is a valid identifier part, else raise ``IdentifierError``."""
    if not value:
        raise IdentifierError(part, "must not be empty")
    if len(value) > MAX_PART_LENGTH:
        raise IdentifierError(part, f"is longer than {MAX_PART_LENGTH} characters")
    if _PART.fullmatch(value) is None:
        bad = next(char for char in value if _PART.fullmatch(char) is None)
        raise IdentifierError(
            part,
            f"contains the forbidden character {bad!r}; allowed: {ALLOWED_CHARACTERS}",
            character=bad,
        )
    return value


@dataclass(frozen=True, order=True)
class MemberId:
    """``INSTANCE/CLASS/CODE``: a participant (member) of the exchange."""

    instance: str
    member_class: str
    member_code: str

    def __post_init__(self) -> None:
        check_part(self.instance, "instance")
        check_part(self.member_class, "member class")
        check_part(self.member_code, "member code")

    def __str__(self) -> str:
        text: str | None = self.__dict__.get("_text")  # frozen: remembered once made
        if text is None:
            text = self.__dict__["_text"] = (
                f"{self.instance}/{self.member_class}/{self.member_code}"
            )
        return text

    def subsystem(self, code: str) -> SubsystemId:
        return SubsystemId(self, code)

    def server(self, code: str) -> ServerId:
        return ServerId(self, code)


@dataclass(frozen=True, order=True)
class SubsystemId:
    """``INSTANCE/CLASS/CODE/SUBSYSTEM``: an information system joined to the exchange."""

    member: MemberId
    subsystem_code: str

    def __post_init__(self) -> None:
        check_part(self.subsystem_code, "subsystem code")

    def __str__(self) -> str:
        text: str | None = self.__dict__.get("_text")  # frozen: remembered once made
        if text is None:
            text = self.__dict__["_text"] = f"{self.member}/{self.subsystem_code}"
        return text

    def service(self, code: str) -> ServiceId:
        return ServiceId(self, code)


@dataclass(frozen=True, order=True)
class ServiceId:
    """``INSTANCE/CLASS/CODE/SUBSYSTEM/SERVICE`` (REST services carry no version)."""

    subsystem: SubsystemId
    service_code: str

    def __post_init__(self) -> None:
        check_part(self.service_code, "service code")

    def __str__(self) -> str:
        return f"{self.subsystem}/{self.service_code}"

    def rest_path(self) -> str:
        """The ``/r1/…`` path prefix: each part percent-encoded on its own."""
        parts = [
            self.subsystem.member.instance,
            self.subsystem.member.member_class,
            self.subsystem.member.member_code,
            self.subsystem.subsystem_code,
            self.service_code,
        ]
        return "/r1/" + "/".join(quote(part, safe="") for part in parts)


@dataclass(frozen=True, order=True)
class ServerId:
    """``INSTANCE/CLASS/CODE/SERVERCODE``: a gateway (security server) of a member."""

    member: MemberId
    server_code: str

    def __post_init__(self) -> None:
        check_part(self.server_code, "server code")

    def __str__(self) -> str:
        return f"{self.member}/{self.server_code}"


@dataclass(frozen=True, order=True)
class GlobalGroupId:
    """``INSTANCE/GROUPCODE``: a global group of subsystems."""

    instance: str
    group_code: str

    def __post_init__(self) -> None:
        check_part(self.instance, "instance")
        check_part(self.group_code, "group code")

    def __str__(self) -> str:
        return f"{self.instance}/{self.group_code}"


def _split(text: str, counts: tuple[int, ...], kind: str) -> list[str]:
    parts = text.split("/")
    if len(parts) not in counts:
        expected = " or ".join(str(count) for count in counts)
        raise IdentifierError(kind, f"needs {expected} parts separated by '/', got {len(parts)}")
    return parts


def parse_subsystem(text: str) -> SubsystemId:
    """Parse ``INSTANCE/CLASS/CODE/SUBSYSTEM``."""
    instance, member_class, code, subsystem = _split(text, (4,), "subsystem")
    return SubsystemId(MemberId(instance, member_class, code), subsystem)


def parse_client(text: str) -> MemberId | SubsystemId:
    """Parse an ``X-Road-Client`` value: a member or a subsystem."""
    parts = _split(text, (3, 4), "client")
    member = MemberId(*parts[:3])
    return member if len(parts) == 3 else SubsystemId(member, parts[3])


def parse_service(text: str) -> ServiceId:
    """Parse ``INSTANCE/CLASS/CODE/SUBSYSTEM/SERVICE``."""
    instance, member_class, code, subsystem, service = _split(text, (5,), "service")
    return ServiceId(SubsystemId(MemberId(instance, member_class, code), subsystem), service)


def parse_server(text: str) -> ServerId:
    """Parse ``INSTANCE/CLASS/CODE/SERVERCODE``."""
    instance, member_class, code, server = _split(text, (4,), "server")
    return ServerId(MemberId(instance, member_class, code), server)


def parse_group(text: str) -> GlobalGroupId:
    """Parse ``INSTANCE/GROUPCODE``."""
    instance, code = _split(text, (2,), "group")
    return GlobalGroupId(instance, code)
