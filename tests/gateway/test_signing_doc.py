"""docs/gateway-protocol.md's worked example: every hex value in it is produced here.

Run ``python -m tests.gateway.test_signing_doc`` to print the example blocks; the test
checks that the document holds each block verbatim and that its signature verifies.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tunduk.gateway import wire, xroad
from tunduk.gateway._batch import BatchTree
from tunduk.gateway._sigformat import batch_to_be_signed
from tunduk.gateway.signing import ALGORITHM, MessageSignature, canonical_fields
from tunduk.journal import leaf_hash

DOC = Path(__file__).resolve().parents[2] / "docs" / "gateway-protocol.md"
TARGET = "/r1/KG/GOV/70000001/population/person-by-pin/22001199000123?fields=name"
CLIENT_HEADERS = [
    ("X-Road-Client", "KG/GOV/70000004/pension-accounts"),
    ("X-Road-Id", "4f1c5a52-6b7e-4d5e-9a43-0e2b8d1f7a10"),
    ("Accept", "application/json"),
]
REQUEST_ID = "b3e0d0b6-7c1a-4f09-8f6e-2d5a9c3e1b44"
LABELS = [
    "label",
    "kind",
    "message_id",
    "request_id",
    "client",
    "service",
    "method",
    "path",
    "query",
]


def example_key() -> ec.EllipticCurvePrivateKey:
    """A fixed P-256 key for the example (never used for anything else)."""
    scalar = int.from_bytes(hashlib.sha256(b"tunduk gateway-protocol example key").digest())
    return ec.derive_private_key(scalar, ec.SECP256R1())


def _fields(data: bytes) -> list[bytes]:
    """Split length-prefixed fields (the header block's count is read as its own item)."""
    items, offset = [], 0
    while offset < len(data):
        size = int.from_bytes(data[offset : offset + 4])
        items.append(data[offset : offset + 4 + size])
        offset += 4 + size
    return items


def _dump(data: bytes) -> str:
    """The canonical bytes, one field a line: length prefix, value, and what it is."""
    lines, offset, index = [], 0, 0
    names = [*LABELS, "headers"]
    while offset < len(data):
        name = names[index] if index < len(names) else ""
        if name == "headers":
            count = int.from_bytes(data[offset : offset + 4])
            lines.append(f"{data[offset : offset + 4].hex()}  header count {count}")
            offset += 4
            for _ in range(2 * count):
                size = int.from_bytes(data[offset : offset + 4])
                value = data[offset + 4 : offset + 4 + size]
                lines.append(f"{data[offset : offset + 4].hex()} {value.hex()}  {value.decode()!r}")
                offset += 4 + size
            names = ["body_sha256", "status", "request_hash"]
            index = 0
            continue
        size = int.from_bytes(data[offset : offset + 4])
        value = data[offset + 4 : offset + 4 + size]
        shown = value.hex() if name == "body_sha256" else repr(value.decode())
        lines.append(f"{data[offset : offset + 4].hex()} {value.hex()}  {name} {shown}")
        offset += 4 + size
        index += 1
    return "\n".join(lines)


def worked_example() -> dict[str, str]:
    """Every block of the document's example, computed."""
    target = xroad.parse_target(TARGET)
    client_headers = xroad.parse_client_headers(CLIENT_HEADERS)
    canonical = canonical_fields(
        kind="request",
        message_id=client_headers.message_id,
        request_id=REQUEST_ID,
        client=str(client_headers.client),
        service=str(target.service),
        method="GET",
        path=target.canonical_path,
        query=target.query,
        headers=client_headers.hashed_headers(),
        body_sha256=hashlib.sha256(b"").digest(),
    )
    digest = wire.request_digest(
        "GET", target, client_headers, REQUEST_ID, hashlib.sha256(b"").digest()
    )
    assert digest == hashlib.sha256(canonical).digest()
    others = [hashlib.sha256(b"another message %d" % i).digest() for i in (0, 2)]
    batch = [others[0], digest, others[1]]
    tree = BatchTree(batch)
    certificate_sha256 = hashlib.sha256(b"example signing certificate").digest()
    to_sign = batch_to_be_signed(certificate_sha256, tree.size, tree.root)
    key = example_key()
    value = key.sign(to_sign, ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
    signature = MessageSignature(
        ALGORITHM, certificate_sha256, tree.root, tree.size, 1, tuple(tree.path(1)), value
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return {
        "canonical": _dump(canonical),
        "digest": f"digest = {digest.hex()}",
        "leaves": "\n".join(f"leaf {i}: {leaf_hash(d).hex()}" for i, d in enumerate(batch)),
        "tree": "\n".join(
            [
                f"root         = {tree.root.hex()}",
                *(f"path[{i}]      = {node.hex()}" for i, node in enumerate(tree.path(1))),
                f"to be signed = {to_sign.hex()}",
                f"public key   = {public.hex()}",
            ]
        ),
        "header": f"Tunduk-Signature: {signature.to_header()}",
    }


def test_the_documents_example_is_what_the_code_computes() -> None:
    """docs/gateway-protocol.md: each block of the worked example is reproduced byte for byte."""
    text = DOC.read_text(encoding="utf-8")
    for name, block in worked_example().items():
        assert block in text, f"the {name} block of the example differs from the code"


def test_the_documents_signature_verifies() -> None:
    """The example's Tunduk-Signature verifies: path to root, ECDSA with the example key."""
    header = worked_example()["header"].removeprefix("Tunduk-Signature: ")
    signature = MessageSignature.from_header(header)
    to_sign = batch_to_be_signed(
        signature.certificate_sha256, signature.batch_size, signature.batch_root
    )
    example_key().public_key().verify(signature.signature, to_sign, ec.ECDSA(hashes.SHA256()))
    assert [len(node) for node in signature.batch_path] == [32, 32]


if __name__ == "__main__":
    for name, block in worked_example().items():
        print(f"--- {name}\n{block}\n")
