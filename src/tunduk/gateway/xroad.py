"""X-Road REST r1 on the client side: the request path, the X-Road headers, the header filter.

Everything here reads what an information system (or a peer gateway) sent and is
hostile input: every part is bounded, percent-decoded strictly and checked, and a
failure is a :class:`~tunduk.gateway._errors.GatewayError` with X-Road's code.

- :func:`parse_target`: ``/r1/{INSTANCE}/{CLASS}/{MEMBER}/{SUBSYSTEM}/{SERVICE}[/rest][?query]``
  (REST spec §4.1; each identifier part percent-decoded on its own; the subsystem is
  required; only ``r1``; ``.``/``..`` segments in the rest refused); the codes ``listMethods``, ``allowedMethods``, ``getOpenAPI``
  are the metadata services (``getWsdl`` is SOAP's and refused here).
- :func:`parse_client_headers`: ``X-Road-Client`` (member or subsystem; the last one when
  repeated, REST §4.3), ``X-Road-Id`` (a UUID generated when absent), ``X-Road-UserId``,
  ``X-Road-Issue``, ``X-Road-Security-Server``, ``X-Road-Represented-Party``, and the
  headers that pass through (:func:`passing_headers`).
- :func:`request_hash`: ``X-Road-Request-Hash`` (REST §4.3) over the exact serialisation
  defined in :mod:`tunduk.gateway._request_hash` (and ``docs/gateway-request-hash.md``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from itertools import islice

from tunduk.identifiers import (
    IdentifierError,
    MemberId,
    ServerId,
    ServiceId,
    SubsystemId,
    check_part,
)

from ._errors import Code, GatewayError
from ._random import uuid4_text
from ._request_hash import canonical_headers, hash_input, request_hash
from ._url import check_raw, decode_part

__all__ = [
    "CLIENT_HEADERS",
    "DROPPED_HEADERS",
    "GATEWAY_HEADERS",
    "MAX_HEADERS",
    "MAX_HEADER_BYTES",
    "MAX_PATH_LENGTH",
    "MAX_QUERY_LENGTH",
    "ClientHeaders",
    "MetadataService",
    "RepresentedParty",
    "RestTarget",
    "canonical_headers",
    "check_own_client",
    "hash_input",
    "parse_client_headers",
    "parse_target",
    "passing_headers",
    "request_hash",
]

MAX_PATH_LENGTH = 4096
"""Characters in the request path (without the query)."""
MAX_QUERY_LENGTH = 8192
"""Characters in the query string."""
MAX_HEADERS = 100
"""Header fields in one request or response."""
MAX_HEADER_BYTES = 64 * 1024
"""Characters in all header names and values together."""
MAX_ID_LENGTH = 255
"""Characters in ``X-Road-Id`` and ``X-Road-UserId``."""
MAX_ISSUE_LENGTH = 1024
"""Characters in ``X-Road-Issue``."""

HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)
DROPPED_HEADERS = HOP_BY_HOP | {"host", "user-agent", "server", "content-length", "expect"}
"""Headers that never pass a gateway: hop-by-hop (RFC 9110 §7.6.1), and ``Host``,
``User-Agent``, ``Server`` (REST §4.3). ``Content-Length`` and ``Expect`` belong to each
hop's framing (the body is bound by its own hash), so they do not pass either."""
CLIENT_HEADERS = (
    "x-road-client",
    "x-road-id",
    "x-road-userid",
    "x-road-issue",
    "x-road-security-server",
    "x-road-represented-party",
)
"""The X-Road headers a client may set; they are read, not passed (the wire carries them)."""
GATEWAY_HEADERS = frozenset(
    {*CLIENT_HEADERS, "x-road-service", "x-road-request-id", "x-road-request-hash", "x-road-error"}
)
"""The X-Road headers the gateways read or set (REST §4.3): never passed through as sent.
Other ``X-Road-*`` headers are extension headers, passed like any user header (§4.3)."""
_CLIENT_SET = frozenset(CLIENT_HEADERS)
_NOT_PASSING = DROPPED_HEADERS | GATEWAY_HEADERS
_DROPPED_PREFIXES = ("proxy-", "tunduk-")
"""Every ``Proxy-*`` header is hop-by-hop (REST §4.3 names the family); ``Tunduk-*`` are
the gateways' own."""
_TOKENS = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+(?:\n[!#$%&'*+\-.^_`|~0-9A-Za-z]+)*")
_LINE_BREAK = re.compile(r"[\r\n\x00]")


class MetadataService(StrEnum):
    """The REST metadata services reached through a service path (metadata protocol for REST)."""

    LIST_METHODS = "listMethods"
    ALLOWED_METHODS = "allowedMethods"
    GET_OPENAPI = "getOpenAPI"


_METADATA = {item.value: item for item in MetadataService}


@dataclass(frozen=True)
class RestTarget:
    """A parsed ``/r1/…`` request target.

    ``rest`` and ``query`` are kept exactly as received (still percent-encoded, ``rest``
    empty or starting with ``/``, ``query`` without its ``?``), because the provider side
    appends them unchanged to the backend's URL; :mod:`tunduk.gateway.access` decodes and
    normalises ``rest`` for the grant check.
    """

    service: ServiceId
    rest: str
    query: str
    metadata: MetadataService | None = None
    service_path: str = ""
    """``ServiceId.rest_path()``, computed once per service (filled in when left empty)."""

    def __post_init__(self) -> None:
        if not self.service_path:
            object.__setattr__(self, "service_path", self.service.rest_path())

    @property
    def canonical_path(self) -> str:
        """``ServiceId.rest_path()`` + ``rest``: the path the gateways sign and hash."""
        return self.service_path + self.rest


def parse_target(target: str) -> RestTarget:
    """Parse a raw request target ``/r1/{serviceId}[/rest][?query]`` (REST §4.1).

    Raises ``GatewayError(Client.BadRequest)`` for anything else, and
    ``Client.RequestTooLarge`` when the path or query is over its bound.
    """
    path, question, query = target.partition("?")
    if len(path) > MAX_PATH_LENGTH or len(query) > MAX_QUERY_LENGTH:
        raise GatewayError(Code.REQUEST_TOO_LARGE, "The request path or query is too long")
    check_raw(path, "path")
    if question:
        check_raw(query, "query", query=True)
    if not path.startswith("/r1/"):
        version = path.split("/")[1] if path.count("/") > 1 else ""
        if version and version[:1] == "r" and version[1:].isdigit():
            raise GatewayError(
                Code.CLIENT_BAD_REQUEST, "Only the REST protocol version r1 is supported"
            )
        raise GatewayError(Code.CLIENT_BAD_REQUEST, "The path must start with /r1/{serviceId}")
    parts = path[len("/r1/") :].split("/", 5)
    if len(parts) < 5:
        raise GatewayError(
            Code.CLIENT_BAD_REQUEST,
            "The service path needs INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE",
        )
    service, service_path = _service("/".join(parts[:5]))
    rest = "/" + parts[5] if len(parts) == 6 else ""
    _refuse_dot_segments(rest)
    return RestTarget(service, rest, query, _metadata(service.service_code, rest), service_path)


def _refuse_dot_segments(rest: str) -> None:
    """Refuse ``.``/``..`` (also percent-encoded) in the rest already on the client side:
    HTTP software between the gateways may resolve them and reach another service. The
    other path rules (encoded slashes, empty segments) are the grant check's
    (:func:`tunduk.gateway.access.AccessIndex.check`) on the provider side."""
    for raw in rest.split("/"):
        if len(raw) <= 6 and raw.replace("%2e", ".").replace("%2E", ".") in (".", ".."):
            raise GatewayError(
                Code.CLIENT_BAD_REQUEST, "The service path must not hold '.' or '..' segments"
            )


@lru_cache(maxsize=4096)
def _service(raw: str) -> tuple[ServiceId, str]:
    """The service of a raw ``INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE`` and its canonical
    path; cached, since a gateway sees few distinct services (refusals are not cached)."""
    names = ("instance", "member class", "member code", "subsystem code", "service code")
    parts = raw.split("/")
    decoded = [_identifier_part(part, name) for part, name in zip(parts, names, strict=True)]
    service = ServiceId(SubsystemId(MemberId(*decoded[:3]), decoded[3]), decoded[4])
    return service, service.rest_path()


def _metadata(service_code: str, rest: str) -> MetadataService | None:
    if service_code == "getWsdl":
        raise GatewayError(Code.CLIENT_BAD_REQUEST, "getWsdl is a SOAP metadata service")
    metadata = _METADATA.get(service_code)
    if metadata is None:
        return None
    if rest:
        raise GatewayError(Code.CLIENT_BAD_REQUEST, f"{service_code} takes no further path")
    return metadata


def _identifier_part(raw: str, name: str, code: Code = Code.CLIENT_BAD_REQUEST) -> str:
    text = decode_part(raw, name, code)
    if text in (".", ".."):
        # Allowed by the identifier grammar, but HTTP software resolves them as dot-segments.
        raise GatewayError(code, f"The {name} must not be '.' or '..'")
    try:
        return check_part(text, name)
    except IdentifierError as error:
        raise GatewayError(code, f"Invalid {error.part}: {error.message}") from None


@dataclass(frozen=True)
class RepresentedParty:
    """``X-Road-Represented-Party: [CLASS/]CODE`` (REST §4.3)."""

    party_code: str
    party_class: str | None = None

    def __str__(self) -> str:
        return f"{self.party_class}/{self.party_code}" if self.party_class else self.party_code


@dataclass(frozen=True)
class ClientHeaders:
    """The X-Road request headers, parsed, and the headers that pass through to the provider."""

    client: MemberId | SubsystemId
    message_id: str
    message_id_generated: bool
    user_id: str | None
    issue: str | None
    security_server: ServerId | None
    represented_party: RepresentedParty | None
    passing: tuple[tuple[str, str], ...]

    def hashed_headers(self) -> list[tuple[str, str]]:
        """The headers ``X-Road-Request-Hash`` covers: the passing headers and the X-Road
        request headers in their canonical form (see :mod:`tunduk.gateway._request_hash`)."""
        headers = list(self.passing)
        headers.append(("x-road-client", str(self.client)))
        headers.append(("x-road-id", self.message_id))
        optional = (
            ("x-road-userid", self.user_id),
            ("x-road-issue", self.issue),
            ("x-road-security-server", self.security_server),
            ("x-road-represented-party", self.represented_party),
        )
        headers.extend((name, str(value)) for name, value in optional if value is not None)
        return headers


def parse_client_headers(
    headers: Iterable[tuple[str, str]], *, generate_id: bool = True
) -> ClientHeaders:
    """Read the X-Road request headers (REST §4.3) and filter the rest.

    ``X-Road-Client`` is required (``Client.InvalidClientIdentifier`` when missing or
    malformed); when it or another X-Road header is repeated the last one counts.
    ``X-Road-Id`` is generated (UUID 4) when absent and ``generate_id`` is true (the
    client side); the provider side passes ``generate_id=False`` and a missing id is
    ``Client.BadRequest``.
    """
    pairs, lowered = _bounded(headers)
    # Later fields overwrite earlier ones: the last of a repeated header counts.
    last = {low: pair[1] for low, pair in zip(lowered, pairs, strict=True) if low in _CLIENT_SET}
    message_id = last.get("x-road-id")
    if generate_id and message_id is not None and not message_id.strip():
        message_id = None  # an empty X-Road-Id is none: the client side makes one
    if message_id is None and not generate_id:
        raise GatewayError(Code.CLIENT_BAD_REQUEST, "X-Road-Id is required")
    return ClientHeaders(
        client=_client(last.get("x-road-client")),
        message_id=uuid4_text() if message_id is None else _message_id(message_id),
        message_id_generated=message_id is None,
        user_id=_optional_text(last.get("x-road-userid"), "X-Road-UserId", MAX_ID_LENGTH),
        issue=_optional_text(last.get("x-road-issue"), "X-Road-Issue", MAX_ISSUE_LENGTH),
        security_server=_security_server(last.get("x-road-security-server")),
        represented_party=_represented_party(last.get("x-road-represented-party")),
        passing=_filter(pairs, lowered),
    )


def passing_headers(headers: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """The headers that pass a gateway, in their order: without hop-by-hop ones (and those
    ``Connection`` names), ``Host``, ``User-Agent``, ``Server``, ``Content-Length``,
    ``Expect``, the X-Road headers of :data:`GATEWAY_HEADERS` and every ``Tunduk-*`` (the
    gateways set those). Other ``X-Road-*`` headers are extensions and pass (REST §4.3).

    Used both ways: the client's request headers and the backend's response headers.
    Raises for more than :data:`MAX_HEADERS` fields or a name or value that is not legal.
    """
    return _filter(*_bounded(headers))


def _bounded(headers: Iterable[tuple[str, str]]) -> tuple[list[tuple[str, str]], list[str]]:
    """The header pairs, checked and bounded, and their lower-cased names.

    Checked in bulk (one regex over all names, one over all values): this runs per message.
    """
    pairs = list(islice(headers, MAX_HEADERS + 1))
    names = [name for name, _ in pairs]
    values = [value for _, value in pairs]
    if len(pairs) > MAX_HEADERS or sum(map(len, names)) + sum(map(len, values)) > MAX_HEADER_BYTES:
        raise GatewayError(
            Code.REQUEST_TOO_LARGE,
            f"At most {MAX_HEADERS} header fields of {MAX_HEADER_BYTES} characters in all",
        )
    joined = "\n".join(names)
    if pairs and _TOKENS.fullmatch(joined) is None:
        raise GatewayError(Code.CLIENT_BAD_REQUEST, "A header name is not a valid token")
    if _LINE_BREAK.search("".join(values)) is not None:
        raise GatewayError(Code.CLIENT_BAD_REQUEST, "A header value holds a line break or NUL")
    return pairs, joined.lower().split("\n") if pairs else []


def _filter(
    pairs: Sequence[tuple[str, str]], lowered: Sequence[str]
) -> tuple[tuple[str, str], ...]:
    dropped: frozenset[str] | set[str] = _NOT_PASSING
    if "connection" in lowered:
        dropped = set(_NOT_PASSING)
        for low, (_, value) in zip(lowered, pairs, strict=True):
            if low == "connection":
                dropped.update(token.strip().lower() for token in value.split(","))
    return tuple(
        pair
        for low, pair in zip(lowered, pairs, strict=True)
        if low not in dropped and not low.startswith(_DROPPED_PREFIXES)
    )


def _client(value: str | None) -> MemberId | SubsystemId:
    if value is None:
        raise GatewayError(Code.INVALID_CLIENT_IDENTIFIER, "The X-Road-Client header is required")
    return _parse_client(value.strip())


@lru_cache(maxsize=4096)
def _parse_client(value: str) -> MemberId | SubsystemId:
    """``X-Road-Client`` parsed; cached, a gateway serves few clients (refusals not cached)."""
    code = Code.INVALID_CLIENT_IDENTIFIER
    parts = value.split("/")
    if len(parts) not in (3, 4):
        raise GatewayError(code, "X-Road-Client must be INSTANCE/CLASS/MEMBER[/SUBSYSTEM]")
    names = ("instance", "member class", "member code", "subsystem code")
    decoded = [_identifier_part(raw, name, code) for raw, name in zip(parts, names, strict=False)]
    member = MemberId(*decoded[:3])
    return member if len(decoded) == 3 else SubsystemId(member, decoded[3])


def _security_server(value: str | None) -> ServerId | None:
    if value is None:
        return None
    code = Code.INVALID_SECURITY_SERVER
    parts = value.strip().split("/")
    if len(parts) != 4:
        raise GatewayError(code, "X-Road-Security-Server must be INSTANCE/CLASS/MEMBER/SERVERCODE")
    names = ("instance", "member class", "member code", "server code")
    decoded = [_identifier_part(raw, name, code) for raw, name in zip(parts, names, strict=True)]
    return ServerId(MemberId(*decoded[:3]), decoded[3])


def _represented_party(value: str | None) -> RepresentedParty | None:
    if value is None:
        return None
    parts = value.strip().split("/")
    if len(parts) not in (1, 2):
        raise GatewayError(Code.CLIENT_BAD_REQUEST, "X-Road-Represented-Party must be [CLASS/]CODE")
    decoded = [_identifier_part(raw, "represented party") for raw in parts]
    return RepresentedParty(decoded[-1], decoded[0] if len(decoded) == 2 else None)


def _text(value: str, name: str, limit: int = MAX_ID_LENGTH) -> str:
    value = value.strip()
    if not value or len(value) > limit or not value.isprintable():
        raise GatewayError(
            Code.CLIENT_BAD_REQUEST, f"{name} must be 1 to {limit} printable characters"
        )
    return value


def _message_id(value: str) -> str:
    # Ids name journal entries and evidence files: visible ASCII only.
    value = _text(value, "X-Road-Id")
    if not value.isascii() or " " in value:
        raise GatewayError(Code.CLIENT_BAD_REQUEST, "X-Road-Id must be visible ASCII, no spaces")
    return value


def _optional_text(value: str | None, name: str, limit: int) -> str | None:
    """An optional header's text; sent empty, it is absent."""
    return None if value is None or not value.strip() else _text(value, name, limit)


def check_own_client(client: MemberId | SubsystemId, member: MemberId) -> None:
    """The client side serves only its own organisation's systems (issue 9 §2).

    Raises ``Client.InvalidClientIdentifier`` naming whether the client is of another
    instance or another member.
    """
    client_member = client.member if isinstance(client, SubsystemId) else client
    if client_member.instance != member.instance:
        raise GatewayError(
            Code.INVALID_CLIENT_IDENTIFIER,
            f"The client is of instance {client_member.instance}; this gateway serves "
            f"{member.instance} only",
        )
    if client_member != member:
        raise GatewayError(
            Code.INVALID_CLIENT_IDENTIFIER,
            f"The client {client} is not a subsystem of {member}, this gateway's member",
        )
