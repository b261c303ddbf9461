"""The Tunduk-Signature header: a lossless, strict, bounded text form of MessageSignature."""

from __future__ import annotations

import hashlib

import pytest

from tunduk.gateway.signing import MAX_SIGNATURE_HEADER, MessageSignature
from tunduk.trust.ca import CertificateAuthority

from ._signing_helpers import POPULATION, issue


@pytest.fixture(scope="module")
def signatures() -> list[MessageSignature]:
    """The signatures of a batch of five digests."""
    holder = issue(CertificateAuthority.create("Header Test CA"), POPULATION)
    batch = [hashlib.sha256(b"%d" % i).digest() for i in range(5)]
    return holder.signer().sign_batch(batch)


def test_header_round_trips(signatures: list[MessageSignature]) -> None:
    """docs/gateway-protocol.md: from_header(to_header(s)) == s for every leaf of a batch."""
    for signature in signatures:
        assert MessageSignature.from_header(signature.to_header()) == signature


def test_header_layout(signatures: list[MessageSignature]) -> None:
    """docs/gateway-protocol.md: eight items in a fixed order, separated by '; '."""
    names = [item.split("=", 1)[0] for item in signatures[4].to_header().split("; ")]
    assert names == ["v", "alg", "cert", "root", "size", "index", "path", "sig"]
    assert "; size=5; index=4; path=" in signatures[4].to_header()


def mutations(header: str) -> list[str]:
    """Malformed variants of a valid header, each breaking one rule."""
    items = header.split("; ")
    return [
        header.replace("v=1", "v=2"),
        header.replace("alg=ecdsa-p256-sha256", "alg=rsa"),
        header.replace("size=5", "size=05"),
        header.replace("size=5", "size=0"),
        header.replace("size=5", "size=65537"),
        header.replace("index=1", "index=5"),
        header.replace("index=1", "index=-1"),
        "; ".join([items[1], items[0], *items[2:]]),
        "; ".join(items[:-1]),
        header + "; extra=1",
        header.replace("cert=", "cert=AAAA"),
        header.replace("root=", "root=!"),
        header.replace("sig=", "sig=A"),
        header.replace("path=", "path=AAAA,"),
        header.replace("size=5", "size=4"),  # three path hashes, a tree of 4 takes two
        header + " " * MAX_SIGNATURE_HEADER,
    ]


def test_malformed_headers_are_refused(signatures: list[MessageSignature]) -> None:
    """Attacker: every malformed, out-of-bounds or non-canonical header is a ValueError."""
    header = signatures[1].to_header()
    for bad in mutations(header):
        with pytest.raises(ValueError, match="Tunduk-Signature"):
            MessageSignature.from_header(bad)


def test_non_canonical_base64_is_refused(signatures: list[MessageSignature]) -> None:
    """Each value has one encoding: base64 with stray bits in its padding is refused."""
    header = signatures[0].to_header()
    root = header.split("root=", 1)[1].split(";", 1)[0]
    assert len(root) == 44 and root.endswith("=")
    # 32 bytes leave the last character 2 unused bits, zero in the canonical form.
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    assert alphabet.index(root[42]) % 4 == 0
    stray = alphabet[alphabet.index(root[42]) + 1]
    tweaked = header.replace(f"root={root}", f"root={root[:42]}{stray}=")
    with pytest.raises(ValueError, match="not canonical base64"):
        MessageSignature.from_header(tweaked)
