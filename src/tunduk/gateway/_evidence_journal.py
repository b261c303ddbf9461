"""The journal side of evidence: inclusion proofs, the checkpoint's signature by the bound
journal key, the peers' cosignatures, and nothing on the checkpoint that nobody checked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tunduk.journal import (
    JournalError,
    SignedCheckpoint,
    TlogProofError,
    Verifier,
    format_tlog_proof,
    open_checkpoint,
    parse_tlog_proof,
    verify_cosignatures,
    verify_tlog_proof,
)

from ._evidence_errors import Check, EvidenceError
from ._evidence_index import Layout

__all__ = ["check_cosignatures", "check_inclusion", "checkpoint_note"]


def checkpoint_note(proofs: Mapping[str, bytes]) -> str:
    """The checkpoint note both proofs end in; they must end in the same one."""
    notes = set()
    for kind, text in proofs.items():
        try:
            parsed = parse_tlog_proof(text)
        except TlogProofError as error:
            raise EvidenceError(Check.INCLUSION, f"{Layout.proof(kind)}: {error}") from None
        canonical = format_tlog_proof(
            parsed.index, parsed.proof, parsed.checkpoint_note, extra=parsed.extra
        )
        if canonical.encode() != text:
            raise EvidenceError(Check.INCLUSION, f"{Layout.proof(kind)} is not in canonical form")
        notes.add(parsed.checkpoint_note)
    if len(notes) != 1:
        raise EvidenceError(Check.INCLUSION, "the two proofs lead to different checkpoints")
    return notes.pop()


def check_inclusion(
    proofs: Mapping[str, bytes], leaves: Mapping[str, bytes], journal_key: Verifier, origin: str
) -> tuple[SignedCheckpoint, dict[str, int]]:
    """Each leaf's tlog-proof leads to the checkpoint, signed by the bound journal key.

    Returns the checkpoint and each leaf's index in the journal.
    """
    note = checkpoint_note(proofs)
    try:
        signed = open_checkpoint(note, [journal_key], origin=origin)
    except JournalError as error:
        raise EvidenceError(
            Check.CHECKPOINT, f"the checkpoint is not signed by the bound journal key: {error}"
        ) from None
    lines = "".join(line.line() for line in signed.note.signatures)
    if signed.note.text + "\n" + lines != note:
        raise EvidenceError(Check.CHECKPOINT, "the checkpoint note is not in canonical form")
    indexes = {}
    for kind, text in proofs.items():
        indexes[kind] = parse_tlog_proof(text).index
        try:
            verify_tlog_proof(text, leaves[kind], [journal_key], origin=origin)
        except TlogProofError as error:
            raise EvidenceError(
                Check.INCLUSION, f"the {kind} leaf is not in the checkpoint: {error}"
            ) from None
    return signed, indexes


def check_cosignatures(
    signed: SignedCheckpoint,
    journal_key: Verifier,
    cosigners: Sequence[tuple[Verifier, str]],
    peer: str,
) -> list[tuple[str, int]]:
    """Check each bound cosigner's cosignature; the peer must be one of them.

    ``cosigners`` pairs each cosigner key with the member whose signing certificate bound
    it. Every signature line on the checkpoint must be by the journal key or one of these
    (nothing unchecked rides along). Returns (member, cosignature time) pairs.
    """
    try:
        verify_cosignatures(signed, [key for key, _ in cosigners])
    except JournalError as error:
        raise EvidenceError(Check.COSIGNATURES, str(error)) from None
    known = {(journal_key.name, journal_key.key_id)}
    known |= {(key.name, key.key_id) for key, _ in cosigners}
    for line in signed.note.signatures:
        if (line.name, line.key_id) not in known:
            raise EvidenceError(
                Check.COSIGNATURES,
                f"the checkpoint carries a signature by {line.name} ({line.key_id:08x}),"
                " a key no binding in the evidence names",
            )
    if peer not in {member for _, member in cosigners}:
        raise EvidenceError(
            Check.COSIGNATURES, f"the checkpoint is not cosigned by the peer {peer}"
        )
    times = {(s.name, s.key_id): s.signature for s in signed.note.signatures}
    return [
        (member, Verifier.cosignature_time(times[key.name, key.key_id]))
        for key, member in cosigners
    ]
