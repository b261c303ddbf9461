"""Issue 7 (2): a log is checked against a checkpoint kept outside it (and cosigned by
witnesses): rewriting, forking or cutting back the log after it is caught."""

from __future__ import annotations

import pytest

from tunduk.journal import (
    Log,
    MemoryStorage,
    NoteError,
    ProofError,
    Witness,
    add_signatures,
    generate_cosigner,
    generate_signer,
    open_checkpoint,
    verify_trusted_checkpoint,
)

ORIGIN = "log.example/trusted"
SIGNER = generate_signer(ORIGIN)
WITNESS = generate_cosigner("witness.example")


def _log(entries: list[bytes]) -> Log:
    log = Log(MemoryStorage(), origin=ORIGIN)
    log.append_many(entries)
    return log


def _check(note: str, log: Log, **kwargs: object) -> None:
    current = open_checkpoint(log.sign_checkpoint(SIGNER, store=False), [SIGNER.verifier()])
    verify_trusted_checkpoint(
        note, [SIGNER.verifier()], current.checkpoint, log, origin=ORIGIN, **kwargs
    )


ENTRIES = [b"entry %d" % i for i in range(20)]


def test_log_that_grew_from_the_kept_checkpoint_passes() -> None:
    """Issue 7 (2): an append-only log is consistent with every checkpoint kept earlier."""
    log = _log(ENTRIES[:7])
    kept = log.sign_checkpoint(SIGNER, store=False)
    log.append_many(ENTRIES[7:])
    _check(kept, log)
    _check(log.sign_checkpoint(SIGNER, store=False), log)


def test_rewritten_entry_before_the_kept_checkpoint_is_caught() -> None:
    """Issue 7 (2): a log rebuilt with one entry changed and re-signed fails against the kept one."""
    kept = _log(ENTRIES[:12]).sign_checkpoint(SIGNER, store=False)
    forged = _log([*ENTRIES[:5], b"changed", *ENTRIES[6:]])
    with pytest.raises(ProofError, match="not consistent with the trusted checkpoint of size 12"):
        _check(kept, forged)
    same_size = _log([*ENTRIES[:5], b"changed", *ENTRIES[6:12]])
    with pytest.raises(ProofError, match="different root"):
        _check(kept, same_size)


def test_log_cut_back_below_the_kept_checkpoint_is_caught() -> None:
    """Issue 7 (2): a log shorter than the kept checkpoint (entries removed) fails."""
    kept = _log(ENTRIES).sign_checkpoint(SIGNER, store=False)
    with pytest.raises(ProofError, match="cut back"):
        _check(kept, _log(ENTRIES[:15]))


def test_kept_checkpoint_must_be_signed_by_the_log() -> None:
    """Issue 7 (2): a trusted checkpoint signed by another key is refused, not trusted."""
    other = generate_signer(ORIGIN)
    kept = _log(ENTRIES[:4]).sign_checkpoint(other, store=False)
    with pytest.raises(NoteError, match="no valid signature"):
        _check(kept, _log(ENTRIES))


def test_witness_cosignature_is_required_and_checked() -> None:
    """Issue 7 (2): each --witness-key must have a valid cosignature on the kept checkpoint."""
    log = _log(ENTRIES[:9])
    note = log.sign_checkpoint(SIGNER, store=False)
    witness = Witness(WITNESS, {ORIGIN: [SIGNER.verifier()]})
    cosigned = note + witness.add_checkpoint(note)
    _check(cosigned, log, witnesses=[WITNESS.verifier()])
    with pytest.raises(NoteError, match=r"no cosignature by witness witness\.example"):
        _check(note, log, witnesses=[WITNESS.verifier()])
    forged = add_signatures(note, generate_cosigner("witness.example"))
    with pytest.raises(NoteError, match="witness"):
        _check(forged, log, witnesses=[WITNESS.verifier()])
