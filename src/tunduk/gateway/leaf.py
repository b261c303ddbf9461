"""One journal leaf per message direction, and the binding of note keys to a signing key.

A gateway writes two leaves per exchange on each side: the request and the response, with
who sent them, their digest and signature, when they arrived and a salted commitment to
the body. The leaf bytes are canonical JSON (orjson, sorted keys, no insignificant
space), so the same leaf always hashes the same; :func:`decode_leaf` accepts exactly
those bytes and nothing else (unknown or missing fields, wrong types, non-canonical
spelling, oversize values are all refused).

The body itself is not in the leaf: it is kept beside it with a random salt, and the leaf
holds ``base64(SHA-256(salt ‖ body))`` (:func:`body_commitment`). Erasing the body and
the salt after the retention period leaves the tree intact and the commitment useless
for guessing the body (003 §3.2.5).

The gateway's journal checkpoints are signed with an Ed25519 note key (``journal.key``)
and it cosigns its peers' checkpoints with another (``cosign.key``). Neither is in a
certificate, so the gateway signs a short statement with its X.509 signing key binding
each note verifier key to its log origin (:func:`bind_note_key`); an auditor checks it
with the signing certificate (:func:`check_note_key_binding`) and so chains
anchor → configuration → approved CA → signing certificate → note key.

Exceptions::

    JournalError (tunduk.journal)
    ├── LeafError          leaf bytes malformed, not canonical, or a field out of bounds
    └── KeyBindingError    binding statement malformed or its signature does not verify
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

import orjson
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from tunduk.identifiers import ServerId
from tunduk.journal import JournalError, NoteError, Verifier

from ._random import random_bytes
from .keys import journal_origin

__all__ = [
    "MAX_LEAF_BYTES",
    "SALT_BYTES",
    "KeyBindingError",
    "LeafError",
    "LeafKind",
    "LeafSide",
    "MessageLeaf",
    "StoredMessage",
    "bind_note_key",
    "body_commitment",
    "check_note_key_binding",
    "decode_leaf",
    "encode_leaf",
    "gateway_origin",
    "new_salt",
    "note_key_binding_origin",
]

LeafKind = Literal["request", "response"]
LeafSide = Literal["client", "provider"]

MAX_LEAF_BYTES = 64 * 1024
"""Encoded leaves larger than this are refused (a leaf holds no body)."""

SALT_BYTES = 32
"""Length of the random salt of a body commitment."""

_MAX_BINDING_BYTES = 4096
_BINDING_TITLE = "tunduk note key binding v1"

# Upper bounds of each string field, in characters. Paths and queries follow the limits
# of common HTTP servers; identifiers are X-Road strings of at most five 255-char parts.
_LIMITS: dict[str, int] = {
    "message_id": 256,
    "request_id": 256,
    "client": 1300,
    "service": 1600,
    "method": 16,
    "path": 8192,
    "query": 8192,
    "received_at": 32,
    "digest": 44,
    "signature": 16384,
    "signer_certificate_sha256": 64,
    "body_commitment": 44,
    "error": 128,
}
_RFC3339_MICROS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")
_HEX_SHA256 = re.compile(r"[0-9a-f]{64}")
_METHOD = re.compile(r"[A-Z]{1,16}")
_ERROR_CODE = re.compile(r"[A-Za-z][A-Za-z0-9.]*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class LeafError(JournalError):
    """Leaf bytes are malformed, not canonical, or a field is out of bounds."""


class KeyBindingError(JournalError):
    """A note key binding statement is malformed or its signature does not verify."""


@dataclass(frozen=True, slots=True)
class MessageLeaf:
    """The journal entry of one message direction as one gateway saw it.

    ``digest`` is base64 of the 32-byte message digest (``signing.message_digest``),
    ``signature`` the sender's ``MessageSignature.to_header()`` and
    ``signer_certificate_sha256`` the lowercase hex SHA-256 of the signer certificate's
    DER; the three are empty only for a message the gateway refused before it could be
    digested or signed, and then ``error`` holds the X-Road code. ``status`` is the HTTP
    status of a response (``None`` for requests). ``received_at`` is RFC 3339 UTC with
    microseconds (``2026-11-30T00:15:00.123456Z``) on this gateway's clock.
    """

    kind: LeafKind
    side: LeafSide
    message_id: str
    request_id: str
    client: str
    service: str
    method: str
    path: str
    query: str
    status: int | None
    received_at: str
    digest: str
    signature: str
    signer_certificate_sha256: str
    body_commitment: str
    error: str | None = None

    def __post_init__(self) -> None:
        _check_leaf(self)


_FIELDS = frozenset(MessageLeaf.__dataclass_fields__)
_FIELD_ORDER = tuple(MessageLeaf.__dataclass_fields__)
_VERSION_KEY = "v"
_VERSION = 1


def _fail(field: str, message: str) -> LeafError:
    return LeafError(f"leaf field {field}: {message}")


def _check_text(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise _fail(name, "must be a string")
    if len(value) > _LIMITS[name]:
        raise _fail(name, f"is longer than {_LIMITS[name]} characters")
    if _CONTROL.search(value) is not None:  # one regex scan: this runs per leaf on the hot path
        raise _fail(name, "contains a control character")
    return value


_KINDS = get_args(LeafKind)  # a tuple: membership works for unhashable values too
_SIDES = get_args(LeafSide)
_TEXT_FIELDS = tuple((name, limit) for name, limit in _LIMITS.items() if name != "error")


def _check_texts(leaf: MessageLeaf) -> None:
    """:func:`_check_text` of every text field but ``error``: types and bounds, then one scan."""
    values: list[str] = []
    for name, limit in _TEXT_FIELDS:
        value = getattr(leaf, name)
        if type(value) is not str or len(value) > limit:
            _check_text(name, value)  # raises with the field's name
        values.append(value)
    if _CONTROL.search("".join(values)) is not None:  # one regex scan for all fields
        for (field, _), text in zip(_TEXT_FIELDS, values, strict=True):
            _check_text(field, text)


def _check_b64_hash(name: str, value: str, *, optional: bool) -> None:
    if optional and value == "":
        return
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise _fail(name, "is not valid base64") from None
    if len(raw) != 32 or base64.b64encode(raw).decode() != value:
        raise _fail(name, "must be the canonical base64 of 32 bytes")


def _check_leaf(leaf: MessageLeaf) -> None:
    """Raise :class:`LeafError` unless every field has its type and stays in its bounds."""
    if leaf.kind not in _KINDS:
        raise _fail("kind", "must be 'request' or 'response'")
    if leaf.side not in _SIDES:
        raise _fail("side", "must be 'client' or 'provider'")
    _check_texts(leaf)
    if not _METHOD.fullmatch(leaf.method) and not (leaf.error and leaf.method == ""):
        raise _fail("method", "must be an upper-case HTTP method")
    if leaf.status is not None and (type(leaf.status) is not int or not 100 <= leaf.status <= 599):
        raise _fail("status", "must be an HTTP status from 100 to 599, or null")
    if not _RFC3339_MICROS.fullmatch(leaf.received_at):
        raise _fail("received_at", "must be RFC 3339 UTC with microseconds, ending in Z")
    if leaf.error is not None:
        _check_text("error", leaf.error)
        if not _ERROR_CODE.fullmatch(leaf.error):
            raise _fail("error", "must be an X-Road error code")
    unsigned = leaf.error is not None
    _check_b64_hash("digest", leaf.digest, optional=unsigned)
    _check_b64_hash("body_commitment", leaf.body_commitment, optional=False)
    if leaf.signer_certificate_sha256 and not _HEX_SHA256.fullmatch(leaf.signer_certificate_sha256):
        raise _fail("signer_certificate_sha256", "must be 64 lowercase hex digits")
    if not unsigned and not (leaf.signature and leaf.signer_certificate_sha256):
        raise _fail("signature", "a leaf without an error must carry the sender's signature")


def encode_leaf(leaf: MessageLeaf) -> bytes:
    """Return the canonical bytes of ``leaf`` (orjson, sorted keys, with a version key)."""
    # Every field is a str, an int or None: no deep copy (asdict's) needed.
    fields: dict[str, Any] = {name: getattr(leaf, name) for name in _FIELD_ORDER}
    fields[_VERSION_KEY] = _VERSION
    data = orjson.dumps(fields, option=orjson.OPT_SORT_KEYS)
    if len(data) > MAX_LEAF_BYTES:
        raise LeafError(f"leaf is {len(data)} bytes, more than {MAX_LEAF_BYTES}")
    return data


def decode_leaf(data: bytes) -> MessageLeaf:
    """Parse canonical leaf bytes; raise :class:`LeafError` for anything else."""
    if len(data) > MAX_LEAF_BYTES:
        raise LeafError(f"leaf is {len(data)} bytes, more than {MAX_LEAF_BYTES}")
    try:
        fields = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise LeafError(f"leaf is not JSON: {error}") from None
    if not isinstance(fields, dict):
        raise LeafError("leaf is not a JSON object")
    version = fields.pop(_VERSION_KEY, None)
    if version != _VERSION or type(version) is not int:
        raise LeafError(f"leaf version must be {_VERSION}")
    keys = set(fields)
    if keys != _FIELDS:
        extra, missing = sorted(keys - _FIELDS), sorted(_FIELDS - keys)
        raise LeafError(f"leaf fields differ: unknown {extra}, missing {missing}")
    try:
        leaf = MessageLeaf(**fields)
    except TypeError as error:
        raise LeafError(f"leaf fields are malformed: {error}") from None
    if encode_leaf(leaf) != data:
        raise LeafError("leaf bytes are not in canonical form")
    return leaf


def new_salt() -> bytes:
    """Return a fresh random salt for :func:`body_commitment`."""
    return random_bytes(SALT_BYTES)


def body_commitment(salt: bytes, body: bytes) -> str:
    """Return ``base64(SHA-256(salt ‖ body))``, the leaf's commitment to an erasable body."""
    if len(salt) != SALT_BYTES:
        raise LeafError(f"a body salt must be {SALT_BYTES} bytes")
    return base64.b64encode(hashlib.sha256(salt + body).digest()).decode()


