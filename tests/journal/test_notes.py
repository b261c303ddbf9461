"""Signer/verifier keys, signed notes and checkpoints in the C2SP formats."""

from __future__ import annotations

import base64
import hashlib

import pytest

from tunduk.journal import (
    Checkpoint,
    CheckpointError,
    NoteError,
    Signer,
    Verifier,
    add_signatures,
    generate_cosigner,
    generate_signer,
    open_checkpoint,
    open_note,
    sign_checkpoint,
    sign_note,
)
from tunduk.journal._note import MAX_SIGNATURES

ROOT = hashlib.sha256(b"root").digest()


def test_key_round_trip_and_key_id() -> None:
    """Signer and verifier keys print and parse back; the key ID follows the spec."""
    signer = generate_signer("log.example/a")
    again = Signer.from_key(signer.to_key())
    assert again.key_id == signer.key_id and again.to_key() == signer.to_key()
    vkey = signer.verifier().to_key()
    name, hex_id, b64 = vkey.split("+", 2)
    raw = base64.b64decode(b64)
    assert raw[0] == 0x01
    assert hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4].hex() == hex_id
    assert Verifier.from_key(vkey) == signer.verifier()
    assert signer.to_key().startswith("PRIVATE+KEY+log.example/a+")


@pytest.mark.parametrize(
    "vkey",
    ["a+b", "bad name+00000000+AA==", "n+zzzzzzzz+AA==", "n+00000000+!!!", "n+00000000+AQ=="],
)
def test_malformed_verifier_keys_are_rejected(vkey: str) -> None:
    """Verifier keys with bad shape, name, ID or key bytes raise NoteError."""
    with pytest.raises(NoteError):
        Verifier.from_key(vkey)


def test_verifier_key_with_wrong_id_is_rejected() -> None:
    """A verifier key whose ID does not match its name and key is refused."""
    name, _, b64 = generate_signer("x.example").verifier().to_key().split("+", 2)
    with pytest.raises(NoteError, match="does not match"):
        Verifier.from_key(f"{name}+00000000+{b64}")


def test_generate_signer_checks_name() -> None:
    """Key names with spaces or '+' are refused."""
    for bad in ("", "a b", "a+b"):
        with pytest.raises(NoteError):
            generate_signer(bad)


def test_note_round_trip_with_several_signers() -> None:
    """A note signed by two keys opens with either verifier and lists who verified."""
    a, b = generate_signer("a.example"), generate_signer("b.example")
    note = sign_note("hello\n\nworld\n", a, b)
    opened = open_note(note, [b.verifier()])
    assert opened.text == "hello\n\nworld\n"
    assert opened.verified_by == (b.verifier(),)
    assert len(opened.signatures) == 2


def test_unknown_signatures_are_ignored_but_one_known_is_needed() -> None:
    """Signatures by unknown keys are skipped; with no known key the note is rejected."""
    a, other = generate_signer("a.example"), generate_signer("a.example")
    note = sign_note("text\n", other, a)
    assert open_note(note, [a.verifier()]).verified_by == (a.verifier(),)
    with pytest.raises(NoteError, match="no valid signature by a known key"):
        open_note(sign_note("text\n", other), [a.verifier()])


def test_bad_signature_by_known_key_rejects_note() -> None:
    """A known key's signature over different text rejects the whole note."""
    a = generate_signer("a.example")
    forged = "other\n" + sign_note("text\n", a)[len("text\n") :]
    with pytest.raises(NoteError, match="does not verify"):
        open_note(forged, [a.verifier()])


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ("text\n\n— a.example AAAAAAA=", "newline"),
        ("text\n— a.example AAAAAAA=\n", "blank line"),
        ("text\n\n", "no signature lines"),
        ("text\n\n- a.example AAAAAAA=\n", "em dash"),
        ("text\n\n— a.example AAAA!AA=\n", "base64"),
        ("text\n\n— a.example AAAA\n", "too short"),
        ("text\n\n— a.example AAAAAAA= extra\n", "name"),
        ("te\txt\n\n— a.example AAAAAAA=\n", "control character"),
        ("text\n\n" + "— a.example AAAAAAA=\n" * (MAX_SIGNATURES + 1), "signatures, more than"),
    ],
)
def test_malformed_notes_are_rejected_with_reason(note: str, message: str) -> None:
    """Malformed notes raise NoteError saying what is wrong."""
    with pytest.raises(NoteError, match=message):
        open_note(note, [generate_signer("a.example").verifier()])


def test_invalid_utf8_is_rejected() -> None:
    """A note that is not UTF-8 is rejected."""
    with pytest.raises(NoteError, match="UTF-8"):
        open_note(b"\xff\n\n\xe2\x80\x94 a AAAAAAA=\n", [])


def test_checkpoint_round_trip_with_extensions() -> None:
    """A checkpoint body with extension lines signs, opens and parses back."""
    signer = generate_signer("log.example")
    cp = Checkpoint("log.example", 42, ROOT, ("ext one",))
    note = sign_checkpoint(cp, signer)
    assert note.startswith(f"log.example\n42\n{base64.b64encode(ROOT).decode()}\next one\n\n— ")
    opened = open_checkpoint(note, [signer.verifier()], origin="log.example")
    assert opened.checkpoint == cp
    with pytest.raises(CheckpointError, match="origin"):
        open_checkpoint(note, [signer.verifier()], origin="other.example")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("o\n1\n", "needs origin"),
        ("\n1\nAAAA\n", "origin line is empty"),
        ("o\n01\nAAAA\n", "decimal"),
        ("o\n-1\nAAAA\n", "decimal"),
        ("o\n1\n!!\n", "base64"),
        ("o\n1\nAAAA\n", "32 bytes"),
        (f"o\n1\n{base64.b64encode(ROOT).decode()}\n\nx\n", "empty extension"),
        ("o\n1\nAAAA", "newline"),
    ],
)
def test_malformed_checkpoints_are_rejected(body: str, message: str) -> None:
    """Malformed checkpoint bodies raise CheckpointError saying what is wrong."""
    with pytest.raises(CheckpointError, match=message):
        Checkpoint.parse(body)


def test_cosignature_format() -> None:
    """A cosignature is key ID ‖ 8-byte time ‖ Ed25519 sig over the cosignature/v1 message."""
    log, witness = generate_signer("log.example"), generate_cosigner("w.example")
    note = sign_checkpoint(Checkpoint("log.example", 1, ROOT), log)
    cosigned = add_signatures(note, witness)
    opened = open_note(cosigned, [witness.verifier()])
    sig = opened.signature_by(witness.verifier())
    assert sig is not None and len(sig.signature) == 72
    t = Verifier.cosignature_time(sig.signature)
    message = b"cosignature/v1\ntime %d\n" % t + opened.text.encode()
    public = witness.verifier().public_key
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    Ed25519PublicKey.from_public_bytes(public).verify(sig.signature[8:], message)
    raw = base64.b64decode(witness.verifier().to_key().split("+", 2)[2])
    assert raw[0] == 0x04
