"""C2SP tlog-checkpoint: the signed statement of a log's size and root hash.

Body: the origin line, the tree size in decimal, the base64 root hash, then optional
non-empty extension lines, each ending in a newline.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from dataclasses import dataclass

from ._errors import CheckpointError
from ._hashing import HASH_SIZE
from ._keys import NoteSigner, NoteVerifier
from ._note import Note, open_note, sign_note

__all__ = ["Checkpoint", "SignedCheckpoint", "open_checkpoint", "sign_checkpoint"]


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A log's claim: the tree of ``size`` leaves under ``origin`` has ``root_hash``."""

    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()

    def body(self) -> str:
        """Return the checkpoint body (the note text), checking every field."""
        if not self.origin or "\n" in self.origin:
            raise CheckpointError("checkpoint origin must be one non-empty line")
        if self.size < 0:
            raise CheckpointError("checkpoint tree size must not be negative")
        if len(self.root_hash) != HASH_SIZE:
            raise CheckpointError(f"checkpoint root hash must be {HASH_SIZE} bytes")
        for ext in self.extensions:
            if not ext or "\n" in ext:
                raise CheckpointError("checkpoint extension lines must be one non-empty line")
        root = base64.b64encode(self.root_hash).decode()
        lines = [self.origin, str(self.size), root, *self.extensions]
        return "".join(line + "\n" for line in lines)

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        """Parse a checkpoint body; raise :class:`CheckpointError` saying what is wrong."""
        if not text.endswith("\n"):
            raise CheckpointError("checkpoint body does not end with a newline")
        lines = text[:-1].split("\n")
        if len(lines) < 3:
            raise CheckpointError("checkpoint body needs origin, size and root hash lines")
        origin, size, root, *extensions = lines
        if not origin:
            raise CheckpointError("checkpoint origin line is empty")
        if not size.isascii() or not size.isdigit() or (size != "0" and size.startswith("0")):
            raise CheckpointError(f"checkpoint tree size {size!r} is not a decimal number")
        try:
            root_hash = base64.b64decode(root, validate=True)
        except (binascii.Error, ValueError):
            raise CheckpointError("checkpoint root hash is not valid base64") from None
        if len(root_hash) != HASH_SIZE:
            raise CheckpointError(f"checkpoint root hash is not {HASH_SIZE} bytes")
        if any(not ext for ext in extensions):
            raise CheckpointError("checkpoint has an empty extension line")
        return cls(origin, int(size), root_hash, tuple(extensions))


@dataclass(frozen=True, slots=True)
class SignedCheckpoint:
    """A checkpoint opened from a signed note whose signatures were checked."""

    checkpoint: Checkpoint
    note: Note


def sign_checkpoint(checkpoint: Checkpoint, *signers: NoteSigner) -> str:
    """Return ``checkpoint`` as a signed note."""
    return sign_note(checkpoint.body(), *signers)


def open_checkpoint(
    note: str | bytes, verifiers: Iterable[NoteVerifier], *, origin: str | None = None
) -> SignedCheckpoint:
    """Verify a signed checkpoint note and parse its body.

    With ``origin``, the checkpoint must be for that log. Raises :class:`NoteError`
    (:class:`CheckpointError` for a bad body or origin).
    """
    opened = open_note(note, verifiers)
    checkpoint = Checkpoint.parse(opened.text)
    if origin is not None and checkpoint.origin != origin:
        raise CheckpointError(f"checkpoint origin {checkpoint.origin!r} is not {origin!r}")
    return SignedCheckpoint(checkpoint, opened)