@dataclass(frozen=True, slots=True)
class StoredMessage:
    """What is kept beside a leaf: the salt, the raw headers and the body (all erasable)."""

    salt: bytes
    headers: bytes
    body: bytes

    @classmethod
    def new(cls, headers: bytes, body: bytes) -> StoredMessage:
        """Return a stored message with a fresh random salt."""
        return cls(new_salt(), headers, body)

    @classmethod
    def create(cls, headers: Sequence[tuple[str, str]], body: bytes) -> StoredMessage:
        """Return a stored message of ``headers`` as exchanged (``name: value`` CRLF lines)."""
        raw = "".join(f"{name}: {value}\r\n" for name, value in headers)
        return cls.new(raw.encode("utf-8", "surrogateescape"), body)

    def commitment(self) -> str:
        """Return the leaf's ``body_commitment`` for this body and salt."""
        return body_commitment(self.salt, self.body)


def gateway_origin(server: ServerId) -> str:
    """Return the journal origin of the gateway ``server``: its journal key's name.

    ``INSTANCE/CLASS/CODE/SERVER`` with ``+`` written ``%2B`` (``keys.journal_origin``).
    """
    return journal_origin(server)


def _binding_text(vkey: str, origin: str) -> str:
    return f"{_BINDING_TITLE}\norigin {origin}\nkey {vkey}\n"


