"""Ed25519 signer and verifier keys in the C2SP signed-note encodings.

Verifier key: ``<name>+<hex key ID>+<base64(type ‖ public key)>``.
Signer key:   ``PRIVATE+KEY+<name>+<hex key ID>+<base64(type ‖ private seed)>``.
Key ID: the first four bytes of SHA-256(name ‖ 0x0A ‖ type ‖ public key).
Type 0x01 signs notes (the log's checkpoints); type 0x04 makes timestamped
``cosignature/v1`` signatures (witnesses).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
import time
from dataclasses import dataclass, field
from typing import Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from ._errors import NoteError

__all__ = [
    "ALG_COSIGNATURE_V1",
    "ALG_ED25519",
    "NoteSigner",
    "NoteVerifier",
    "Signer",
    "Verifier",
    "generate_cosigner",
    "generate_signer",
    "key_id",
]

ALG_ED25519 = 0x01
ALG_COSIGNATURE_V1 = 0x04
_ALGS = (ALG_ED25519, ALG_COSIGNATURE_V1)


class NoteVerifier(Protocol):
    """Checks one signer's signatures on note texts."""

    @property
    def name(self) -> str:
        """The key name as written on signature lines."""
        ...

    @property
    def key_id(self) -> int:
        """The 32-bit key ID that starts each signature."""
        ...

    def verify(self, text: bytes, signature: bytes) -> bool:
        """Return whether ``signature`` (without the key ID) signs the note ``text``."""
        ...


class NoteSigner(Protocol):
    """Signs note texts under one key."""

    @property
    def name(self) -> str:
        """The key name as written on signature lines."""
        ...

    @property
    def key_id(self) -> int:
        """The 32-bit key ID that starts each signature."""
        ...

    def sign(self, text: bytes) -> bytes:
        """Return the signature (without the key ID) of the note ``text``."""
        ...


def key_id(name: str, alg: int, public_key: bytes) -> int:
    """Return the C2SP key ID: SHA-256(name ‖ 0x0A ‖ alg ‖ public key)[:4], big-endian."""
    digest = hashlib.sha256(name.encode() + b"\n" + bytes([alg]) + public_key).digest()
    return int.from_bytes(digest[:4], "big")


def check_key_name(name: str) -> None:
    """Raise :class:`NoteError` unless ``name`` is a valid key name (non-empty, no space, no +)."""
    if not name or "+" in name or any(c.isspace() for c in name):
        raise NoteError(f"key name {name!r} must be non-empty, without spaces or '+'")


def cosignature_message(text: bytes, timestamp: int) -> bytes:
    """Return the message an Ed25519 ``cosignature/v1`` signs for a checkpoint body."""
    return b"cosignature/v1\ntime %d\n" % timestamp + text


def _b64(data: str, what: str) -> bytes:
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise NoteError(f"{what} is not valid base64") from None


