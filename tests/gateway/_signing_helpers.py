"""Real certificates and a real configuration client for the signing and wire tests.

:class:`TrustWorld` holds the participants' CA (approved in the configuration), a CA the
configuration does not approve, and the operator's configuration signer (a CA of its
own). :meth:`TrustWorld.client` writes a signed configuration where a gateway keeps its
last good copy and returns the :class:`ConfigurationClient` that loads it: the same
verification path as a downloaded one, without a server.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from tunduk.gateway.signing import BatchSigner, message_digest
from tunduk.globalconf import (
    CACHE_FILE,
    ApprovedCa,
    ConfigurationAnchor,
    ConfigurationClient,
    Member,
    RevokedSerial,
    build,
    encode,
    sign,
)
from tunduk.identifiers import MemberId
from tunduk.trust.ca import CertificateAuthority, certificate_to_pem, common_name
from tunduk.trust.certificates import issue_from_csr
from tunduk.trust.csr import ExpectedSubject, load_csr, make_csr, subject_name
from tunduk.trust.profiles import CertificateProfile

POPULATION = MemberId("KG", "GOV", "70000001")
SOCIAL_FUND = MemberId("KG", "GOV", "70000004")


@dataclass(frozen=True)
class Holder:
    """A member's signing key and certificate."""

    member: MemberId
    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    def signer(self, max_batch: int = 256) -> BatchSigner:
        """A batch signer with this key."""
        return BatchSigner(self.key, self.certificate, max_batch=max_batch)


def issue(
    ca: CertificateAuthority,
    member: MemberId,
    *,
    profile: CertificateProfile = CertificateProfile.SIGNING,
) -> Holder:
    """A key and a ``profile`` certificate of ``member`` issued by ``ca`` from a real CSR."""
    key = ec.generate_private_key(ec.SECP256R1())
    expected = ExpectedSubject(
        member.instance,
        member.member_class,
        member.member_code,
        server_code="ss1" if profile is CertificateProfile.AUTHENTICATION else None,
    )
    csr = load_csr(make_csr(key, subject_name(expected, profile)))
    certificate = issue_from_csr(ca, csr, profile=profile, expected=expected)
    return Holder(member, key, certificate)


class TrustWorld:
    """The approved CA, an unapproved one, the configuration signer, and clients."""

    def __init__(self) -> None:
        self.ca = CertificateAuthority.create("Tunduk Signing-Test Root CA")
        self.rogue_ca = CertificateAuthority.create("Tunduk Signing-Test Root CA")
        signer_ca = CertificateAuthority.create("Tunduk Signing-Test Configuration CA")
        self.conf_key = ec.generate_private_key(ec.SECP256R1())
        self.conf_certificate = signer_ca.issue(
            common_name("configuration signer"), self.conf_key.public_key()
        )
        self.revoked: list[RevokedSerial] = []

    def revoke(self, certificate: x509.Certificate, at: datetime) -> None:
        """List ``certificate`` as revoked at ``at`` in the next configurations."""
        self.revoked.append(
            RevokedSerial(f"{certificate.serial_number:x}", at.replace(microsecond=0))
        )

    def approved(self, now: datetime) -> list[ApprovedCa]:
        """The approved CAs of a configuration made at ``now``: the participants' CA with
        the revocations known by then."""
        pem = certificate_to_pem(self.ca.certificate).decode("ascii")
        known = [entry for entry in self.revoked if entry.revoked_at <= now]
        return [ApprovedCa("Test CA", pem, revoked=known)]

    def client(
        self, directory: Path, *, now: datetime | None = None, version: int = 1
    ) -> ConfigurationClient:
        """A configuration client holding a configuration signed at ``now``."""
        generated = now or datetime.now(UTC)
        conf = build(
            "KG",
            version,
            members=[
                Member(POPULATION.member_class, POPULATION.member_code, "Population registry"),
                Member(SOCIAL_FUND.member_class, SOCIAL_FUND.member_code, "Social fund"),
            ],
            gateways=[],
            approved_cas=self.approved(generated.replace(microsecond=0)),
            now=generated,
        )
        signed = sign(encode(conf), self.conf_key, self.conf_certificate)
        directory.mkdir(parents=True, exist_ok=True)
        (directory / CACHE_FILE).write_bytes(signed.to_bytes())
        anchor = ConfigurationAnchor("KG", [certificate_to_pem(self.conf_certificate)])
        return ConfigurationClient("http://127.0.0.1:9/unused", anchor, directory)


def sample_fields(**changes: object) -> dict[str, object]:
    """The fields of a sample request digest, with ``changes`` applied."""
    fields: dict[str, object] = {
        "kind": "request",
        "message_id": "4f1c5a52-6b7e-4d5e-9a43-0e2b8d1f7a10",
        "request_id": "b3e0d0b6-7c1a-4f09-8f6e-2d5a9c3e1b44",
        "client": "KG/GOV/70000004/pension-accounts",
        "service": "KG/GOV/70000001/population/person-by-pin",
        "method": "GET",
        "path": "/22001199000123",
        "query": "fields=name",
        "headers": [("Accept", "application/json"), ("X-Road-UserId", "KG22001199000123")],
        "body_sha256": hashlib.sha256(b"").digest(),
    }
    fields.update(changes)
    return fields


def sample_digest(**changes: object) -> bytes:
    """:func:`message_digest` of :func:`sample_fields`."""
    return message_digest(**sample_fields(**changes))  # type: ignore[arg-type]


def moment(days: float = 0) -> datetime:
    """Now plus ``days``, in UTC."""
    return datetime.now(UTC) + timedelta(days=days)
