"""Putting gathered evidence into one container: the files, the index, the manifest."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from ._asice import write_asice
from ._evidence_index import INDEX, OCTETS, Layout, encode_index, media_type_of

__all__ = ["Direction", "Gathered", "assemble"]

KINDS = ("request", "response")


@dataclass(frozen=True)
class Direction:
    """One direction of the message as this gateway journaled it."""

    headers: bytes | None  # the signed headers; None once erased with the body
    body: bytes | None  # None once erased under the retention rules
    salt: bytes | None
    leaf: bytes  # the journal entry exactly as stored
    signature: str  # MessageSignature.to_header() of the sender
    signer: x509.Certificate
    proof: str  # C2SP tlog-proof of the leaf to the checkpoint


@dataclass(frozen=True)
class Gathered:
    """Everything one message's evidence holds, gathered from a gateway."""

    message_id: str
    request: Direction
    response: Direction
    ca_certificates: Sequence[x509.Certificate]
    configuration: bytes  # the signed envelope in force at the message time
    journal_binding: bytes
    cosigner_bindings: Sequence[bytes]
    timestamp: bytes  # RFC 3161 token over the checkpoint body
    request_hash: str | None = None  # X-Road-Request-Hash the response digest binds


def _files(gathered: Gathered) -> dict[str, bytes]:
    files = {
        Layout.CONFIGURATION: gathered.configuration,
        Layout.JOURNAL_BINDING: gathered.journal_binding,
        Layout.TIMESTAMP: gathered.timestamp,
    }
    for kind, direction in zip(KINDS, (gathered.request, gathered.response), strict=True):
        if direction.body is not None and direction.salt is not None:
            files[Layout.headers(kind)] = direction.headers or b""
            files[Layout.body(kind)] = direction.body
            files[Layout.salt(kind)] = direction.salt
        files[Layout.leaf(kind)] = direction.leaf
        files[Layout.signature(kind)] = direction.signature.encode("ascii")
        files[Layout.signer(kind)] = direction.signer.public_bytes(Encoding.PEM)
        files[Layout.proof(kind)] = direction.proof.encode("utf-8")
    if gathered.response.body is not None and gathered.request_hash is not None:
        files[Layout.REQUEST_HASH] = gathered.request_hash.encode("ascii")
    unique = {ca.public_bytes(Encoding.DER): ca for ca in gathered.ca_certificates}
    for number, ca in enumerate(unique.values(), start=1):
        files[Layout.ca(number)] = ca.public_bytes(Encoding.PEM)
    for number, binding in enumerate(gathered.cosigner_bindings, start=1):
        files[Layout.cosigner_binding(number)] = binding
    return files


def assemble(gathered: Gathered) -> bytes:
    """Return the ASiC-E evidence container for ``gathered``."""
    files = _files(gathered)
    files[INDEX] = encode_index(gathered.message_id, files)
    listed = [(name, media_type_of(name) or OCTETS, data) for name, data in files.items()]
    return write_asice(listed)
