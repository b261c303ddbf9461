"""Strict percent-decoding of request paths: the one reading shared by xroad and access."""

from __future__ import annotations

import re

from ._errors import Code, GatewayError

__all__ = ["check_raw", "decode_part", "normalise_rest"]

MAX_SEGMENTS = 128
"""Segments in the rest of a service path."""
# Visible ASCII except '#' (a fragment never reaches a server); '%' only in a full escape.
_RAW = re.compile(r"[!$&'()*+,\-./0-9:;=@A-Z_a-z~\[\]|{}^`\"<>\\%]*")
_RAW_QUERY = re.compile(r"[!$&'()*+,\-./0-9:;=?@A-Z_a-z~\[\]|{}^`\"<>\\%]*")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")


def check_raw(text: str, what: str, *, query: bool = False) -> None:
    """Refuse control characters, spaces, non-ASCII, ``#`` and broken ``%`` escapes."""
    pattern = _RAW_QUERY if query else _RAW
    if pattern.fullmatch(text) is None or _BAD_ESCAPE.search(text) is not None:
        raise GatewayError(
            Code.CLIENT_BAD_REQUEST,
            f"The {what} holds a character that must be percent-encoded, or a broken escape",
        )


def decode_part(raw: str, what: str, code: Code = Code.CLIENT_BAD_REQUEST) -> str:
    """Percent-decode one path segment or identifier part as strict UTF-8."""
    if "%" not in raw:
        return raw
    if _BAD_ESCAPE.search(raw) is not None:
        raise GatewayError(code, f"The {what} holds a broken percent escape")
    data = _ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), raw).encode("latin-1", "strict")
    try:
        return data.decode("utf-8")
    except (UnicodeDecodeError, UnicodeEncodeError):
        raise GatewayError(code, f"The {what} is not percent-encoded UTF-8") from None


def normalise_rest(rest: str) -> tuple[str, ...]:
    """The decoded segments of a service path's rest (``""`` or ``/a/b``), for grant checks.

    Refused with ``Client.BadRequest``: ``.`` and ``..`` segments (also encoded), encoded
    ``/`` or ``\\`` inside a segment, NUL or other control characters, empty segments
    (``//``), more than :data:`MAX_SEGMENTS` segments. A trailing ``/`` is ignored.
    """
    if not rest or rest == "/":
        return ()
    if not rest.startswith("/"):
        raise GatewayError(Code.CLIENT_BAD_REQUEST, "The service path must continue with '/'")
    raw_segments = rest[1:].removesuffix("/").split("/")
    if len(raw_segments) > MAX_SEGMENTS:
        raise GatewayError(
            Code.REQUEST_TOO_LARGE, f"The service path has more than {MAX_SEGMENTS} segments"
        )
    segments = []
    for raw in raw_segments:
        segment = decode_part(raw, "service path")
        if segment in ("", ".", ".."):
            raise GatewayError(
                Code.CLIENT_BAD_REQUEST,
                "The service path must not hold empty, '.' or '..' segments",
            )
        if "/" in segment or "\\" in segment or not segment.isprintable():
            raise GatewayError(
                Code.CLIENT_BAD_REQUEST,
                "The service path must not hold an encoded slash, backslash or control character",
            )
        segments.append(segment)
    return tuple(segments)
