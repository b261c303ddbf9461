"""A witness: cosigns a log's checkpoints only while the log stays append-only.

It keeps the latest checkpoint it cosigned per origin and accepts a new one only
with a valid consistency proof from it, so it never cosigns two inconsistent views.
Cosignatures follow C2SP tlog-cosignature (Ed25519 ``cosignature/v1``, key type 0x04).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from ._checkpoint import Checkpoint, open_checkpoint
from ._errors import NoteError, ProofError, WitnessError
from ._keys import ALG_COSIGNATURE_V1, NoteVerifier, Signer
from ._note import NoteSignature, split_note
from ._proofs import verify_consistency

__all__ = ["MemoryWitnessState", "SQLiteWitnessState", "Witness", "WitnessState"]

TreeHead = tuple[int, bytes]


class WitnessState(Protocol):
    """Where a witness keeps the latest (size, root) it cosigned for each origin."""

    def get(self, origin: str) -> TreeHead | None:
        """Return the latest tree head cosigned for ``origin``, if any."""
        ...

    def compare_and_set(self, origin: str, old: TreeHead | None, new: TreeHead) -> bool:
        """Store ``new`` if the current head is still ``old``; return whether it did."""
        ...


class MemoryWitnessState:
    """A :class:`WitnessState` in process memory."""

    def __init__(self) -> None:
        """Start with no log seen."""
        self._heads: dict[str, TreeHead] = {}
        self._lock = threading.Lock()

    def get(self, origin: str) -> TreeHead | None:
        """Return the latest tree head cosigned for ``origin``, if any."""
        return self._heads.get(origin)

    def compare_and_set(self, origin: str, old: TreeHead | None, new: TreeHead) -> bool:
        """Store ``new`` if the current head is still ``old``; return whether it did."""
        with self._lock:
            if self._heads.get(origin) != old:
                return False
            self._heads[origin] = new
            return True


class SQLiteWitnessState:
    """A :class:`WitnessState` in table ``journal_witness`` of a SQLite database.

    Each update runs in a savepoint, which commits at once when no outer transaction
    is open (open the connection with ``isolation_level=None`` for that).
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        """Use ``conn``, creating the table if it is missing."""
        self._conn = conn
        conn.execute(
            "CREATE TABLE IF NOT EXISTS journal_witness ("
            "origin TEXT PRIMARY KEY, tree_size INTEGER NOT NULL, root_hash BLOB NOT NULL)"
        )

    def get(self, origin: str) -> TreeHead | None:
        """Return the latest tree head cosigned for ``origin``, if any."""
        row = self._conn.execute(
            "SELECT tree_size, root_hash FROM journal_witness WHERE origin = ?", (origin,)
        ).fetchone()
        return None if row is None else (int(row[0]), bytes(row[1]))

    def compare_and_set(self, origin: str, old: TreeHead | None, new: TreeHead) -> bool:
        """Store ``new`` if the current head is still ``old``; return whether it did."""
        conn = self._conn
        conn.execute("SAVEPOINT journal_witness")
        try:
            if old is None:
                cur = conn.execute(
                    "INSERT INTO journal_witness (origin, tree_size, root_hash) VALUES (?, ?, ?) "
                    "ON CONFLICT DO NOTHING",
                    (origin, *new),
                )
            else:
                cur = conn.execute(
                    "UPDATE journal_witness SET tree_size = ?, root_hash = ? "
                    "WHERE origin = ? AND tree_size = ? AND root_hash = ?",
                    (*new, origin, *old),
                )
            done = cur.rowcount == 1
        except BaseException:
            conn.execute("ROLLBACK TO journal_witness")
            raise
        finally:
            conn.execute("RELEASE journal_witness")
        return done


class Witness:
    """Cosigns checkpoints of known logs that are consistent with what it saw before."""

    def __init__(
        self,
        cosigner: Signer,
        logs: Mapping[str, Iterable[NoteVerifier]],
        state: WitnessState | None = None,
    ) -> None:
        """Cosign with ``cosigner`` (a 0x04 key) for ``logs``: origin -> log keys."""
        if cosigner.alg != ALG_COSIGNATURE_V1:
            raise WitnessError("the witness key must be a cosignature/v1 (0x04) key")
        self.cosigner = cosigner
        self._logs = {origin: tuple(keys) for origin, keys in logs.items()}
        self.state: WitnessState = state if state is not None else MemoryWitnessState()

    def add_checkpoint(
        self, note: str, proof: Sequence[bytes] = (), *, old_size: int | None = None
    ) -> str:
        """Check ``note`` against the last cosigned head and return a cosignature line.

        ``proof`` proves consistency from the witness's last size (``old_size``, when
        given, must equal it). Raises :class:`WitnessError` naming the reason: unknown
        origin, bad signature, conflict, backwards, fork/inconsistent.
        """
        try:
            text, _ = split_note(note)
            origin = Checkpoint.parse(text).origin
        except NoteError as exc:
            raise WitnessError(f"malformed checkpoint: {exc}") from exc
        verifiers = self._logs.get(origin)
        if verifiers is None:
            raise WitnessError(f"unknown origin {origin!r}")
        try:
            new = open_checkpoint(note, verifiers, origin=origin).checkpoint
        except NoteError as exc:
            raise WitnessError(f"bad signature: {exc}") from exc
        last = self.state.get(origin)
        last_size = 0 if last is None else last[0]
        if old_size is not None and old_size != last_size:
            raise WitnessError(f"conflict: old size {old_size} but the witness has {last_size}")
        self._check_extends(last, new, proof)
        if (last is None or new.size > last[0]) and not self.state.compare_and_set(
            origin, last, (new.size, new.root_hash)
        ):
            raise WitnessError("conflict: the witness state changed meanwhile; retry")
        return NoteSignature(
            self.cosigner.name, self.cosigner.key_id, self.cosigner.sign(text.encode())
        ).line()

    @staticmethod
    def _check_extends(last: TreeHead | None, new: Checkpoint, proof: Sequence[bytes]) -> None:
        if last is None or last[0] == 0:
            if proof:
                raise WitnessError("inconsistent: a proof from the empty tree must be empty")
            return
        size, root = last
        if new.size < size:
            raise WitnessError(f"backwards: size {new.size} is below the cosigned size {size}")
        if new.size == size and new.root_hash != root:
            raise WitnessError(f"fork: size {size} was cosigned with a different root hash")
        try:
            verify_consistency(size, new.size, proof, root, new.root_hash)
        except ProofError as exc:
            raise WitnessError(f"inconsistent (fork?): {exc}") from exc
