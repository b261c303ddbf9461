"""The journal items of one exchange: a leaf per direction with its stored message.

Both gateways write two leaves per exchange, the request's and the response's, each
with the sender's digest and signature; a refused or failed message is written as one
request leaf with its X-Road code in ``error`` (and, on the provider side, whatever
signature it carried). Stored beside each leaf: the message's start line and headers as
exchanged (HTTP/1.1 text, ``\\r\\n`` line ends) and its body.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass

from .leaf import LeafKind, LeafSide, MessageLeaf
from .messagelog import StoredMessage

__all__ = ["Direction", "failure_item", "leaf_item", "request_head", "response_head"]

JournalItem = tuple[MessageLeaf, StoredMessage]


@dataclass(frozen=True, slots=True)
class Direction:
    """What the leaf of one direction says, apart from who wrote it and when."""

    kind: LeafKind
    message_id: str
    request_id: str
    client: str
    service: str
    method: str
    path: str
    query: str
    status: int | None
    digest: bytes
    signature: str
    certificate_sha256: bytes


def request_head(method: str, path: str, query: str, headers: Sequence[tuple[str, str]]) -> bytes:
    """The request line and headers as the gateway sent or received them."""
    target = f"{path}?{query}" if query else path
    lines = [f"{method} {target} HTTP/1.1", *(f"{name}: {value}" for name, value in headers)]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8", "surrogateescape")


def response_head(status: int, headers: Sequence[tuple[str, str]]) -> bytes:
    """The status line and headers as the gateway sent or received them."""
    lines = [f"HTTP/1.1 {status}", *(f"{name}: {value}" for name, value in headers)]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8", "surrogateescape")


def leaf_item(
    direction: Direction,
    side: LeafSide,
    received_at: str,
    head: bytes,
    body: bytes,
    error: str | None = None,
) -> JournalItem:
    """The leaf of ``direction`` written by ``side``, and its stored message."""
    stored = StoredMessage.new(head, body)
    leaf = MessageLeaf(
        kind=direction.kind,
        side=side,
        message_id=direction.message_id,
        request_id=direction.request_id,
        client=direction.client,
        service=direction.service,
        method=direction.method,
        path=direction.path,
        query=direction.query,
        status=direction.status,
        received_at=received_at,
        digest=base64.b64encode(direction.digest).decode("ascii"),
        signature=direction.signature,
        signer_certificate_sha256=direction.certificate_sha256.hex(),
        body_commitment=stored.commitment(),
        error=error,
    )
    return leaf, stored


def failure_item(
    direction: Direction, side: LeafSide, received_at: str, head: bytes, body: bytes, code: str
) -> JournalItem:
    """A refused or failed message: its request leaf with the X-Road ``code``."""
    return leaf_item(direction, side, received_at, head, body, error=code)