@dataclass(frozen=True)
class Verifier:
    """A :class:`NoteVerifier` for Ed25519 note signatures or cosignature/v1."""

    name: str
    key_id: int
    alg: int
    public_key: bytes = field(repr=False)

    @classmethod
    def from_key(cls, vkey: str) -> Verifier:
        """Parse a verifier key ``name+hexid+base64(type ‖ key)``; raise :class:`NoteError`."""
        parts = vkey.strip().split("+", 2)
        if len(parts) != 3:
            raise NoteError("verifier key must have the form name+keyid+base64key")
        name, hex_id, b64 = parts
        check_key_name(name)
        if len(hex_id) != 8:
            raise NoteError("verifier key ID must be 8 hex digits")
        try:
            kid = int(hex_id, 16)
        except ValueError:
            raise NoteError("verifier key ID is not hexadecimal") from None
        raw = _b64(b64, "verifier key")
        if len(raw) != 33 or raw[0] not in _ALGS:
            raise NoteError("verifier key must be an Ed25519 (0x01) or cosignature (0x04) key")
        if key_id(name, raw[0], raw[1:]) != kid:
            raise NoteError("verifier key ID does not match the name and public key")
        try:
            Ed25519PublicKey.from_public_bytes(raw[1:])
        except ValueError:
            raise NoteError("verifier key is not a valid Ed25519 public key") from None
        return cls(name, kid, raw[0], raw[1:])

    def to_key(self) -> str:
        """Return this verifier in ``name+hexid+base64`` form."""
        b64 = base64.b64encode(bytes([self.alg]) + self.public_key).decode()
        return f"{self.name}+{self.key_id:08x}+{b64}"

    def verify(self, text: bytes, signature: bytes) -> bool:
        """Return whether ``signature`` (without the key ID) signs the note ``text``."""
        pub = Ed25519PublicKey.from_public_bytes(self.public_key)
        if self.alg == ALG_COSIGNATURE_V1:
            if len(signature) != 72:
                return False
            (timestamp,) = struct.unpack(">Q", signature[:8])
            if timestamp >= 1 << 63:
                return False
            text, signature = cosignature_message(text, timestamp), signature[8:]
        try:
            pub.verify(signature, text)
        except InvalidSignature:
            return False
        return True

    @staticmethod
    def cosignature_time(signature: bytes) -> int:
        """Return the POSIX time at the start of a cosignature/v1 signature."""
        return int(struct.unpack(">Q", signature[:8])[0])


@dataclass(frozen=True)
class Signer:
    """A :class:`NoteSigner`: an Ed25519 private key with its name and algorithm."""

    name: str
    key_id: int
    alg: int
    private_key: Ed25519PrivateKey = field(repr=False, compare=False)

    @classmethod
    def from_key(cls, skey: str) -> Signer:
        """Parse ``PRIVATE+KEY+name+hexid+base64(type ‖ seed)``; raise :class:`NoteError`."""
        parts = skey.strip().split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise NoteError("signer key must have the form PRIVATE+KEY+name+keyid+base64key")
        name, hex_id, b64 = parts[2:]
        check_key_name(name)
        raw = _b64(b64, "signer key")
        if len(raw) != 33 or raw[0] not in _ALGS:
            raise NoteError("signer key must be an Ed25519 (0x01) or cosignature (0x04) key")
        signer = cls._make(name, raw[0], Ed25519PrivateKey.from_private_bytes(raw[1:]))
        if f"{signer.key_id:08x}" != hex_id.lower():
            raise NoteError("signer key ID does not match the name and key")
        return signer

    @classmethod
    def _make(cls, name: str, alg: int, key: Ed25519PrivateKey) -> Signer:
        pub = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return cls(name, key_id(name, alg, pub), alg, key)

    def to_key(self) -> str:
        """Return this signer in ``PRIVATE+KEY+name+hexid+base64`` form (keep it secret)."""
        seed = self.private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        b64 = base64.b64encode(bytes([self.alg]) + seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.key_id:08x}+{b64}"

    def verifier(self) -> Verifier:
        """Return the matching :class:`Verifier`."""
        pub = self.private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return Verifier(self.name, self.key_id, self.alg, pub)

    def sign(self, text: bytes, *, timestamp: int | None = None) -> bytes:
        """Sign a note text; cosigners prefix the 8-byte time (now unless given)."""
        if self.alg == ALG_COSIGNATURE_V1:
            t = int(time.time()) if timestamp is None else timestamp
            return struct.pack(">Q", t) + self.private_key.sign(cosignature_message(text, t))
        return self.private_key.sign(text)


def generate_signer(name: str) -> Signer:
    """Return a new Ed25519 note signer (for a log's checkpoints) named ``name``."""
    check_key_name(name)
    return Signer._make(name, ALG_ED25519, Ed25519PrivateKey.generate())


def generate_cosigner(name: str) -> Signer:
    """Return a new Ed25519 ``cosignature/v1`` signer (for a witness) named ``name``."""
    check_key_name(name)
    return Signer._make(name, ALG_COSIGNATURE_V1, Ed25519PrivateKey.generate())
