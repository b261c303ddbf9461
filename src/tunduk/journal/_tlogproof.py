"""C2SP tlog-proof: an offline-verifiable proof that one entry is in a checkpointed log.

c2sp.org/tlog-proof@v1
[extra <base64>]
index <n>
<base64 proof hash>...
<blank line>
<signed checkpoint note>
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ._checkpoint import SignedCheckpoint, open_checkpoint
from ._errors import NoteError, ProofError, TlogProofError
from ._hashing import HASH_SIZE, leaf_hash
from ._keys import NoteVerifier
from ._proofs import verify_inclusion

__all__ = ["TlogProof", "format_tlog_proof", "parse_tlog_proof", "verify_tlog_proof"]

HEADER = "c2sp.org/tlog-proof@v1"


@dataclass(frozen=True, slots=True)
class TlogProof:
    """A parsed tlog-proof; nothing in it is trusted until verified."""

    index: int
    proof: tuple[bytes, ...]
    checkpoint_note: str
    extra: bytes | None = None


def format_tlog_proof(
    index: int, proof: Sequence[bytes], checkpoint_note: str, *, extra: bytes | None = None
) -> str:
    """Return the tlog-proof text for entry ``index`` with its inclusion ``proof``."""
    lines = [HEADER]
    if extra is not None:
        lines.append("extra " + base64.b64encode(extra).decode())
    lines.append(f"index {index}")
    lines += [base64.b64encode(h).decode() for h in proof]
    return "\n".join(lines) + "\n\n" + checkpoint_note


def _b64(value: str, what: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise TlogProofError(f"{what} is not valid base64") from None


def parse_tlog_proof(text: str | bytes) -> TlogProof:
    """Parse a tlog-proof; raise :class:`TlogProofError` saying what is wrong."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise TlogProofError("tlog-proof is not valid UTF-8") from None
    head, sep, note = text.partition("\n\n")
    if not sep:
        raise TlogProofError("tlog-proof has no blank line before the checkpoint")
    lines = head.split("\n")
    if lines[0] != HEADER:
        raise TlogProofError(f"tlog-proof does not start with {HEADER!r}")
    pos = 1
    extra = None
    if pos < len(lines) and lines[pos].startswith("extra "):
        extra = _b64(lines[pos][6:], "extra data")
        pos += 1
    if pos >= len(lines) or not lines[pos].startswith("index "):
        raise TlogProofError("tlog-proof has no 'index' line")
    digits = lines[pos][6:]
    if not digits.isascii() or not digits.isdigit() or (digits != "0" and digits[0] == "0"):
        raise TlogProofError(f"tlog-proof index {digits!r} is not a decimal number")
    proof = []
    for i, line in enumerate(lines[pos + 1 :]):
        h = _b64(line, f"proof hash {i}")
        if len(h) != HASH_SIZE:
            raise TlogProofError(f"proof hash {i} is not {HASH_SIZE} bytes")
        proof.append(h)
    return TlogProof(int(digits), tuple(proof), note, extra)


def verify_tlog_proof(
    text: str | bytes,
    entry: bytes,
    verifiers: Iterable[NoteVerifier],
    *,
    origin: str | None = None,
) -> SignedCheckpoint:
    """Check that ``entry`` is in the log per this tlog-proof; return the checkpoint.

    The checkpoint must carry a valid signature by one of ``verifiers`` (and be for
    ``origin`` when given). Raises :class:`TlogProofError` saying which check failed.
    """
    parsed = parse_tlog_proof(text)
    try:
        signed = open_checkpoint(parsed.checkpoint_note, verifiers, origin=origin)
    except NoteError as exc:
        raise TlogProofError(f"checkpoint: {exc}") from exc
    cp = signed.checkpoint
    try:
        verify_inclusion(leaf_hash(entry), parsed.index, cp.size, parsed.proof, cp.root_hash)
    except ProofError as exc:
        raise TlogProofError(f"inclusion: {exc}") from exc
    return signed
