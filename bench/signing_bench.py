"""Message signing benchmark: per-message cost of signing and verifying, by batch size.

The gateway signs all message digests waiting at the same moment with one ECDSA P-256
signature over their Merkle root, and the receiver verifies a batch's signature once.
For batches of 1, 8 and 64 this prints the cost per message of signing
(``BatchSigner.sign_batch``), of verifying (``SignatureVerifier.verify``, with a real
certificate checked against a real signed configuration) and of both, and each as a
ratio to batches of one measured in the same run.

    .venv/bin/python bench/signing_bench.py [--quick] [--messages N]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tunduk.gateway.signing import BatchSigner, MessageSignature, SignatureVerifier
from tunduk.globalconf import (
    CACHE_FILE,
    ApprovedCa,
    ConfigurationAnchor,
    ConfigurationClient,
    Member,
    build,
    encode,
    sign,
)
from tunduk.identifiers import MemberId
from tunduk.trust.ca import CertificateAuthority, certificate_to_pem, common_name
from tunduk.trust.certificates import issue_from_csr
from tunduk.trust.csr import ExpectedSubject, load_csr, make_csr, subject_name
from tunduk.trust.profiles import CertificateProfile

MEMBER = MemberId("KG", "GOV", "70000001")
BATCH_SIZES = (1, 8, 64)


def signing_identity(
    ca: CertificateAuthority,
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """A signing key and its certificate, issued from a real request."""
    key = ec.generate_private_key(ec.SECP256R1())
    expected = ExpectedSubject(MEMBER.instance, MEMBER.member_class, MEMBER.member_code)
    csr = load_csr(make_csr(key, subject_name(expected, CertificateProfile.SIGNING)))
    return key, issue_from_csr(ca, csr, profile=CertificateProfile.SIGNING, expected=expected)


def configuration_client(ca: CertificateAuthority, directory: Path) -> ConfigurationClient:
    """A client holding a freshly signed configuration that approves ``ca``."""
    signer_ca = CertificateAuthority.create("Bench Configuration CA")
    conf_key = ec.generate_private_key(ec.SECP256R1())
    conf_cert = signer_ca.issue(common_name("bench configuration signer"), conf_key.public_key())
    conf = build(
        "KG",
        1,
        members=[Member(MEMBER.member_class, MEMBER.member_code, "Bench member")],
        gateways=[],
        approved_cas=[ApprovedCa("Bench CA", certificate_to_pem(ca.certificate).decode())],
        now=datetime.now(UTC),
    )
    (directory / CACHE_FILE).write_bytes(sign(encode(conf), conf_key, conf_cert).to_bytes())
    anchor = ConfigurationAnchor("KG", [certificate_to_pem(conf_cert)])
    return ConfigurationClient("http://127.0.0.1:9/unused", anchor, directory)


def per_message(seconds: float, messages: int) -> float:
    """Microseconds per message."""
    return seconds / messages * 1e6


def timed(fn: Callable[[], None]) -> float:
    """Seconds ``fn`` takes."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def measure(
    signer: BatchSigner, client: ConfigurationClient, batch: int, messages: int
) -> tuple[float, float]:
    """Microseconds per message to sign, and to verify, ``messages`` in batches of ``batch``."""
    digests = [os.urandom(32) for _ in range(messages)]
    groups = [digests[i : i + batch] for i in range(0, messages, batch)]
    signatures: list[MessageSignature] = []
    sign_time = timed(lambda: [signatures.extend(signer.sign_batch(group)) for group in groups])
    verifier = SignatureVerifier(client)
    der = signer.certificate_der
    now = datetime.now(UTC)

    def verify_all() -> None:
        for digest, signature in zip(digests, signatures, strict=True):
            verifier.verify(digest, signature, der, member=MEMBER, at=now, side="server")

    verify_time = timed(verify_all)
    return per_message(sign_time, messages), per_message(verify_time, messages)


def best_of(
    rounds: int, signer: BatchSigner, client: ConfigurationClient, batch: int, messages: int
) -> tuple[float, float]:
    """The fastest of ``rounds`` measurements (this machine is shared: the minimum is the cost)."""
    runs = [measure(signer, client, batch, messages) for _ in range(rounds)]
    return min(run[0] for run in runs), min(run[1] for run in runs)


def main() -> None:
    """Measure every batch size in one run and print the ratios to batches of one."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer messages")
    parser.add_argument("--messages", type=int, default=0, help="messages per batch size")
    args, _ = parser.parse_known_args()  # bin/bench passes every script the same flags
    messages = args.messages or (512 if args.quick else 2048)
    messages -= messages % max(BATCH_SIZES)
    ca = CertificateAuthority.create("Bench Signing CA")
    key, certificate = signing_identity(ca)
    signer = BatchSigner(key, certificate)
    with tempfile.TemporaryDirectory(prefix="tunduk-signing-bench-") as directory:
        client = configuration_client(ca, Path(directory))
        measure(signer, client, 1, 64)  # warm up OpenSSL and the caches' code paths
        results = {size: best_of(3, signer, client, size, messages) for size in BATCH_SIZES}
    signer.close()
    base_sign, base_verify = results[1]
    base = base_sign + base_verify
    print(
        f"message signing, {messages} messages per batch size, best of 3, ECDSA P-256"
        " (µs per message)"
    )
    print(f"{'batch':>5} {'sign':>9} {'verify':>9} {'both':>9} {'ratio to batch 1':>17}")
    for size, (signed, verified) in results.items():
        both = signed + verified
        print(f"{size:>5} {signed:>9.1f} {verified:>9.1f} {both:>9.1f} {both / base:>17.3f}")
    header = hashlib.sha256(b"x").digest()
    sample = signer.sign_batch([header] * 64)[0].to_header()
    print(f"Tunduk-Signature at batch 64: {len(sample)} characters")
    der_size = len(certificate.public_bytes(serialization.Encoding.DER))
    print(f"signing certificate: {der_size} bytes DER")


if __name__ == "__main__":
    main()
