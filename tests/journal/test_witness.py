"""The witness cosigns only checkpoints consistent with what it cosigned before."""

from __future__ import annotations

import sqlite3
from typing import NamedTuple

import pytest

from tunduk.journal import (
    Log,
    MemoryStorage,
    Signer,
    SQLiteWitnessState,
    Witness,
    WitnessError,
    generate_cosigner,
    generate_signer,
    open_note,
)

ORIGIN = "log.example/journal"


SIGNER = generate_signer(ORIGIN)


class Setup(NamedTuple):
    """A log and a witness that knows it."""

    log: Log
    witness: Witness


@pytest.fixture
def setup() -> Setup:
    """A log of 10 entries signed by SIGNER, and a witness that knows it."""
    log = Log(MemoryStorage(), origin=ORIGIN)
    log.append_many([b"e%d" % i for i in range(10)])
    witness = Witness(generate_cosigner("witness.example"), {ORIGIN: [SIGNER.verifier()]})
    return Setup(log, witness)


def _note(log: Log, size: int | None = None, signer: Signer = SIGNER) -> str:
    return log.sign_checkpoint(signer, size=size, store=False)


def test_witness_cosigns_a_growing_log(setup: Setup) -> None:
    """First checkpoint is accepted, later ones with a consistency proof; lines verify."""
    log, witness = setup
    line = witness.add_checkpoint(_note(log, 4))
    log.append_many([b"more", b"and more"])
    note = _note(log)
    line2 = witness.add_checkpoint(note, log.consistency_proof(4, 12), old_size=4)
    opened = open_note(note + line2, [witness.cosigner.verifier()])
    assert opened.verified_by == (witness.cosigner.verifier(),)
    assert line.startswith("— witness.example ")
    assert witness.state.get(ORIGIN) == (12, log.root())


def test_witness_refuses_unknown_origin(setup: Setup) -> None:
    """A checkpoint from a log the witness does not know is refused."""
    _, witness = setup
    other = Log(MemoryStorage(), origin="other.example")
    other.append(b"x")
    note = other.sign_checkpoint(generate_signer("other.example"), store=False)
    with pytest.raises(WitnessError, match="unknown origin"):
        witness.add_checkpoint(note)


def test_witness_refuses_bad_signature(setup: Setup) -> None:
    """A checkpoint not signed by the log's key is refused."""
    log, witness = setup
    note = log.sign_checkpoint(generate_signer(ORIGIN), store=False)
    with pytest.raises(WitnessError, match="bad signature"):
        witness.add_checkpoint(note)


def test_witness_refuses_going_backwards(setup: Setup) -> None:
    """A smaller tree than the one cosigned is refused."""
    log, witness = setup
    witness.add_checkpoint(_note(log, 8))
    with pytest.raises(WitnessError, match="backwards"):
        witness.add_checkpoint(_note(log, 5), [])


def test_witness_refuses_a_fork(setup: Setup) -> None:
    """A different tree of the same or larger size (a split view) is refused."""
    log, witness = setup
    witness.add_checkpoint(_note(log, 6))
    fork = Log(MemoryStorage(), origin=ORIGIN)
    fork.append_many([b"e%d" % i for i in range(5)] + [b"evil", b"e6", b"e7"])
    with pytest.raises(WitnessError, match="fork"):
        witness.add_checkpoint(_note(fork, 6))
    with pytest.raises(WitnessError, match="inconsistent"):
        witness.add_checkpoint(_note(fork, 8), fork.consistency_proof(6, 8))
    assert witness.state.get(ORIGIN) == (6, log.root(6))


def test_witness_refuses_stale_old_size(setup: Setup) -> None:
    """A request built on another old size is a conflict."""
    log, witness = setup
    witness.add_checkpoint(_note(log, 3))
    with pytest.raises(WitnessError, match="conflict"):
        witness.add_checkpoint(_note(log, 10), log.consistency_proof(2, 10), old_size=2)


def test_witness_state_in_sqlite_persists(setup: Setup) -> None:
    """The SQLite witness state keeps the last head across witness instances."""
    log, witness = setup
    conn = sqlite3.connect(":memory:", isolation_level=None)
    state = SQLiteWitnessState(conn)
    w1 = Witness(witness.cosigner, {ORIGIN: [SIGNER.verifier()]}, state)
    w1.add_checkpoint(_note(log, 7))
    w2 = Witness(witness.cosigner, {ORIGIN: [SIGNER.verifier()]}, SQLiteWitnessState(conn))
    assert w2.state.get(ORIGIN) == (7, log.root(7))
    with pytest.raises(WitnessError, match="backwards"):
        w2.add_checkpoint(_note(log, 6))
    assert not state.compare_and_set(ORIGIN, (1, b"x"), (9, b"y"))


def test_witness_needs_a_cosignature_key() -> None:
    """A plain note key cannot be a witness key."""
    with pytest.raises(WitnessError):
        Witness(generate_signer("w.example"), {})
