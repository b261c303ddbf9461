"""The message side of evidence: the leaves, the digests recomputed from the bytes, the
senders' signatures and the body commitments.

The headers file holds the headers the signature covers, one ``name: value`` line each,
names lowercased and stably sorted by name (the digest's own order), so every byte of it
is signed: nothing unsigned rides along in the container.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography import x509

from tunduk.globalconf import ApprovedCa
from tunduk.identifiers import IdentifierError, MemberId, parse_client, parse_service

from ._errors import GatewayError
from ._evidence_errors import Check, EvidenceError
from ._evidence_index import Layout
from .leaf import LeafError, MessageLeaf, body_commitment, decode_leaf
from .signing import MessageSignature, message_digest, verify_offline

__all__ = [
    "KINDS",
    "Message",
    "check_commitments",
    "check_digests",
    "check_leaves",
    "check_signatures",
    "encode_headers",
    "parse_headers",
    "read_leaves",
]

KINDS = ("request", "response")
_MAX_HEADERS = 200
_REQUEST_HASH = re.compile(rb"[\x21-\x7e]{1,255}")


@dataclass(frozen=True)
class Message:
    """Both directions' leaves and what the evidence says about the parties."""

    leaves: dict[str, MessageLeaf]
    client_member: MemberId
    provider_member: MemberId

    @property
    def request(self) -> MessageLeaf:
        """The request leaf."""
        return self.leaves["request"]

    @property
    def received_at(self) -> datetime:
        """When the exporting gateway received the request (its clock)."""
        return parse_time(self.request.received_at)


def parse_time(text: str) -> datetime:
    """A leaf's RFC 3339 UTC time (checked by the leaf's own rules)."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def encode_headers(headers: Sequence[tuple[str, str]]) -> bytes:
    """The headers file: ``name: value`` lines, names lowercased, stably sorted by name."""
    pairs = sorted(((name.lower(), value.strip(" \t")) for name, value in headers), key=_name)
    return "".join(f"{name}: {value}\n" for name, value in pairs).encode("utf-8", "surrogateescape")


def _name(pair: tuple[str, str]) -> str:
    return pair[0]


def parse_headers(data: bytes, kind: str) -> list[tuple[str, str]]:
    """Read a headers file, which must be exactly in the form :func:`encode_headers` writes."""
    text = data.decode("utf-8", "surrogateescape")
    lines = text.split("\n")
    if lines.pop() != "" or len(lines) > _MAX_HEADERS:
        raise EvidenceError(Check.DIGESTS, f"{Layout.headers(kind)} is not a list of headers")
    headers = []
    for line in lines:
        name, separator, value = line.partition(": ")
        if not separator or not name or ":" in name:
            raise EvidenceError(Check.DIGESTS, f"{Layout.headers(kind)} has a malformed line")
        headers.append((name, value))
    if encode_headers(headers) != data:
        raise EvidenceError(Check.DIGESTS, f"{Layout.headers(kind)} is not in canonical form")
    return headers


def read_leaves(files: Mapping[str, bytes], message_id: str) -> Message:
    """Parse both leaves and the parties they name; they must be this message's."""
    leaves: dict[str, MessageLeaf] = {}
    for kind in KINDS:
        data = files.get(Layout.leaf(kind))
        if data is None:
            raise EvidenceError(Check.LEAVES, f"the container has no {Layout.leaf(kind)}")
        try:
            leaf = decode_leaf(data)
        except LeafError as error:
            raise EvidenceError(Check.LEAVES, f"{Layout.leaf(kind)}: {error}") from None
        if leaf.kind != kind or leaf.message_id != message_id:
            raise EvidenceError(
                Check.LEAVES, f"{Layout.leaf(kind)} is not the {kind} of message {message_id}"
            )
        if leaf.error is not None:
            raise EvidenceError(
                Check.LEAVES, f"the {kind} leaf records a refusal ({leaf.error}), not a message"
            )
        leaves[kind] = leaf
    try:
        client = parse_client(leaves["request"].client)
        service = parse_service(leaves["request"].service)
    except IdentifierError as error:
        raise EvidenceError(Check.LEAVES, f"the request leaf names {error}") from None
    client_member = client if isinstance(client, MemberId) else client.member
    return Message(leaves, client_member, service.subsystem.member)


def check_leaves(
    message: Message, files: Mapping[str, bytes], certificates: dict[str, bytes]
) -> None:
    """Both leaves describe the same exchange, as one gateway saw it, with the container's
    signatures and certificates (``certificates``: kind → SHA-256 of the DER)."""
    request, response = message.leaves["request"], message.leaves["response"]
    for field in ("request_id", "client", "service", "method", "path", "query", "side"):
        if getattr(request, field) != getattr(response, field):
            raise EvidenceError(
                Check.LEAVES, f"the request and response leaves differ in their {field}"
            )
    if request.status is not None or response.status is None:
        raise EvidenceError(Check.LEAVES, "only the response leaf carries an HTTP status")
    for kind, leaf in message.leaves.items():
        signature = files.get(Layout.signature(kind), b"")
        if leaf.signature.encode("ascii", "replace") != signature:
            raise EvidenceError(
                Check.LEAVES, f"{Layout.signature(kind)} is not the signature in the {kind} leaf"
            )
        if leaf.signer_certificate_sha256 != certificates[kind].hex():
            raise EvidenceError(
                Check.LEAVES, f"{Layout.signer(kind)} is not the certificate the {kind} leaf names"
            )


