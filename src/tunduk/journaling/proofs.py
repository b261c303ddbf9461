"""Per-entry proof status against the published checkpoint, for history pages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from tunduk.journal import JournalError, leaf_hash, verify_inclusion
from tunduk.journaling.checkpoints import latest_checkpoint
from tunduk.journaling.log import registry_log


class ProofState(StrEnum):
    PROVEN = "proven"  # included in the published, signature-checked checkpoint
    PENDING = "pending"  # appended after the latest checkpoint
    FAILED = "failed"  # the proof does not hold: the journal has been tampered with


@dataclass(frozen=True)
class EntryProof:
    """Whether one journal entry is proven included in the published checkpoint."""

    index: int
    state: ProofState
    checkpoint_size: int


def entry_proofs(indices: Iterable[int | None]) -> dict[int, EntryProof]:
    """Check each entry's inclusion proof against the latest signed checkpoint."""
    wanted = sorted({index for index in indices if index is not None})
    if not wanted:
        return {}
    try:
        signed = latest_checkpoint()
    except JournalError:
        signed = None
    size = signed.checkpoint.size if signed is not None else 0
    log = registry_log()
    proofs: dict[int, EntryProof] = {}
    for index in wanted:
        if signed is None or index >= size:
            proofs[index] = EntryProof(index, ProofState.PENDING, size)
            continue
        try:
            verify_inclusion(
                leaf_hash(log.entry(index)),
                index,
                size,
                log.inclusion_proof(index, size),
                signed.checkpoint.root_hash,
            )
            proofs[index] = EntryProof(index, ProofState.PROVEN, size)
        except JournalError:
            proofs[index] = EntryProof(index, ProofState.FAILED, size)
    return proofs
