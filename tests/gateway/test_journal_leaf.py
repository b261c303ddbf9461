"""Message leaves, body commitments and note key bindings (gateway/leaf.py)."""

from __future__ import annotations

import dataclasses

import orjson
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from tests.gateway._journal_helpers import (
    CLIENT_MEMBER,
    CLIENT_SERVER,
    issue_signing,
    make_leaf,
    make_message,
)
from tunduk.gateway.leaf import (
    MAX_LEAF_BYTES,
    KeyBindingError,
    LeafError,
    MessageLeaf,
    bind_note_key,
    body_commitment,
    check_note_key_binding,
    decode_leaf,
    encode_leaf,
    gateway_origin,
    new_salt,
)
from tunduk.identifiers import MemberId, ServerId
from tunduk.journal import generate_cosigner, generate_signer
from tunduk.trust import CertificateAuthority


@pytest.fixture(scope="module")
def ca() -> CertificateAuthority:
    return CertificateAuthority.create("Tunduk Test Root CA")


def test_leaf_round_trips_canonically() -> None:
    """A leaf encodes to sorted-key JSON and decodes to the same leaf (issue 9 §4)."""
    leaf = make_leaf(make_message())
    data = encode_leaf(leaf)
    assert decode_leaf(data) == leaf
    assert list(orjson.loads(data)) == sorted(orjson.loads(data))


def test_decode_refuses_non_canonical_spelling() -> None:
    """The same fields spelled with spaces are refused: one leaf has one byte string."""
    data = encode_leaf(make_leaf(make_message()))
    spaced = orjson.dumps(orjson.loads(data), option=orjson.OPT_INDENT_2)
    with pytest.raises(LeafError, match="canonical"):
        decode_leaf(spaced)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"extra": 1}, "unknown"),
        ({"kind": "other"}, "kind"),
        ({"status": "200"}, "status"),
        ({"status": True}, "status"),
        ({"received_at": "2026-11-30 00:00:00"}, "received_at"),
        ({"digest": "AAAA"}, "digest"),
        ({"path": "/r1/\x00"}, "control"),
        ({"method": "get"}, "method"),
        ({"signature": ""}, "signature"),
        ({"v": 2}, "version"),
    ],
)
def test_decode_refuses_hostile_fields(change: dict[str, object], message: str) -> None:
    """An attacker's leaf with a wrong, unknown or oversize field is refused by name."""
    fields = orjson.loads(encode_leaf(make_leaf(make_message())))
    fields.update(change)
    with pytest.raises(LeafError, match=message):
        decode_leaf(orjson.dumps(fields, option=orjson.OPT_SORT_KEYS))


def test_decode_refuses_oversize_input() -> None:
    """Leaf bytes over the bound are refused before parsing (hostile input is bounded)."""
    with pytest.raises(LeafError, match="more than"):
        decode_leaf(b" " * (MAX_LEAF_BYTES + 1))


def test_refused_message_needs_no_signature() -> None:
    """A leaf carrying an X-Road error may lack digest and signature (journaled failures)."""
    leaf = dataclasses.replace(
        make_leaf(make_message()),
        digest="",
        signature="",
        signer_certificate_sha256="",
        error="Server.ServerProxy.AccessDenied",
    )
    assert decode_leaf(encode_leaf(leaf)).error == "Server.ServerProxy.AccessDenied"


def test_commitment_depends_on_salt_and_body() -> None:
    """The commitment is SHA-256(salt ‖ body): another salt or body gives another value."""
    salt = new_salt()
    assert body_commitment(salt, b"a") == body_commitment(salt, b"a")
    assert body_commitment(salt, b"a") != body_commitment(new_salt(), b"a")
    assert body_commitment(salt, b"a") != body_commitment(salt, b"b")
    with pytest.raises(LeafError):
        body_commitment(b"short", b"a")


def test_origin_escapes_plus() -> None:
    """A '+' allowed in identifiers is escaped so the origin stays a valid note key name."""
    server = ServerId(MemberId("KG", "COM", "A+B"), "ss1")
    origin = gateway_origin(server)
    assert "+" not in origin
    generate_signer(origin)


def test_binding_round_trip(ca: CertificateAuthority) -> None:
    """The signing certificate's key verifies the binding and yields the note key."""
    identity = issue_signing(ca, CLIENT_MEMBER)
    origin = gateway_origin(CLIENT_SERVER)
    vkey = generate_cosigner(origin).verifier().to_key()
    binding = bind_note_key(identity.key, vkey, origin)
    assert check_note_key_binding(binding, identity.certificate, origin=origin) == vkey


def test_binding_refuses_another_certificate(ca: CertificateAuthority) -> None:
    """A binding signed by one member does not verify with another member's certificate."""
    ours, theirs = issue_signing(ca, CLIENT_MEMBER), issue_signing(ca, MemberId("KG", "GOV", "1"))
    origin = gateway_origin(CLIENT_SERVER)
    binding = bind_note_key(ours.key, generate_signer(origin).verifier().to_key(), origin)
    with pytest.raises(KeyBindingError, match="does not verify"):
        check_note_key_binding(binding, theirs.certificate)


def test_binding_refuses_swapped_key(ca: CertificateAuthority) -> None:
    """An attacker who swaps the bound key for theirs breaks the signature."""
    identity = issue_signing(ca, CLIENT_MEMBER)
    origin = gateway_origin(CLIENT_SERVER)
    binding = bind_note_key(identity.key, generate_signer(origin).verifier().to_key(), origin)
    forged_key = generate_signer(origin).verifier().to_key()
    lines = binding.decode().split("\n")
    lines[2] = "key " + forged_key
    with pytest.raises(KeyBindingError, match="does not verify"):
        check_note_key_binding("\n".join(lines).encode(), identity.certificate)


def test_binding_refuses_wrong_origin(ca: CertificateAuthority) -> None:
    """A binding for one gateway's journal is not accepted for another origin."""
    identity = issue_signing(ca, CLIENT_MEMBER)
    origin = gateway_origin(CLIENT_SERVER)
    binding = bind_note_key(identity.key, generate_signer(origin).verifier().to_key(), origin)
    with pytest.raises(KeyBindingError, match="not"):
        check_note_key_binding(binding, identity.certificate, origin=origin + "x")


@pytest.mark.parametrize("data", [b"", b"\xff" * 10, b"tunduk note key binding v1\n", b"x" * 5000])
def test_binding_refuses_garbage(ca: CertificateAuthority, data: bytes) -> None:
    """Malformed or oversize binding bytes are refused with KeyBindingError, no crash."""
    identity = issue_signing(ca, CLIENT_MEMBER)
    with pytest.raises(KeyBindingError):
        check_note_key_binding(data, identity.certificate)


def test_binding_needs_p256() -> None:
    """Only an ECDSA P-256 signing key may bind (the gateway's signing key profile)."""
    key = ec.generate_private_key(ec.SECP384R1())
    origin = gateway_origin(CLIENT_SERVER)
    with pytest.raises(KeyBindingError, match="P-256"):
        bind_note_key(key, generate_signer(origin).verifier().to_key(), origin)


def test_leaf_constructor_checks_fields() -> None:
    """A MessageLeaf cannot even be built with an out-of-bounds field."""
    leaf = make_leaf(make_message())
    with pytest.raises(LeafError, match="message_id"):
        MessageLeaf(**{**dataclasses.asdict(leaf), "message_id": "x" * 300})