def _body_sha256(files: Mapping[str, bytes], kind: str) -> bytes | None:
    body = files.get(Layout.body(kind))
    return None if body is None else hashlib.sha256(body).digest()


def check_digests(message: Message, files: Mapping[str, bytes]) -> dict[str, bytes]:
    """Recompute each direction's digest from the bytes; return the digests to verify.

    For a body erased under the retention rules the leaf's digest stands (its signature is
    still checked); the caller reports the erasure.
    """
    digests = {}
    for kind, leaf in message.leaves.items():
        stored = base64.b64decode(leaf.digest)
        body_sha256 = _body_sha256(files, kind)
        if body_sha256 is not None:
            headers = parse_headers(files.get(Layout.headers(kind), b""), kind)
            request_hash = None
            if kind == "response":
                request_hash = _request_hash(files)
            recomputed = _digest(leaf, headers, body_sha256, request_hash)
            if recomputed != stored:
                raise EvidenceError(
                    Check.DIGESTS,
                    f"the {kind} digest recomputed from its headers and body differs from the"
                    f" one the {kind} leaf journaled: the message bytes were changed",
                )
        digests[kind] = stored
    return digests


def _request_hash(files: Mapping[str, bytes]) -> str:
    data = files.get(Layout.REQUEST_HASH)
    if data is None:
        raise EvidenceError(Check.DIGESTS, f"the container has no {Layout.REQUEST_HASH}")
    if not _REQUEST_HASH.fullmatch(data):
        raise EvidenceError(Check.DIGESTS, f"{Layout.REQUEST_HASH} is not a request hash")
    return data.decode("ascii")


def _digest(
    leaf: MessageLeaf,
    headers: list[tuple[str, str]],
    body_sha256: bytes,
    request_hash: str | None,
) -> bytes:
    try:
        return message_digest(
            kind=leaf.kind,
            message_id=leaf.message_id,
            request_id=leaf.request_id,
            client=leaf.client,
            service=leaf.service,
            method=leaf.method,
            path=leaf.path,
            query=leaf.query,
            headers=headers,
            body_sha256=body_sha256,
            status=leaf.status,
            request_hash=request_hash,
        )
    except ValueError as error:
        raise EvidenceError(Check.DIGESTS, f"the {leaf.kind} cannot be digested: {error}") from None


def check_signatures(
    message: Message,
    digests: Mapping[str, bytes],
    signers: Mapping[str, x509.Certificate],
    approved: Sequence[ApprovedCa],
) -> None:
    """Each digest carries its sender's valid batch signature (client: request, provider:
    response), by a signing certificate of that sender's member."""
    members = {"request": message.client_member, "response": message.provider_member}
    for kind, leaf in message.leaves.items():
        try:
            signature = MessageSignature.from_header(leaf.signature)
        except ValueError as error:
            raise EvidenceError(Check.SIGNATURES, f"the {kind} signature: {error}") from None
        if signature.to_header() != leaf.signature:
            raise EvidenceError(Check.SIGNATURES, f"the {kind} signature is not canonical")
        try:
            verify_offline(
                digests[kind],
                signature,
                signers[kind],
                approved_cas=approved,
                member=members[kind],
                at=parse_time(leaf.received_at),
                side="server" if kind == "request" else "client",
            )
        except GatewayError as error:
            raise EvidenceError(Check.SIGNATURES, f"the {kind}: {error.message}") from None


def check_commitments(message: Message, files: Mapping[str, bytes]) -> list[str]:
    """Each kept body matches its leaf's salted commitment; return the erased kinds."""
    erased = []
    for kind, leaf in message.leaves.items():
        body, salt = files.get(Layout.body(kind)), files.get(Layout.salt(kind))
        headers = files.get(Layout.headers(kind))
        if body is None and salt is None and headers is None:
            erased.append(kind)
            continue
        if body is None or salt is None or headers is None:
            raise EvidenceError(
                Check.COMMITMENTS,
                f"the {kind} headers, body and salt must be kept or erased together",
            )
        try:
            commitment = body_commitment(salt, body)
        except LeafError as error:
            raise EvidenceError(Check.COMMITMENTS, f"{Layout.salt(kind)}: {error}") from None
        if commitment != leaf.body_commitment:
            raise EvidenceError(
                Check.COMMITMENTS, f"the {kind} body is not the one the {kind} leaf committed to"
            )
    return erased
