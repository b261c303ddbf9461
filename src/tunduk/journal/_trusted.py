"""Checking a log against a checkpoint its verifier kept from outside the log.

A log can be rewritten by whoever runs it, and re-signed with its own key; what it
cannot do is make the rewritten log consistent with a checkpoint somebody else kept
(or a witness cosigned) before the rewrite. :func:`verify_trusted_checkpoint` is that
check: the kept checkpoint must carry the log's signature, a valid cosignature by each
witness asked for, and the log's current signed checkpoint must extend it (RFC 9162
consistency proof, or the same root at the same size).
"""

from __future__ import annotations

from collections.abc import Iterable

from ._checkpoint import Checkpoint, SignedCheckpoint, open_checkpoint
from ._errors import JournalError, NoteError, ProofError
from ._keys import NoteVerifier
from ._proofs import HashSource, consistency_proof, verify_consistency

__all__ = ["verify_cosignatures", "verify_trusted_checkpoint"]


def verify_cosignatures(signed: SignedCheckpoint, witnesses: Iterable[NoteVerifier]) -> None:
    """Check that each witness key has a valid (co)signature on the checkpoint.

    Raises :class:`NoteError` naming the first witness whose signature is missing or bad.
    """
    body = signed.note.text.encode()
    for witness in witnesses:
        found = signed.note.signature_by(witness)
        label = f"witness {witness.name} ({witness.key_id:08x})"
        if found is None:
            raise NoteError(f"the checkpoint carries no cosignature by {label}")
        if not witness.verify(body, found.signature):
            raise NoteError(f"the cosignature by {label} does not verify")


def verify_trusted_checkpoint(
    note: str | bytes,
    verifiers: Iterable[NoteVerifier],
    current: Checkpoint,
    source: HashSource,
    *,
    origin: str | None = None,
    witnesses: Iterable[NoteVerifier] = (),
) -> SignedCheckpoint:
    """Check that the log whose latest verified checkpoint is ``current`` extends ``note``.

    ``note`` is a checkpoint kept outside the log; it must be signed by one of the log's
    ``verifiers`` (for ``origin``) and cosigned by every key in ``witnesses``. ``source``
    gives the log's stored subtree hashes for the consistency proof. Returns the opened
    trusted checkpoint. Raises :class:`NoteError` for a bad signature or cosignature,
    :class:`ProofError` when the log is not consistent with it (cut back, forked or
    rewritten).
    """
    trusted = open_checkpoint(note, verifiers, origin=origin)
    verify_cosignatures(trusted, witnesses)
    _check_extends(trusted.checkpoint, current, source)
    return trusted


def _check_extends(kept: Checkpoint, current: Checkpoint, source: HashSource) -> None:
    """Raise :class:`ProofError` unless ``current`` is ``kept`` or an append-only extension."""
    if kept.size > current.size:
        raise ProofError(
            f"the trusted checkpoint covers {kept.size} entries but the log's latest signed "
            f"checkpoint only {current.size}: the log was cut back or replaced"
        )
    if kept.size == current.size:
        if kept.root_hash != current.root_hash:
            raise ProofError(
                f"the log's checkpoint of size {kept.size} has a different root than the "
                "trusted one: the log was rewritten (a fork)"
            )
        return
    if kept.size == 0:  # the empty tree is a prefix of every tree
        return
    try:
        proof = consistency_proof(kept.size, current.size, source)
        verify_consistency(kept.size, current.size, proof, kept.root_hash, current.root_hash)
    except JournalError as exc:
        raise ProofError(
            f"the log is not consistent with the trusted checkpoint of size {kept.size}: "
            f"entries before it were changed, removed or reordered ({exc})"
        ) from exc
