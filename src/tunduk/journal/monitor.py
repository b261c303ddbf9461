"""Keep the last checkpoint seen of a published log and check each next one against it.

Anyone can do this with the public URLs alone. The state file holds the last checkpoint
seen exactly as the log published it (a C2SP signed note, with any cosignature lines), so
it can be handed to ``tunduk journal verify --trusted-checkpoint``. The log's verifier key
is pinned beside it in ``<state>.vkey``: given once, or taken from the log on first use.

Exceptions::

    JournalError
     ├── NoteError          a checkpoint is not signed by the pinned key (or a witness's)
     ├── RemoteLogError     the log could not be read (:mod:`tunduk.journal.remote`)
     └── ForkError          the log's new checkpoint is not consistent with the kept one
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from tunduk.journal._checkpoint import Checkpoint, open_checkpoint
from tunduk.journal._errors import JournalError, NoteError, ProofError
from tunduk.journal._files import replace_text
from tunduk.journal._keys import NoteVerifier, Verifier
from tunduk.journal._note import open_note
from tunduk.journal._proofs import verify_consistency
from tunduk.journal.remote import PublishedLog, RemoteLogError

__all__ = ["ForkError", "LogMonitor", "MonitorReport", "MonitorStatus", "pin_log_key"]


class ForkError(JournalError):
    """The log signed two checkpoints that cannot both be true: it forked or rewrote history."""


class MonitorStatus(StrEnum):
    """What the monitor concluded about the log's current checkpoint."""

    FIRST = "first"  # nothing was kept yet; the checkpoint is kept from now on
    UNCHANGED = "unchanged"  # the same size and root hash as the kept checkpoint
    EXTENDED = "extended"  # larger, and proven consistent with the kept checkpoint
    STALE = "stale"  # smaller, but a prefix of the kept checkpoint (which stays kept)


@dataclass(frozen=True)
class MonitorReport:
    """One check: the checkpoint served now, the one kept before, and the verdict."""

    status: MonitorStatus
    current: Checkpoint
    previous: Checkpoint | None
    witnesses: tuple[str, ...] = ()

    def describe(self) -> str:
        """Say in one line what was checked against what."""
        now = f"checkpoint of size {self.current.size} of {self.current.origin}"
        cosigned = f", cosigned by {', '.join(self.witnesses)}" if self.witnesses else ""
        if self.previous is None:
            return f"kept the first {now}{cosigned} (signature checked)"
        before = self.previous.size
        if self.status is MonitorStatus.UNCHANGED:
            return f"{now}{cosigned} is unchanged since the kept one"
        if self.status is MonitorStatus.STALE:
            return f"the log served an older {now}; it is a prefix of the kept size {before}"
        return (
            f"{now}{cosigned} is consistent with the kept size {before} (consistency proof checked)"
        )


def pin_log_key(log: PublishedLog, key_file: Path, given: str | None) -> tuple[Verifier, bool]:
    """Return the log's verifier key and whether it was pinned just now.

    A key already pinned in ``key_file`` wins; a ``given`` key that differs from it is
    refused, so a changed log key is never accepted silently.
    """
    pinned = key_file.read_text().strip() if key_file.exists() else None
    if pinned is not None and given is not None and pinned != given.strip():
        raise NoteError(f"the given log key differs from the one pinned in {key_file}")
    if pinned is not None:
        return Verifier.from_key(pinned), False
    key = Verifier.from_key(given if given is not None else log.verifier_key())
    replace_text(key_file, key.to_key() + "\n")
    return key, True


class LogMonitor:
    """Checks the checkpoint a log serves now against the one kept in a state file."""

    def __init__(
        self,
        log: PublishedLog,
        state: Path,
        log_key: NoteVerifier,
        *,
        witnesses: Sequence[NoteVerifier] = (),
    ) -> None:
        """Watch ``log`` signed by ``log_key``; with ``witnesses``, require their cosignatures."""
        self.log = log
        self.state = state
        self.log_key = log_key
        self.witnesses = tuple(witnesses)

    @property
    def fork_file(self) -> Path:
        """Where a conflicting checkpoint is kept as evidence (``<state>.fork``)."""
        return self.state.with_name(self.state.name + ".fork")

    def check(self) -> MonitorReport:
        """Fetch the current checkpoint, check it against the kept one, keep the newer.

        Raises :class:`NoteError` on a bad signature, :class:`ForkError` on inconsistency
        (the conflicting note is saved to :attr:`fork_file`), :class:`RemoteLogError`.
        """
        kept = self._open(self.state.read_text(), "kept") if self.state.exists() else None
        origin = kept.origin if kept is not None else None
        note = self.log.cosigned_checkpoint() if self.witnesses else self.log.checkpoint()
        current = self._open(note, "served", origin, self.witnesses)
        if kept is None:
            replace_text(self.state, note)
            return MonitorReport(MonitorStatus.FIRST, current, None, self._names())
        try:
            status = self._compare(kept, current)
        except ForkError:
            replace_text(self.fork_file, note)
            raise
        if status is not MonitorStatus.STALE:
            replace_text(self.state, note)
        return MonitorReport(status, current, kept, self._names())

    def _names(self) -> tuple[str, ...]:
        return tuple(witness.name for witness in self.witnesses)

    def _open(
        self,
        note: str,
        what: str,
        origin: str | None = None,
        witnesses: Sequence[NoteVerifier] = (),
    ) -> Checkpoint:
        try:
            checkpoint = open_checkpoint(note, [self.log_key], origin=origin).checkpoint
        except NoteError as error:
            raise NoteError(f"the {what} checkpoint does not verify: {error}") from error
        for witness in witnesses:
            try:
                open_note(note, [witness])
            except NoteError as error:
                raise NoteError(
                    f"no valid cosignature by witness {witness.name}: {error}"
                ) from error
        return checkpoint

    def _compare(self, kept: Checkpoint, current: Checkpoint) -> MonitorStatus:
        if current.size == kept.size:
            if current.root_hash != kept.root_hash:
                raise ForkError(f"fork: the log signed two different trees of size {kept.size}")
            return MonitorStatus.UNCHANGED
        small, large = sorted((kept, current), key=lambda checkpoint: checkpoint.size)
        if small.size > 0:
            proof = self._proof(small.size, large.size, rollback=current is small)
            try:
                verify_consistency(small.size, large.size, proof, small.root_hash, large.root_hash)
            except ProofError as error:
                raise ForkError(
                    f"fork: the log's checkpoint of size {current.size} is not consistent "
                    f"with the kept checkpoint of size {kept.size}: {error}"
                ) from error
        return MonitorStatus.EXTENDED if current.size > kept.size else MonitorStatus.STALE

    def _proof(self, first: int, second: int, *, rollback: bool) -> list[bytes]:
        try:
            return self.log.consistency_proof(first, second)
        except RemoteLogError as error:
            if not rollback:
                raise
            # The log now signs a smaller tree and cannot even prove it a prefix of the
            # one it signed before: its history behind the kept checkpoint is gone.
            raise ForkError(
                f"rollback: the log now serves size {first}, below the kept size {second}, "
                f"and cannot prove it a prefix of it: {error}"
            ) from error