def bind_note_key(sign_key: ec.EllipticCurvePrivateKey, vkey: str, origin: str) -> bytes:
    """Return a statement, signed with ``sign_key``, that note key ``vkey`` speaks for ``origin``.

    Format (UTF-8)::

        tunduk note key binding v1
        origin <origin>
        key <verifier key: name+hexid+base64>

        <base64 of the DER ECDSA P-256 / SHA-256 signature over the three lines above>

    ``journal.binding`` holds it for ``journal.key``, ``cosign.binding`` for ``cosign.key``.
    """
    try:
        Verifier.from_key(vkey)
    except NoteError as error:
        raise KeyBindingError(f"not a note verifier key: {error}") from None
    if not origin or any(c.isspace() for c in origin):
        raise KeyBindingError("the origin must be one word without spaces")
    if not isinstance(sign_key.curve, ec.SECP256R1):
        raise KeyBindingError("the signing key must be ECDSA P-256")
    text = _binding_text(vkey, origin)
    signature = sign_key.sign(text.encode(), ec.ECDSA(hashes.SHA256()))
    return (text + "\n" + base64.b64encode(signature).decode() + "\n").encode()


def _parse_binding(data: bytes) -> tuple[str, str, bytes, str]:
    """Split a binding into (origin, vkey, signature, signed text); check its syntax."""
    if len(data) > _MAX_BINDING_BYTES:
        raise KeyBindingError(f"a key binding is at most {_MAX_BINDING_BYTES} bytes")
    try:
        lines = data.decode("ascii").split("\n")
    except UnicodeDecodeError:
        raise KeyBindingError("a key binding is ASCII text") from None
    if len(lines) != 6 or lines[0] != _BINDING_TITLE or lines[3] != "" or lines[5] != "":
        raise KeyBindingError(f"a key binding has the lines {_BINDING_TITLE!r}, origin, key")
    if not lines[1].startswith("origin ") or not lines[2].startswith("key "):
        raise KeyBindingError("a key binding names its origin, then its key")
    origin, vkey = lines[1][len("origin ") :], lines[2][len("key ") :]
    try:
        signature = base64.b64decode(lines[4], validate=True)
    except (binascii.Error, ValueError):
        raise KeyBindingError("the key binding's signature is not base64") from None
    text = _binding_text(vkey, origin)
    if text != "\n".join(lines[:3]) + "\n":
        raise KeyBindingError("the key binding is not in canonical form")
    return origin, vkey, signature, text


def note_key_binding_origin(data: bytes) -> str:
    """Return the origin a binding names, without checking its signature."""
    return _parse_binding(data)[0]


def check_note_key_binding(
    data: bytes, certificate: x509.Certificate, *, origin: str | None = None
) -> str:
    """Check a binding against the signer's ``certificate``; return the bound verifier key.

    With ``origin`` the binding must name that origin. Whether ``certificate`` is a valid
    signing certificate of the right member is the caller's check (global configuration).
    Raises :class:`KeyBindingError`.
    """
    bound_origin, vkey, signature, text = _parse_binding(data)
    if origin is not None and bound_origin != origin:
        raise KeyBindingError(f"the key binding is for {bound_origin!r}, not {origin!r}")
    try:
        Verifier.from_key(vkey)
    except NoteError as error:
        raise KeyBindingError(f"the bound key is not a note verifier key: {error}") from None
    public_key = certificate.public_key()
    if not isinstance(public_key, ec.EllipticCurvePublicKey) or not isinstance(
        public_key.curve, ec.SECP256R1
    ):
        raise KeyBindingError("the signing certificate does not hold an ECDSA P-256 key")
    try:
        public_key.verify(signature, text.encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise KeyBindingError("the key binding's signature does not verify") from None
    return vkey
