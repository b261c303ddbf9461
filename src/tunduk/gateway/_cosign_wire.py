"""The cosigning exchange between gateways (``POST /tunduk/v1/cosign``): bodies and limits.

Request (``application/json``, at most :data:`MAX_REQUEST_BYTES`)::

    {"checkpoint": "<C2SP signed checkpoint note>",
     "old_size": <the tree size the caller believes the witness last cosigned>,
     "proof": ["<base64 hash>", ...],          # RFC 9162 consistency proof old_size -> size
     "journal_key_binding": "<base64 of journal.binding>",
     "signing_certificate": "<base64 DER of the caller's signing certificate>"}

Answer ``200``::

    {"cosignature": "<C2SP signature line, ending in a newline>",
     "cosigner_key": "<the witness's cosign verifier key>",
     "key_binding": "<base64 of the witness's cosign.binding>",
     "signing_certificate": "<base64 DER of the witness's signing certificate>"}

Refusals (``400``, ``403``, ``409``, ``413``) are ``{"type", "message", "detail"}`` with a
:class:`WitnessCode`; ``Tunduk.Witness.OldSize`` (409) also carries ``"size"``, the
size the witness last cosigned, so the caller retries once with the right proof.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import orjson

from tunduk.journal import HASH_SIZE

__all__ = [
    "MAX_PROOF_HASHES",
    "MAX_REQUEST_BYTES",
    "CosignAnswer",
    "CosignRequest",
    "WireError",
    "WitnessCode",
    "b64",
    "parse_refusal",
    "refusal_body",
    "unb64",
]

MAX_REQUEST_BYTES = 64 * 1024
"""A cosign request or answer larger than this is refused."""

MAX_PROOF_HASHES = 64
"""A consistency proof of a tree below 2**63 leaves has fewer hashes."""

_MAX_NOTE = 16 * 1024
_MAX_BLOB = 16 * 1024


class WitnessCode(StrEnum):
    """Why a witness refused; the ``type`` of a refusal body."""

    BAD_REQUEST = "Tunduk.Witness.BadRequest"
    """The body is not a well-formed cosign request (400)."""
    UNTRUSTED = "Tunduk.Witness.Untrusted"
    """The signing certificate, key binding or checkpoint signature does not hold (403)."""
    OLD_SIZE = "Tunduk.Witness.OldSize"
    """``old_size`` is not the size the witness last cosigned; ``size`` says which (409)."""
    REFUSED = "Tunduk.Witness.Refused"
    """The checkpoint goes backwards, forks or is inconsistent with the last one (409)."""
    TOO_LARGE = "Tunduk.Witness.RequestTooLarge"
    """The body is larger than :data:`MAX_REQUEST_BYTES` (413)."""
    UNAVAILABLE = "Tunduk.Witness.Unavailable"
    """The witness cannot judge now: no valid global configuration, or no peer identity (503)."""


class WireError(ValueError):
    """A cosign body is malformed."""


def b64(data: bytes) -> str:
    """Standard base64 text."""
    return base64.b64encode(data).decode("ascii")


def unb64(value: object, field: str, limit: int = _MAX_BLOB) -> bytes:
    """Decode a base64 field strictly, at most ``limit`` bytes."""
    if not isinstance(value, str) or len(value) > limit * 4 // 3 + 4:
        raise WireError(f"{field} must be base64 text of at most {limit} bytes")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise WireError(f"{field} is not valid base64") from None


def _object(data: bytes, keys: set[str]) -> dict[str, Any]:
    if len(data) > MAX_REQUEST_BYTES:
        raise WireError(f"the body is larger than {MAX_REQUEST_BYTES} bytes")
    try:
        fields = orjson.loads(data)
    except orjson.JSONDecodeError:
        raise WireError("the body is not JSON") from None
    if not isinstance(fields, dict) or set(fields) != keys:
        raise WireError(f"the body must be a JSON object with exactly {sorted(keys)}")
    return fields


def _text(value: object, field: str, limit: int = _MAX_NOTE) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise WireError(f"{field} must be text of at most {limit} characters")
    return value


@dataclass(frozen=True)
class CosignRequest:
    """What a gateway sends a peer to have its checkpoint cosigned."""

    checkpoint: str
    old_size: int
    proof: list[bytes]
    journal_key_binding: bytes
    signing_certificate: bytes

    def to_bytes(self) -> bytes:
        """Return the JSON body."""
        return orjson.dumps(
            {
                "checkpoint": self.checkpoint,
                "old_size": self.old_size,
                "proof": [b64(h) for h in self.proof],
                "journal_key_binding": b64(self.journal_key_binding),
                "signing_certificate": b64(self.signing_certificate),
            }
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> CosignRequest:
        """Parse and bound a request body; raise :class:`WireError`."""
        fields = _object(data, {f for f in cls.__dataclass_fields__})
        old_size, proof = fields["old_size"], fields["proof"]
        if type(old_size) is not int or not 0 <= old_size < 1 << 63:
            raise WireError("old_size must be a tree size")
        if not isinstance(proof, list) or len(proof) > MAX_PROOF_HASHES:
            raise WireError(f"proof must be a list of at most {MAX_PROOF_HASHES} hashes")
        hashes = [unb64(h, "proof", HASH_SIZE) for h in proof]
        if any(len(h) != HASH_SIZE for h in hashes):
            raise WireError(f"each proof hash must be {HASH_SIZE} bytes")
        return cls(
            _text(fields["checkpoint"], "checkpoint"),
            old_size,
            hashes,
            unb64(fields["journal_key_binding"], "journal_key_binding"),
            unb64(fields["signing_certificate"], "signing_certificate"),
        )


@dataclass(frozen=True)
class CosignAnswer:
    """A witness's cosignature with what an auditor needs to trust its key."""

    cosignature: str
    cosigner_key: str
    key_binding: bytes
    signing_certificate: bytes

    def to_bytes(self) -> bytes:
        """Return the JSON body."""
        return orjson.dumps(
            {
                "cosignature": self.cosignature,
                "cosigner_key": self.cosigner_key,
                "key_binding": b64(self.key_binding),
                "signing_certificate": b64(self.signing_certificate),
            }
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> CosignAnswer:
        """Parse and bound an answer body; raise :class:`WireError`."""
        fields = _object(data, {f for f in cls.__dataclass_fields__})
        return cls(
            _text(fields["cosignature"], "cosignature", 1024),
            _text(fields["cosigner_key"], "cosigner_key", 1024),
            unb64(fields["key_binding"], "key_binding"),
            unb64(fields["signing_certificate"], "signing_certificate"),
        )


def refusal_body(code: WitnessCode, message: str, detail: str, size: int | None = None) -> bytes:
    """Return a refusal body; ``size`` only for :attr:`WitnessCode.OLD_SIZE`."""
    body: dict[str, object] = {"type": str(code), "message": message, "detail": detail}
    if size is not None:
        body["size"] = size
    return orjson.dumps(body)


def parse_refusal(data: bytes) -> tuple[str, str, int | None]:
    """Return (type, message, size) of a refusal body; raise :class:`WireError`."""
    if len(data) > MAX_REQUEST_BYTES:
        raise WireError("the refusal is too large")
    try:
        fields = orjson.loads(data)
    except orjson.JSONDecodeError:
        raise WireError("the answer is not JSON") from None
    if not isinstance(fields, dict) or not isinstance(fields.get("type"), str):
        raise WireError("the answer is neither a cosignature nor a refusal")
    size = fields.get("size")
    message = fields.get("message")
    return (
        fields["type"],
        message if isinstance(message, str) else "",
        size if type(size) is int else None,
    )
