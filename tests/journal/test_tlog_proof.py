"""C2SP tlog-proof export, parsing and offline verification."""

from __future__ import annotations

import pytest

from tunduk.journal import (
    Log,
    MemoryStorage,
    TlogProofError,
    Verifier,
    generate_signer,
    parse_tlog_proof,
    verify_tlog_proof,
)

ORIGIN = "log.example/journal"


@pytest.fixture
def exported() -> tuple[str, str, Verifier]:
    """A tlog-proof for entry 5 of a 13-entry log, with the log's verifier."""
    signer = generate_signer(ORIGIN)
    log = Log(MemoryStorage(), origin=ORIGIN)
    log.append_many([b"e%d" % i for i in range(13)])
    note = log.sign_checkpoint(signer)
    return log.tlog_proof(5, note, extra=b"ctx"), note, signer.verifier()


def test_tlog_proof_layout(exported: tuple[str, str, Verifier]) -> None:
    """The proof has the header, extra, index, hashes, a blank line and the note."""
    text, note, _ = exported
    lines = text.split("\n")
    assert lines[0] == "c2sp.org/tlog-proof@v1"
    assert lines[1] == "extra Y3R4"
    assert lines[2] == "index 5"
    assert text.endswith("\n\n" + note)
    parsed = parse_tlog_proof(text)
    assert parsed.index == 5 and len(parsed.proof) == 4 and parsed.extra == b"ctx"


def test_tlog_proof_verifies_the_entry(exported: tuple[str, str, Verifier]) -> None:
    """The proof verifies for the entry and returns the checkpoint."""
    text, _, verifier = exported
    signed = verify_tlog_proof(text, b"e5", [verifier], origin=ORIGIN)
    assert signed.checkpoint.size == 13


def test_tlog_proof_rejects_other_entry_or_key(exported: tuple[str, str, Verifier]) -> None:
    """Another entry, an unknown key or another origin fails verification."""
    text, _, verifier = exported
    with pytest.raises(TlogProofError, match="inclusion"):
        verify_tlog_proof(text, b"e6", [verifier])
    with pytest.raises(TlogProofError, match="checkpoint"):
        verify_tlog_proof(text, b"e5", [generate_signer(ORIGIN).verifier()])
    with pytest.raises(TlogProofError, match="checkpoint"):
        verify_tlog_proof(text, b"e5", [verifier], origin="x")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("c2sp.org/tlog-proof@v2\nindex 1\n\nnote", "does not start"),
        ("c2sp.org/tlog-proof@v1\nindex 01\n\nnote", "decimal"),
        ("c2sp.org/tlog-proof@v1\n\nnote", "no 'index'"),
        ("c2sp.org/tlog-proof@v1\nindex 1\nAAAA\n\nnote", "32 bytes"),
        ("c2sp.org/tlog-proof@v1\nindex 1\n!!\n\nnote", "base64"),
        ("c2sp.org/tlog-proof@v1\nindex 1\n", "blank line"),
    ],
)
def test_malformed_tlog_proofs_are_rejected(text: str, message: str) -> None:
    """Malformed tlog-proofs raise TlogProofError saying what is wrong."""
    with pytest.raises(TlogProofError, match=message):
        parse_tlog_proof(text)
