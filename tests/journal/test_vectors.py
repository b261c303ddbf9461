"""RFC 6962 proof vectors and the C2SP signed-note vector, from shared/testvectors."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from tunduk.journal import (
    NoteError,
    ProofError,
    Verifier,
    open_note,
    verify_consistency,
    verify_inclusion,
)

from .conftest import vectors_dir

VECTORS = vectors_dir()
MISSING = "<vector folder missing>"


def _files(kind: str) -> list[str]:
    found = sorted(
        str(p.relative_to(VECTORS)) for p in (VECTORS / "rfc6962" / kind).rglob("*.json")
    )
    return found or [MISSING]


def _load(rel: str) -> dict[str, Any]:
    if rel == MISSING:
        pytest.fail(f"test vectors not found under {VECTORS} (set TUNDUK_TESTVECTORS)")
    data: dict[str, Any] = json.loads((VECTORS / rel).read_text())
    return data


def _b64(value: str | None) -> bytes:
    return base64.b64decode(value or "")


def test_vector_folders_are_present() -> None:
    """The shared vector folders exist and hold the expected number of files."""
    assert (VECTORS / "rfc6962" / "inclusion").is_dir(), VECTORS
    assert len(list((VECTORS / "rfc6962").rglob("*.json"))) >= 190
    assert (VECTORS / "signed-note" / "example.note").is_file()


@pytest.mark.parametrize("rel", _files("inclusion"))
def test_inclusion_vector(rel: str) -> None:
    """Every inclusion vector verifies or is rejected exactly as its wantErr says."""
    v = _load(rel)
    proof = [_b64(p) for p in v["proof"] or []]
    args = (_b64(v["leafHash"]), v["leafIdx"], v["treeSize"], proof, _b64(v["root"]))
    if v["wantErr"]:
        with pytest.raises(ProofError):
            verify_inclusion(*args)
    else:
        verify_inclusion(*args)


@pytest.mark.parametrize("rel", _files("consistency"))
def test_consistency_vector(rel: str) -> None:
    """Every consistency vector verifies or is rejected exactly as its wantErr says."""
    v = _load(rel)
    proof = [_b64(p) for p in v["proof"] or []]
    args = (v["size1"], v["size2"], proof, _b64(v["root1"]), _b64(v["root2"]))
    if v["wantErr"]:
        with pytest.raises(ProofError):
            verify_consistency(*args)
    else:
        verify_consistency(*args)


def _signed_note() -> tuple[str, Verifier]:
    folder = VECTORS / "signed-note"
    if not folder.is_dir():
        pytest.fail(f"signed-note vector not found under {VECTORS}")
    note = (folder / "example.note").read_bytes().decode()
    return note, Verifier.from_key((folder / "example.vkey").read_text())


def test_signed_note_vector_verifies() -> None:
    """The C2SP example note verifies under the example verifier key."""
    note, verifier = _signed_note()
    opened = open_note(note, [verifier])
    assert opened.text == "This is an example message.\n"
    assert opened.verified_by == (verifier,)


def test_signed_note_vector_rejects_every_changed_byte() -> None:
    """Changing any single byte of the example note makes it fail to open."""
    note, verifier = _signed_note()
    raw = note.encode()
    for i in range(len(raw)):
        changed = raw[:i] + bytes([raw[i] ^ 0x01]) + raw[i + 1 :]
        with pytest.raises(NoteError):
            open_note(changed, [verifier])


def test_signed_note_vector_needs_a_known_key() -> None:
    """The example note is rejected when its signer is not among the verifiers."""
    note, _ = _signed_note()
    with pytest.raises(NoteError, match="known key"):
        open_note(note, [])
