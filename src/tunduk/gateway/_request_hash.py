"""``X-Road-Request-Hash``: what exactly is hashed (REST §4.3 leaves it open; we fix it).

The provider gateway computes the hash over the request as it received it and returns
it in ``X-Road-Request-Hash``; the client gateway computes it over the request it sent
and refuses a response whose hash differs (``Server.ClientProxy.InconsistentResponse``)::

    X-Road-Request-Hash = base64( SHA-512( SHA-512(H) ‖ SHA-512(body) ) )   with a body
                        = base64( SHA-512(H) )                              without one

(standard base64 with padding; a body of zero bytes counts as no body). ``H``, the
"headers", is UTF-8 text made of lines each ending in one LF (``\\n``)::

    METHOD            the request method, upper case ("GET")
    PATH              "/r1/" + the five service identifier parts, each percent-encoded
                      on its own (every byte outside A–Z a–z 0–9 "-._~" as %XX,
                      upper-case hex), joined by "/", then the rest of the path exactly
                      as the client sent it (still percent-encoded), e.g.
                      /r1/KG/GOV/70000001/population/person-by-pin/22001199000123
    QUERY             the query string exactly as sent, without "?" (empty line if none)
    name:value        one line per header, for every header that passes the gateway
    ...               plus the X-Road request headers (below)

Header lines: the name in lower case, ``:``, the value with leading and trailing spaces
and tabs removed (no space after the colon). Lines are sorted by name (byte order of
the lower-cased UTF-8 name); several fields of the same name keep the order in which
they were received. The X-Road request headers included are ``x-road-client`` (the
client identifier ``INSTANCE/CLASS/MEMBER[/SUBSYSTEM]``, decoded, parts joined by
``/``), ``x-road-id`` (as given, or the one the client gateway generated) and, when
present, ``x-road-userid``, ``x-road-issue``, ``x-road-security-server``
(``INSTANCE/CLASS/MEMBER/SERVERCODE``, decoded) and ``x-road-represented-party``
(``[CLASS/]CODE``, decoded). The passing headers are those the client sent minus the
dropped ones: hop-by-hop headers and those ``Connection`` names, ``Host``,
``User-Agent``, ``Server``, ``Content-Length``, ``Expect``, the X-Road headers the
gateways read or set (``X-Road-Client``, ``-Id``, ``-UserId``, ``-Issue``,
``-Security-Server``, ``-Represented-Party``, ``-Service``, ``-Request-Id``,
``-Request-Hash``, ``-Error``) and every ``Tunduk-*``; any other ``X-Road-*`` header is
an extension header and passes (REST §4.3). No line can hold a LF (values with CR, LF or NUL are refused), so
the text is unambiguous.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable

__all__ = ["canonical_headers", "hash_input", "request_hash"]


def canonical_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Lower-cased names, trimmed values, stably sorted by name."""
    pairs = [(name.lower(), value.strip(" \t")) for name, value in headers]
    pairs.sort(key=lambda pair: pair[0].encode("utf-8", "surrogateescape"))
    return pairs


def hash_input(method: str, path: str, query: str, headers: Iterable[tuple[str, str]]) -> bytes:
    """The bytes ``H`` defined in this module's docstring."""
    lines = [method.upper(), path, query]
    lines.extend(f"{name}:{value}" for name, value in canonical_headers(headers))
    return ("\n".join(lines) + "\n").encode("utf-8", "surrogateescape")


def request_hash(
    *,
    method: str,
    path: str,
    query: str,
    headers: Iterable[tuple[str, str]],
    body: bytes | None,
) -> str:
    """``X-Road-Request-Hash`` of a request (REST §4.3), as defined in the module docstring."""
    head = hashlib.sha512(hash_input(method, path, query, headers)).digest()
    if body:
        head = hashlib.sha512(head + hashlib.sha512(body).digest()).digest()
    return base64.b64encode(head).decode("ascii")
