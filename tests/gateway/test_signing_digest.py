"""The message digest: every field bound, no two messages sharing an encoding."""

from __future__ import annotations

import hashlib

import pytest

from tunduk.gateway.signing import DIGEST_LABEL, canonical_fields, message_digest

from ._signing_helpers import sample_digest, sample_fields

TAMPERED = {
    "kind": {"kind": "response", "status": 200, "request_hash": "aGFzaA=="},
    "message_id": {"message_id": "4f1c5a52-6b7e-4d5e-9a43-0e2b8d1f7a11"},
    "request_id": {"request_id": "another"},
    "client": {"client": "KG/GOV/70000004/hr"},
    "service": {"service": "KG/GOV/70000001/population/secret"},
    "method": {"method": "POST"},
    "path": {"path": "/22001199000124"},
    "query": {"query": "fields=name,address"},
    "header value": {"headers": [("Accept", "text/xml"), ("X-Road-UserId", "KG22001199000123")]},
    "header added": {
        "headers": [
            ("Accept", "application/json"),
            ("X-Road-UserId", "KG22001199000123"),
            ("X-Road-Issue", "case 7"),
        ]
    },
    "header dropped": {"headers": [("Accept", "application/json")]},
    "body": {"body_sha256": hashlib.sha256(b"{}").digest()},
}


@pytest.mark.parametrize("field", sorted(TAMPERED))
def test_every_field_changes_the_digest(field: str) -> None:
    """Issue 9 §3: the digest binds ids, client, service, method, path, query, headers, body."""
    assert sample_digest(**TAMPERED[field]) != sample_digest()


def test_digest_is_sha256_of_the_canonical_fields() -> None:
    """docs/gateway-protocol.md: digest = SHA-256 of the length-prefixed fields, label first."""
    data = canonical_fields(**sample_fields())  # type: ignore[arg-type]
    assert message_digest(**sample_fields()) == hashlib.sha256(data).digest()  # type: ignore[arg-type]
    assert data[:4] == len(DIGEST_LABEL).to_bytes(4, "big")
    assert data[4 : 4 + len(DIGEST_LABEL)] == DIGEST_LABEL


def test_moving_a_boundary_between_fields_changes_the_digest() -> None:
    """Length prefixes: ('/a?', 'b') and ('/a', '?b') never share an encoding."""
    assert sample_digest(path="/a?", query="b") != sample_digest(path="/a", query="?b")
    assert sample_digest(headers=[("a", "b: c")]) != sample_digest(headers=[("a: b", "c")])
    assert sample_digest(headers=[("a", "b"), ("c", "d")]) != sample_digest(
        headers=[("a", "b\x00c"), ("c", "d")]
    )


def test_header_names_are_case_insensitive_and_their_order_free() -> None:
    """HTTP (RFC 9110 §5.1): names are case-insensitive; order only matters within a name."""
    one = sample_digest(headers=[("Accept", "a"), ("X-Road-UserId", "u")])
    assert one == sample_digest(headers=[("x-road-userid", "u"), ("ACCEPT", "a")])
    assert one == sample_digest(headers=[("Accept", " a\t"), ("X-Road-UserId", "u")])
    same_name = sample_digest(headers=[("Accept", "a"), ("Accept", "b")])
    assert same_name != sample_digest(headers=[("Accept", "b"), ("Accept", "a")])


def test_response_digest_binds_status_and_request_hash() -> None:
    """X-Road REST §4.3: the response is bound to its status and X-Road-Request-Hash."""
    base = {"kind": "response", "status": 200, "request_hash": "aGFzaA=="}
    assert sample_digest(**base) != sample_digest(**{**base, "status": 201})
    assert sample_digest(**base) != sample_digest(**{**base, "request_hash": "aGFzaQ=="})


@pytest.mark.parametrize(
    "changes",
    [
        {"status": 200},
        {"request_hash": "aGFzaA=="},
        {"kind": "response"},
        {"kind": "response", "status": 200},
        {"kind": "response", "status": 99, "request_hash": "aGFzaA=="},
        {"kind": "response", "status": True, "request_hash": "aGFzaA=="},
        {"kind": "push"},
        {"body_sha256": b"short"},
        {"headers": [("", "empty name")]},
    ],
)
def test_fields_that_cannot_be_encoded_are_refused(changes: dict[str, object]) -> None:
    """A request has no status; a response needs status and request hash; hashes are 32 bytes."""
    with pytest.raises(ValueError):
        sample_digest(**changes)


def test_raw_bytes_decoded_with_surrogateescape_are_hashed_as_sent() -> None:
    """A header byte that is not UTF-8 is hashed as the byte the peer sent, not refused."""
    raw = b"caf\xe9".decode("utf-8", "surrogateescape")
    assert sample_digest(headers=[("X-Note", raw)]) != sample_digest(headers=[("X-Note", "café")])
