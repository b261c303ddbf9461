"""The append-only Merkle log over a :class:`Storage`."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence

from ._checkpoint import Checkpoint, sign_checkpoint
from ._errors import JournalError, ProofError
from ._keys import NoteSigner
from ._note import split_note
from ._proofs import consistency_proof, inclusion_proof, root_hash
from ._storage import Storage, StoredCheckpoint
from ._tlogproof import format_tlog_proof

__all__ = ["Log"]

_sha256 = hashlib.sha256


class Log:
    """An RFC 6962 append-only log whose every operation costs O(log n) stored hashes.

    The storage keeps the hash of every complete perfect subtree, so roots and proofs
    for any past size read a few dozen hashes and never rescan the log.
    """

    def __init__(self, storage: Storage, *, origin: str | None = None) -> None:
        """Wrap ``storage``; ``origin`` names the log in its checkpoints."""
        self.storage = storage
        self.origin = origin

    def size(self) -> int:
        """Return the number of entries in the log."""
        return self.storage.size()

    def append(self, entry: bytes) -> int:
        """Append one entry and return its index."""
        return self.storage.append_leaves([entry], [_sha256(b"\x00" + entry).digest()])

    def append_many(self, entries: Iterable[bytes]) -> int:
        """Append entries in one batch and return the index of the first."""
        batch = entries if isinstance(entries, list) else list(entries)
        sha = _sha256
        hashes = [sha(b"\x00" + e).digest() for e in batch]
        return self.storage.append_leaves(batch, hashes)

    def entry(self, index: int) -> bytes:
        """Return the entry bytes stored at ``index``."""
        return self.storage.get_entry(index)

    def get_nodes(self, keys: Sequence[tuple[int, int]]) -> list[bytes]:
        """Return perfect subtree hashes (makes the log a :class:`HashSource`)."""
        return self.storage.get_nodes(keys)

    def _size(self, size: int | None) -> int:
        current = self.storage.size()
        if size is None:
            return current
        if not 0 <= size <= current:
            raise ProofError(f"tree size {size} is outside the log's size {current}")
        return size

    def root(self, size: int | None = None) -> bytes:
        """Return the root hash of the first ``size`` entries (default: all)."""
        return root_hash(self._size(size), self.storage)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """Return the inclusion proof of entry ``index`` in the tree of ``size``."""
        return inclusion_proof(index, self._size(size), self.storage)

    def consistency_proof(self, size1: int, size2: int | None = None) -> list[bytes]:
        """Return the consistency proof from tree size ``size1`` to ``size2``."""
        return consistency_proof(size1, self._size(size2), self.storage)

    def checkpoint(self, size: int | None = None, extensions: Sequence[str] = ()) -> Checkpoint:
        """Return the (unsigned) checkpoint of the tree of ``size``."""
        if self.origin is None:
            raise JournalError("the log needs an origin to make checkpoints")
        size = self._size(size)
        return Checkpoint(self.origin, size, root_hash(size, self.storage), tuple(extensions))

    def sign_checkpoint(
        self,
        *signers: NoteSigner,
        size: int | None = None,
        extensions: Sequence[str] = (),
        store: bool = True,
        timestamper: Callable[[bytes], bytes | None] | None = None,
    ) -> str:
        """Sign the checkpoint of ``size`` (default: now) and, with ``store``, keep it.

        ``timestamper(body)`` may return an RFC 3161 token over the checkpoint body; it is
        stored in the same row, since stored checkpoints are never updated.
        """
        checkpoint = self.checkpoint(size, extensions)
        note = sign_checkpoint(checkpoint, *signers)
        if store:
            token = timestamper(checkpoint.body().encode()) if timestamper else None
            self.storage.add_checkpoint(
                StoredCheckpoint(checkpoint.size, checkpoint.root_hash, note, token)
            )
        return note

    def tlog_proof(self, index: int, checkpoint_note: str, *, extra: bytes | None = None) -> str:
        """Return a C2SP tlog-proof of entry ``index`` under the given signed checkpoint."""
        text, _ = split_note(checkpoint_note)
        checkpoint = Checkpoint.parse(text)
        proof = self.inclusion_proof(index, checkpoint.size)
        return format_tlog_proof(index, proof, checkpoint_note, extra=extra)
