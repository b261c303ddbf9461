"""C2SP signed notes: a text ending in a newline, a blank line, then signature lines
``— <key name> base64(key ID ‖ signature)``."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from dataclasses import dataclass

from ._errors import NoteError
from ._keys import NoteSigner, NoteVerifier, check_key_name

__all__ = ["MAX_SIGNATURES", "Note", "NoteSignature", "add_signatures", "open_note", "sign_note"]

MAX_SIGNATURES = 100
"""Notes with more signature lines than this are rejected (the spec asks for a limit)."""

_DASH = "\u2014 "


@dataclass(frozen=True, slots=True)
class NoteSignature:
    """One signature line of a note."""

    name: str
    key_id: int
    signature: bytes

    def line(self) -> str:
        """Return the signature line, with its final newline."""
        raw = self.key_id.to_bytes(4, "big") + self.signature
        return f"{_DASH}{self.name} {base64.b64encode(raw).decode()}\n"


@dataclass(frozen=True, slots=True)
class Note:
    """A parsed signed note: its text, every signature, and the known keys that verified."""

    text: str
    signatures: tuple[NoteSignature, ...]
    verified_by: tuple[NoteVerifier, ...]

    def signature_by(self, verifier: NoteVerifier) -> NoteSignature | None:
        """Return the signature made by ``verifier``'s key, if present."""
        for sig in self.signatures:
            if sig.name == verifier.name and sig.key_id == verifier.key_id:
                return sig
        return None


def _check_text(text: str, what: str) -> None:
    if not text.endswith("\n"):
        raise NoteError(f"{what} does not end with a newline")
    bad = next((c for c in text if c < " " and c != "\n"), None)
    if bad is not None:
        raise NoteError(f"{what} contains the control character U+{ord(bad):04X}")


def _parse_signature(line: str) -> NoteSignature:
    if not line.startswith(_DASH):
        raise NoteError(f"signature line {line!r} does not start with an em dash and a space")
    parts = line[len(_DASH) :].split(" ")
    if len(parts) != 2:
        raise NoteError(f"signature line {line!r} is not '— <name> <base64>'")
    name, b64 = parts
    check_key_name(name)
    try:
        raw = base64.b64decode(b64, validate=True)
    except (binascii.Error, ValueError):
        raise NoteError(f"signature by {name} is not valid base64") from None
    if len(raw) < 5:
        raise NoteError(f"signature by {name} is too short")
    return NoteSignature(name, int.from_bytes(raw[:4], "big"), raw[4:])


def split_note(note: str | bytes) -> tuple[str, list[NoteSignature]]:
    """Check a note's syntax and return its text and signatures, verifying nothing."""
    if isinstance(note, bytes):
        try:
            note = note.decode("utf-8")
        except UnicodeDecodeError:
            raise NoteError("note is not valid UTF-8") from None
    _check_text(note, "note")
    cut = note.rfind("\n\n")
    if cut < 0:
        raise NoteError("note has no blank line between its text and its signatures")
    text, lines = note[: cut + 1], note[cut + 2 :].split("\n")[:-1]
    if not lines:
        raise NoteError("note has no signature lines")
    if len(lines) > MAX_SIGNATURES:
        raise NoteError(f"note has {len(lines)} signatures, more than {MAX_SIGNATURES}")
    return text, [_parse_signature(line) for line in lines]


def open_note(note: str | bytes, verifiers: Iterable[NoteVerifier]) -> Note:
    """Parse a signed note and check its signatures against the known ``verifiers``.

    Signatures by unknown keys are ignored; a known key's signature that fails to
    verify rejects the note, and at least one known key must have signed. Raises
    :class:`NoteError` saying what is wrong.
    """
    text, signatures = split_note(note)
    known = {(v.name, v.key_id): v for v in verifiers}
    body = text.encode()
    verified: list[NoteVerifier] = []
    for sig in signatures:
        verifier = known.get((sig.name, sig.key_id))
        if verifier is None:
            continue
        if not verifier.verify(body, sig.signature):
            raise NoteError(f"signature by {sig.name} ({sig.key_id:08x}) does not verify")
        if verifier not in verified:
            verified.append(verifier)
    if not verified:
        raise NoteError("note has no valid signature by a known key")
    return Note(text, tuple(signatures), tuple(verified))


def sign_note(text: str, *signers: NoteSigner) -> str:
    """Return ``text`` (which must end with a newline) signed by each of ``signers``."""
    _check_text(text, "note text")
    if not signers:
        raise NoteError("a note needs at least one signer")
    body = text.encode()
    lines = [NoteSignature(s.name, s.key_id, s.sign(body)).line() for s in signers]
    return text + "\n" + "".join(lines)


def add_signatures(note: str, *signers: NoteSigner) -> str:
    """Return ``note`` with signature lines by ``signers`` appended (e.g. cosignatures)."""
    text, existing = split_note(note)
    body = text.encode()
    lines = [sig.line() for sig in existing]
    lines += [NoteSignature(s.name, s.key_id, s.sign(body)).line() for s in signers]
    if len(lines) > MAX_SIGNATURES:
        raise NoteError(f"note would have more than {MAX_SIGNATURES} signatures")
    return text + "\n" + "".join(lines)
