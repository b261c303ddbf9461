"""An independent witness of a published log: its own key, its own state, only HTTP.

The witness reads the log's latest checkpoint, asks the log for a consistency proof from
the size it last cosigned, and cosigns (C2SP ``tlog-cosignature``) only when the proof
holds; then it posts the cosigned note back to the log, which publishes it. It never
needs the log's database, so whoever runs it can be another organisation.

A witness directory holds::

    witness.key           the cosigner key (PRIVATE+KEY+…), mode 0600 from its first byte
    witness.vkey          its verifier key, to give to the log's operator and to auditors
    witness.sqlite3       the last tree head cosigned per origin (SQLiteWitnessState)
    cosigned-checkpoint   the last cosigned note the log acknowledged (usable as
                          ``tunduk journal verify --trusted-checkpoint``)
    refused-checkpoint    the last note it refused: evidence of a fork or a rewrite

Exceptions: :class:`WitnessError` (refused, or a bad key directory) and
:class:`~tunduk.journal.remote.RemoteLogError` (the log could not be read or written).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from tunduk.journal._checkpoint import Checkpoint
from tunduk.journal._errors import NoteError, WitnessError
from tunduk.journal._files import replace_text
from tunduk.journal._keys import ALG_COSIGNATURE_V1, NoteVerifier, Signer, generate_cosigner
from tunduk.journal._note import split_note
from tunduk.journal._witness import SQLiteWitnessState, Witness
from tunduk.journal.remote import PublishedLog
from tunduk.trust.keyfiles import write_private

__all__ = [
    "COSIGNED_FILE",
    "KEY_FILE",
    "REFUSED_FILE",
    "STATE_FILE",
    "VKEY_FILE",
    "RoundResult",
    "WitnessRunner",
    "init_witness",
    "load_cosigner",
]

KEY_FILE = "witness.key"
VKEY_FILE = "witness.vkey"
STATE_FILE = "witness.sqlite3"
COSIGNED_FILE = "cosigned-checkpoint"
REFUSED_FILE = "refused-checkpoint"

TreeHead = tuple[int, bytes]


def init_witness(directory: Path, name: str) -> Signer:
    """Create a witness directory with a new cosigner key named ``name``; return the key."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    key_file = directory / KEY_FILE
    if key_file.exists():
        raise WitnessError(f"{key_file} exists: this directory already holds a witness key")
    try:
        cosigner = generate_cosigner(name)
    except NoteError as error:
        raise WitnessError(f"witness name {name!r} is not valid: {error}") from error
    write_private(key_file, (cosigner.to_key() + "\n").encode())
    replace_text(directory / VKEY_FILE, cosigner.verifier().to_key() + "\n")
    return cosigner


def load_cosigner(directory: Path) -> Signer:
    """Read the witness key, refusing one that others may read or that is not a cosigner key."""
    key_file = directory / KEY_FILE
    if not key_file.exists():
        raise WitnessError(f"no witness key in {directory}; run `tunduk witness init` first")
    if key_file.stat().st_mode & 0o077:
        raise WitnessError(f"{key_file} is readable by others; make it mode 0600")
    try:
        cosigner = Signer.from_key(key_file.read_text())
    except NoteError as error:
        raise WitnessError(f"{key_file} does not hold a valid key: {error}") from error
    if cosigner.alg != ALG_COSIGNATURE_V1:
        raise WitnessError(f"{key_file} is not a cosignature/v1 (witness) key")
    return cosigner


@dataclass(frozen=True)
class RoundResult:
    """One polling round: the checkpoint the log served and whether it was cosigned now."""

    checkpoint: Checkpoint
    cosigned: bool


class WitnessRunner:
    """Polls one log, cosigns its consistent checkpoints and posts the cosignatures back."""

    def __init__(
        self, directory: Path, log: PublishedLog, log_key: NoteVerifier, *, origin: str = ""
    ) -> None:
        """Witness ``log`` signed by ``log_key``; ``origin`` defaults to the key's name."""
        self.directory = directory
        self.log = log
        self.origin = origin or log_key.name
        connection = sqlite3.connect(directory / STATE_FILE, isolation_level=None)
        state = SQLiteWitnessState(connection)
        self.witness = Witness(load_cosigner(directory), {self.origin: [log_key]}, state)
        # The head whose cosignature the log has acknowledged; until then every round
        # re-posts, so a lost answer never leaves the log without it.
        self._posted = self._delivered()

    def step(self) -> RoundResult:
        """Run one round; raise :class:`WitnessError` when the checkpoint is refused.

        A refused checkpoint is kept in ``refused-checkpoint`` as evidence, and the
        witness's state does not move, so it goes on refusing every rewritten tree.
        """
        note = self.log.checkpoint()
        try:
            checkpoint = Checkpoint.parse(split_note(note)[0])
        except NoteError as error:
            raise WitnessError(f"malformed checkpoint: {error}") from error
        head = (checkpoint.size, checkpoint.root_hash)
        last = self.witness.state.get(self.origin)
        if head == last == self._posted:
            return RoundResult(checkpoint, cosigned=False)
        try:
            line = self.witness.add_checkpoint(note, self._proof(last, checkpoint.size))
        except WitnessError:
            replace_text(self.directory / REFUSED_FILE, note)
            raise
        cosigned = note + line
        self.log.submit_cosignature(cosigned)
        replace_text(self.directory / COSIGNED_FILE, cosigned)
        self._posted = head
        return RoundResult(checkpoint, cosigned=True)

    def _delivered(self) -> TreeHead | None:
        """The head of the last cosigned note the log acknowledged (kept in COSIGNED_FILE)."""
        try:
            text, _ = split_note((self.directory / COSIGNED_FILE).read_text())
            checkpoint = Checkpoint.parse(text)
        except (OSError, NoteError):
            return None
        return checkpoint.size, checkpoint.root_hash

    def _proof(self, last: TreeHead | None, size: int) -> list[bytes]:
        if last is None or last[0] == 0 or size <= last[0]:
            # Nothing to prove from, or the witness itself refuses a same-size fork or
            # a shrinking log without needing the log's help.
            return []
        return self.log.consistency_proof(last[0], size)
