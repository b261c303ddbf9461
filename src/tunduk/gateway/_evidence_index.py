"""The layout of an evidence container: fixed file names, their media types, the index.

``META-INF/evidence.json`` lists every file with its media type and SHA-256 and names the
message. It is canonical JSON (sorted keys, no spaces, ASCII) and nothing else, so a
verifier can rebuild it from what it checked and compare the bytes: no field in it is
taken on trust.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

from ._evidence_errors import Check, EvidenceError

__all__ = [
    "FORMAT",
    "INDEX",
    "Layout",
    "encode_index",
    "media_type_of",
    "read_index",
]

FORMAT = "tunduk-evidence/1"
INDEX = "META-INF/evidence.json"
_MAX_INDEX_BYTES = 64 * 1024

PEM = "application/pem-certificate-chain"
OCTETS = "application/octet-stream"
JSON = "application/json"
TEXT = "text/plain"
TSR = "application/timestamp-reply"


class Layout:
    """Where each piece of evidence lives in the container (``kind`` is request/response)."""

    CONFIGURATION = "configuration/configuration.json"
    TIMESTAMP = "journal/checkpoint.tsr"
    JOURNAL_BINDING = "journal/journal.binding"
    REQUEST_HASH = "response/request-hash.txt"

    @staticmethod
    def headers(kind: str) -> str:
        """The headers of the message as exchanged."""
        return f"{kind}/headers"

    @staticmethod
    def body(kind: str) -> str:
        """The body as exchanged (absent once erased under the retention rules)."""
        return f"{kind}/body"

    @staticmethod
    def salt(kind: str) -> str:
        """The salt of the body commitment (erased with the body)."""
        return f"{kind}/salt"

    @staticmethod
    def leaf(kind: str) -> str:
        """The journal leaf exactly as stored."""
        return f"{kind}/leaf.json"

    @staticmethod
    def signature(kind: str) -> str:
        """The sender's message signature (the header value)."""
        return f"{kind}/signature.txt"

    @staticmethod
    def signer(kind: str) -> str:
        """The sender's signing certificate."""
        return f"{kind}/signer.pem"

    @staticmethod
    def proof(kind: str) -> str:
        """The C2SP tlog-proof of the leaf to the cosigned checkpoint."""
        return f"{kind}/proof.tlog"

    @staticmethod
    def ca(number: int) -> str:
        """An issuing CA certificate."""
        return f"certificates/ca-{number}.pem"

    @staticmethod
    def cosigner_binding(number: int) -> str:
        """A peer's binding of its cosigner key to its signing certificate."""
        return f"journal/cosigner-{number}.binding"


_TYPES = (
    (re.compile(r"(request|response)/(headers|body|salt)"), OCTETS),
    (re.compile(r"(request|response)/leaf\.json"), JSON),
    (re.compile(r"(request|response)/(signature\.txt|proof\.tlog)"), TEXT),
    (re.compile(r"response/request-hash\.txt"), TEXT),
    (re.compile(r"(request|response)/signer\.pem"), PEM),
    (re.compile(r"certificates/ca-[0-9]{1,2}\.pem"), PEM),
    (re.compile(r"configuration/configuration\.json|META-INF/evidence\.json"), JSON),
    (re.compile(r"journal/checkpoint\.tsr"), TSR),
    (re.compile(r"journal/(journal|cosigner-[0-9]{1,2})\.binding"), TEXT),
)


def media_type_of(name: str) -> str | None:
    """The media type a file of that name has, or None when no evidence file has that name."""
    return next((media for pattern, media in _TYPES if pattern.fullmatch(name)), None)


@dataclass(frozen=True)
class IndexEntry:
    """One file listed in the index."""

    name: str
    media_type: str
    sha256: str


def encode_index(message_id: str, files: Mapping[str, bytes]) -> bytes:
    """Return the canonical index of ``files`` (name → bytes) for ``message_id``."""
    listed = []
    for name in sorted(files):
        media_type = media_type_of(name)
        if media_type is None:
            raise ValueError(f"{name!r} is not an evidence file name")
        digest = hashlib.sha256(files[name]).hexdigest()
        listed.append({"media_type": media_type, "name": name, "sha256": digest})
    index = {"files": listed, "format": FORMAT, "message_id": message_id}
    return json.dumps(index, sort_keys=True, separators=(",", ":")).encode("ascii")


def read_index(files: Mapping[str, bytes], media_types: Mapping[str, str]) -> str:
    """Check the index against every other file and return the message id it names.

    Every file must be listed with its hash and the media type its name calls for; the
    index must be exactly :func:`encode_index` of them. Raises :class:`EvidenceError`.
    """
    data = files.get(INDEX)
    if data is None:
        raise EvidenceError(Check.INDEX, f"the container has no {INDEX}")
    if len(data) > _MAX_INDEX_BYTES:
        raise EvidenceError(Check.INDEX, f"{INDEX} is larger than {_MAX_INDEX_BYTES} bytes")
    others = {name: content for name, content in files.items() if name != INDEX}
    for name in files:
        expected = media_type_of(name)
        if expected is None:
            raise EvidenceError(Check.INDEX, f"{name} is not a file evidence may contain")
        if media_types.get(name) != expected:
            detail = f"the manifest gives {name} the media type {media_types.get(name)!r}"
            raise EvidenceError(Check.MANIFEST, f"{detail}, not {expected!r}")
    message_id = _message_id(data)
    _compare_hashes(data, others)
    if encode_index(message_id, others) != data:
        raise EvidenceError(Check.INDEX, f"{INDEX} is not in the canonical form")
    return message_id


def _message_id(data: bytes) -> str:
    try:
        index = json.loads(data)
    except (ValueError, RecursionError):
        raise EvidenceError(Check.INDEX, f"{INDEX} is not JSON") from None
    if not isinstance(index, dict) or index.get("format") != FORMAT:
        raise EvidenceError(Check.INDEX, f"{INDEX} is not a {FORMAT} index")
    message_id = index.get("message_id")
    if not isinstance(message_id, str) or not message_id:
        raise EvidenceError(Check.INDEX, f"{INDEX} names no message")
    return message_id


def _compare_hashes(data: bytes, others: Mapping[str, bytes]) -> None:
    """Name the first file whose hash differs from the index (or that it omits or adds)."""
    try:
        listed = {item["name"]: item["sha256"] for item in json.loads(data)["files"]}
    except (KeyError, TypeError, ValueError):
        raise EvidenceError(Check.INDEX, f"{INDEX} does not list files by name and hash") from None
    for name in sorted(set(listed) | set(others)):
        if name not in others:
            raise EvidenceError(Check.INDEX, f"{INDEX} lists {name}, which is not in the container")
        if name not in listed:
            raise EvidenceError(Check.INDEX, f"{INDEX} does not list {name}")
        if listed[name] != hashlib.sha256(others[name]).hexdigest():
            raise EvidenceError(Check.INDEX, f"the SHA-256 of {name} differs from the index")
