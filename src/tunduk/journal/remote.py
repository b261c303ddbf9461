"""A log published over HTTP: its checkpoint, verifier key and consistency proofs.

The client that witnesses and monitors use to read a log from outside, with nothing but
the public URLs (no database). Every request has a timeout and every answer a size limit,
so a hostile or broken server can neither hang nor flood the caller.

Published paths, relative to the log's base URL (``https://registry.example.kg/journal``)::

    GET  checkpoint                         the latest signed checkpoint (signed note)
    GET  checkpoint/cosigned                the newest checkpoint with witness cosignatures
    GET  verifier-key                       the log's verifier key
    GET  proofs/consistency?from=&to=       {"from", "to", "proof": [base64 hashes]}
    POST cosignatures                       a witness submits checkpoint + cosignature lines

Exceptions::

    JournalError
     └── RemoteLogError       unreachable, HTTP error, too large, or malformed answer
"""

from __future__ import annotations

import base64
import binascii
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from tunduk.journal._errors import JournalError
from tunduk.journal._hashing import HASH_SIZE

__all__ = ["MAX_ANSWER_BYTES", "MAX_PROOF_HASHES", "PublishedLog", "RemoteLogError"]

# A checkpoint with a hundred cosignatures is under 20 KB, a consistency proof under 4 KB.
MAX_ANSWER_BYTES = 64 * 1024
# A consistency proof for any tree below 2**63 leaves has fewer hashes than this.
MAX_PROOF_HASHES = 128

_TEXT = "text/plain; charset=utf-8"


class RemoteLogError(JournalError):
    """The published log could not be read: unreachable, HTTP error, oversized or malformed."""


def _decode_hash(value: object, position: int) -> bytes:
    if not isinstance(value, str):
        raise RemoteLogError(f"consistency proof hash {position} is not a string")
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise RemoteLogError(f"consistency proof hash {position} is not base64") from None
    if len(raw) != HASH_SIZE:
        raise RemoteLogError(f"consistency proof hash {position} is not {HASH_SIZE} bytes")
    return raw


class PublishedLog:
    """Reads a published log (and posts cosignatures to it) at ``url`` over HTTP(S)."""

    def __init__(self, url: str, *, timeout: float = 10) -> None:
        """Use the log whose base URL is ``url``; only ``http`` and ``https`` are accepted."""
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise RemoteLogError(f"log URL {url!r} must be an http:// or https:// URL")
        self.url = url.rstrip("/")
        self.timeout = timeout

    def checkpoint(self) -> str:
        """Return the latest signed checkpoint note, unverified."""
        return self._text(self._request("checkpoint"))

    def cosigned_checkpoint(self) -> str:
        """Return the newest checkpoint note carrying witness cosignatures, unverified."""
        return self._text(self._request("checkpoint/cosigned"))

    def verifier_key(self) -> str:
        """Return the verifier key the log publishes (pin it; do not trust it every time)."""
        return self._text(self._request("verifier-key")).strip()

    def consistency_proof(self, first: int, second: int) -> list[bytes]:
        """Return the RFC 9162 consistency proof between tree sizes ``first`` and ``second``."""
        query = urllib.parse.urlencode({"from": first, "to": second})
        answer = self._json(self._request(f"proofs/consistency?{query}"))
        if answer.get("from") != first or answer.get("to") != second:
            raise RemoteLogError(f"the log answered a proof for other sizes than {first}..{second}")
        hashes = answer.get("proof")
        if not isinstance(hashes, list) or len(hashes) > MAX_PROOF_HASHES:
            raise RemoteLogError("the consistency proof is not a list of at most 128 hashes")
        return [_decode_hash(value, i) for i, value in enumerate(hashes)]

    def submit_cosignature(self, note: str) -> dict[str, Any]:
        """Post a checkpoint note with cosignature lines; return the log's JSON answer."""
        return self._json(self._request("cosignatures", body=note.encode(), content_type=_TEXT))

    def _request(self, path: str, *, body: bytes | None = None, content_type: str = "") -> bytes:
        url = f"{self.url}/{path}"
        headers = {"Content-Type": content_type} if content_type else {}
        request = urllib.request.Request(url, data=body, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as reply:
                data: bytes = reply.read(MAX_ANSWER_BYTES + 1)
        except urllib.error.HTTPError as error:
            detail = error.read(1024).decode("utf-8", "replace").strip()
            raise RemoteLogError(f"{url} answered HTTP {error.code}: {detail}") from error
        except (urllib.error.URLError, OSError) as error:
            raise RemoteLogError(f"cannot reach {url}: {error}") from error
        if len(data) > MAX_ANSWER_BYTES:
            raise RemoteLogError(f"{url} sent more than {MAX_ANSWER_BYTES} bytes")
        return data

    @staticmethod
    def _text(data: bytes) -> str:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise RemoteLogError("the log answered text that is not UTF-8") from None

    @staticmethod
    def _json(data: bytes) -> dict[str, Any]:
        try:
            answer = json.loads(data)
        except ValueError:
            raise RemoteLogError("the log answered something that is not JSON") from None
        if not isinstance(answer, dict):
            raise RemoteLogError("the log answered JSON that is not an object")
        return answer
