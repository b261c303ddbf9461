""":class:`MessageSignature` and its header form ``Tunduk-Signature``.

The header is eight ``name=value`` items in a fixed order separated by ``;`` (spaces
around items are ignored); binary values are standard base64 with padding, numbers are
decimal without leading zeros. Parsing is strict: a value out of bounds, an item out of
order, a non-canonical base64 or number is refused with ``ValueError`` naming the item.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

__all__ = [
    "ALGORITHM",
    "MAX_BATCH_SIZE",
    "MAX_SIGNATURE_HEADER",
    "MessageSignature",
    "batch_to_be_signed",
]

ALGORITHM = "ecdsa-p256-sha256"
"""The only signature algorithm: ECDSA on NIST P-256 with SHA-256, DER signature value."""

BATCH_LABEL = b"tunduk-batch-signature-v1"
"""Domain separation: what the signing key signs can never be mistaken for another statement."""

MAX_BATCH_SIZE = 65536
"""Largest batch a receiver accepts (an inclusion path of at most 16 hashes)."""

MAX_SIGNATURE_HEADER = 4096
"""Largest ``Tunduk-Signature`` value accepted, in characters."""

_MAX_DER_SIGNATURE = 160
_ITEMS = ("v", "alg", "cert", "root", "size", "index", "path", "sig")
_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")
_NUMBER = re.compile(r"0|[1-9][0-9]{0,9}")


def batch_to_be_signed(certificate_sha256: bytes, size: int, root: bytes) -> bytes:
    """The bytes ECDSA signs for a batch: label, signer certificate hash, tree size, root."""
    return (
        len(BATCH_LABEL).to_bytes(4, "big")
        + BATCH_LABEL
        + certificate_sha256
        + size.to_bytes(8, "big")
        + root
    )


def _b64(data: bytes) -> str:
    return binascii.b2a_base64(data, newline=False).decode("ascii")


def _unb64(text: str, item: str) -> bytes:
    try:  # the usual case, canonical base64, in two C calls
        data = binascii.a2b_base64(text, strict_mode=True)
    except (binascii.Error, ValueError):
        return _unb64_checked(text, item)
    if binascii.b2a_base64(data, newline=False) != text.encode("ascii"):
        return _unb64_checked(text, item)
    return data


def _unb64_checked(text: str, item: str) -> bytes:
    """:func:`_unb64` step by step, to name what is wrong."""
    if not _BASE64.fullmatch(text) or len(text) % 4:
        raise ValueError(f"Tunduk-Signature: {item} is not base64")
    try:
        data = base64.b64decode(text, validate=True)
    except binascii.Error as error:
        raise ValueError(f"Tunduk-Signature: {item} is not base64") from error
    if _b64(data) != text:
        raise ValueError(f"Tunduk-Signature: {item} is not canonical base64")
    return data


def _hash32(text: str, item: str) -> bytes:
    data = _unb64(text, item)
    if len(data) != 32:
        raise ValueError(f"Tunduk-Signature: {item} must be 32 bytes, not {len(data)}")
    return data


def _number(text: str, item: str, low: int, high: int) -> int:
    if not _NUMBER.fullmatch(text) or not low <= int(text) <= high:
        raise ValueError(f"Tunduk-Signature: {item} must be a number from {low} to {high}")
    return int(text)


@dataclass(frozen=True)
class MessageSignature:
    """One message's share of a batch signature.

    ``signature`` (DER ECDSA) signs :func:`batch_to_be_signed` of the signer
    certificate's SHA-256, the batch size and ``batch_root``; ``batch_path`` leads from
    the message digest at ``leaf_index`` to that root (RFC 9162 §2.1.3).
    """

    algorithm: str
    certificate_sha256: bytes
    batch_root: bytes
    batch_size: int
    leaf_index: int
    batch_path: tuple[bytes, ...]
    signature: bytes

    def to_header(self) -> str:
        """The ``Tunduk-Signature`` header value (made once per signature, then remembered)."""
        try:
            return self.__dict__["_header"]  # type: ignore[no-any-return]
        except KeyError:
            pass
        header = self._header()
        self.__dict__["_header"] = header  # frozen: the cache bypasses __setattr__
        return header

    def _header(self) -> str:
        return "; ".join(
            [
                "v=1",
                f"alg={self.algorithm}",
                f"cert={_b64(self.certificate_sha256)}",
                f"root={_b64(self.batch_root)}",
                f"size={self.batch_size}",
                f"index={self.leaf_index}",
                "path=" + ",".join(_b64(node) for node in self.batch_path),
                f"sig={_b64(self.signature)}",
            ]
        )

    @classmethod
    def from_header(cls, value: str) -> MessageSignature:
        """Parse a ``Tunduk-Signature`` value strictly; ``ValueError`` names what is wrong."""
        if len(value) > MAX_SIGNATURE_HEADER:
            raise ValueError(f"Tunduk-Signature is longer than {MAX_SIGNATURE_HEADER} characters")
        items = [item.strip(" \t") for item in value.split(";")]
        if len(items) != len(_ITEMS):
            raise ValueError(f"Tunduk-Signature must have the items {', '.join(_ITEMS)}")
        values: dict[str, str] = {}
        for item, expected in zip(items, _ITEMS, strict=True):
            name, equals, text = item.partition("=")
            if name != expected or not equals:
                raise ValueError(f"Tunduk-Signature: expected the item {expected}=, found {name!r}")
            values[name] = text
        if values["v"] != "1":
            raise ValueError("Tunduk-Signature: only version v=1 is known")
        if values["alg"] != ALGORITHM:
            raise ValueError(f"Tunduk-Signature: the algorithm must be {ALGORITHM}")
        size = _number(values["size"], "size", 1, MAX_BATCH_SIZE)
        path = values["path"]
        nodes = path.split(",") if path else []
        if len(nodes) > (size - 1).bit_length():  # ⌈log2 size⌉, RFC 9162 §2.1.3
            raise ValueError("Tunduk-Signature: path is longer than the batch size allows")
        signature = _unb64(values["sig"], "sig")
        if not 8 <= len(signature) <= _MAX_DER_SIGNATURE:
            raise ValueError("Tunduk-Signature: sig has an impossible length")
        parsed = cls(
            algorithm=ALGORITHM,
            certificate_sha256=_hash32(values["cert"], "cert"),
            batch_root=_hash32(values["root"], "root"),
            batch_size=size,
            leaf_index=_number(values["index"], "index", 0, size - 1),
            batch_path=tuple(_hash32(node, "path") for node in nodes),
            signature=signature,
        )
        if value == "; ".join(items):  # already canonical: to_header() gives it back as is
            parsed.__dict__["_header"] = value
        return parsed
