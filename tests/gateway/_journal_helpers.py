"""Helpers for the gateway journal tests: leaves, signing certificates, PostgreSQL URLs.

PostgreSQL: the tests use ``TUNDUK_TEST_POSTGRES_URL``, or ``DATABASE_URL`` when it
names PostgreSQL (``bin/test-postgres`` sets it); with neither, the PostgreSQL variants
are skipped so ``make test`` stays on SQLite. Each test gets a fresh schema in a
throwaway database made from that URL's server.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from tunduk.gateway.leaf import MessageLeaf, StoredMessage, body_commitment, new_salt
from tunduk.globalconf import (
    CACHE_FILE,
    ApprovedCa,
    ApprovedTsa,
    ConfigurationAnchor,
    ConfigurationClient,
    Member,
    SignedConfiguration,
    build,
    encode,
    sign,
)
from tunduk.identifiers import MemberId, ServerId
from tunduk.trust import CertificateAuthority, CertificateProfile, ExpectedSubject
from tunduk.trust.ca import certificate_to_pem, common_name
from tunduk.trust.certificates import issue_from_csr, make_csr, subject_name, validate_csr

SIGN = CertificateProfile.SIGNING
CLIENT_MEMBER = MemberId("KG", "GOV", "70000004")
PROVIDER_MEMBER = MemberId("KG", "GOV", "70000001")
CLIENT_SERVER = ServerId(CLIENT_MEMBER, "ss1")
PROVIDER_SERVER = ServerId(PROVIDER_MEMBER, "ss1")
OTHER_MEMBER = MemberId("KG", "COM", "12345678")
OTHER_SERVER = ServerId(OTHER_MEMBER, "ss1")


def now_rfc3339() -> str:
    """Return the current UTC time as a leaf's ``received_at``."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def make_message(body: bytes = b'{"pin": "22001199000123"}') -> StoredMessage:
    """Return a stored message with a fresh salt."""
    return StoredMessage(new_salt(), b"content-type: application/json\r\n", body)


def make_leaf(
    stored: StoredMessage, *, message_id: str | None = None, kind: str = "request"
) -> MessageLeaf:
    """Return a signed-looking request leaf committing to ``stored``'s body."""
    return MessageLeaf(
        kind=kind,  # type: ignore[arg-type]
        side="client",
        message_id=message_id or secrets.token_hex(8),
        request_id=secrets.token_hex(8),
        client="KG/GOV/70000004/pension-accounts",
        service="KG/GOV/70000001/population/person-by-pin",
        method="GET",
        path="/r1/KG/GOV/70000001/population/person-by-pin/22001199000123",
        query="",
        status=200 if kind == "response" else None,
        received_at=now_rfc3339(),
        digest=base64.b64encode(hashlib.sha256(stored.body).digest()).decode(),
        signature="sig-header-value",
        signer_certificate_sha256=hashlib.sha256(b"certificate").hexdigest(),
        body_commitment=body_commitment(stored.salt, stored.body),
    )


@dataclass(frozen=True)
class SigningIdentity:
    """A member's signing key and the certificate an approved CA issued for it."""

    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate


def issue_signing(ca: CertificateAuthority, member: MemberId) -> SigningIdentity:
    """Issue a signing certificate for ``member`` from ``ca`` through a real CSR."""
    key = ec.generate_private_key(ec.SECP256R1())
    expected = ExpectedSubject.for_member(member)
    csr = validate_csr(make_csr(key, subject_name(expected, SIGN)), profile=SIGN, expected=expected)
    return SigningIdentity(key, issue_from_csr(ca, csr, profile=SIGN, expected=expected))


def postgres_url() -> str | None:
    """Return the PostgreSQL server URL to test against, or None to skip."""
    url = os.environ.get("TUNDUK_TEST_POSTGRES_URL") or os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def with_database(url: str, name: str, *, schema: str | None = None) -> str:
    """Return ``url`` pointing at database ``name`` (and ``schema`` as search path)."""
    parts = urlsplit(url)
    query = f"options={quote(f'-c search_path={schema}')}" if schema else ""
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, query, ""))


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """Create a throwaway database for the session; yield its URL (skip without PG)."""
    url = postgres_url()
    if url is None:
        pytest.skip("no PostgreSQL: set TUNDUK_TEST_POSTGRES_URL (make test-postgres does)")
    name = f"tunduk_gwjournal_{secrets.token_hex(4)}"
    url = with_database(url, "postgres")  # the maintenance database: the named one may not exist
    with psycopg.connect(url, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield with_database(url, name)
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def fresh_pg_url(server: str) -> str:
    """Return a URL whose search path is a new empty schema in the session database."""
    schema = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    return with_database(server, urlsplit(server).path.lstrip("/"), schema=schema)


def signed_configuration(
    ca: CertificateAuthority, *, tsa_roots: Sequence[bytes] = ()
) -> tuple[SignedConfiguration, ConfigurationAnchor]:
    """A signed configuration approving ``ca`` (and TSAs), with the anchor that trusts it."""
    signer_ca = CertificateAuthority.create("Tunduk Test Configuration-Signing CA")
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = signer_ca.issue(common_name("configuration signer"), key.public_key())
    members = [
        Member(m.member_class, m.member_code, f"Member {m.member_code}")
        for m in (CLIENT_MEMBER, PROVIDER_MEMBER, OTHER_MEMBER)
    ]
    conf = build(
        "KG",
        1,
        members=members,
        gateways=[],
        approved_cas=[ApprovedCa("Test CA", ca.certificate_pem.decode("ascii"))],
        approved_tsas=[
            ApprovedTsa(f"TSA {i}", "http://127.0.0.1:9/", pem.decode("ascii"))
            for i, pem in enumerate(tsa_roots)
        ],
        now=datetime.now(UTC) - timedelta(minutes=1),
    )
    anchor = ConfigurationAnchor("KG", [certificate_to_pem(certificate)])
    return sign(encode(conf), key, certificate), anchor


def configuration_client(
    directory: Path,
    ca: CertificateAuthority,
    *,
    tsa_roots: Sequence[bytes] = (),
) -> ConfigurationClient:
    """A configuration client holding a signed configuration that approves ``ca``.

    The signed envelope is placed in the client's cache, so no download is needed.
    """
    signed, anchor = signed_configuration(ca, tsa_roots=tsa_roots)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / CACHE_FILE).write_bytes(signed.to_bytes())
    return ConfigurationClient("http://127.0.0.1:9/", anchor, directory)
