"""The journal's exceptions (the hierarchy is drawn in the package docstring)."""

from __future__ import annotations

__all__ = [
    "CheckpointError",
    "JournalError",
    "NoteError",
    "ProofError",
    "StorageError",
    "TlogProofError",
    "WitnessError",
]


class JournalError(Exception):
    """Base class of every error raised by :mod:`tunduk.journal`."""


class ProofError(JournalError):
    """A Merkle inclusion or consistency proof does not verify, or cannot be made."""


class NoteError(JournalError):
    """A signed note is malformed, or carries no valid signature by a known key."""


class CheckpointError(NoteError):
    """A checkpoint body does not follow the C2SP tlog-checkpoint format."""


class TlogProofError(JournalError):
    """A C2SP tlog-proof document is malformed or does not verify."""


class StorageError(JournalError):
    """The log storage is inconsistent, misused, or refused an operation."""


class WitnessError(JournalError):
    """A witness refused to cosign a checkpoint (the message says why)."""
