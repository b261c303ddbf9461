"""Evidence built from the real libraries: a CA, a TSA, a signed global configuration, two
members' signing keys, a journal with its checkpoint, the peer's cosignature and a token.

:func:`make_world` builds the parties once; :func:`make_case` journals one exchange in the
social fund's (the client's) gateway journal and gathers its evidence as export would.
Attack tests change one piece of a :class:`Case` and assemble it again.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from tunduk.gateway._evidence_assemble import Direction, Gathered, assemble
from tunduk.gateway._evidence_message import encode_headers
from tunduk.gateway.leaf import (
    MessageLeaf,
    bind_note_key,
    body_commitment,
    encode_leaf,
    gateway_origin,
    new_salt,
)
from tunduk.gateway.signing import BatchSigner, message_digest
from tunduk.globalconf import (
    ApprovedCa,
    ApprovedTsa,
    ConfigurationAnchor,
    Gateway,
    Member,
    RevokedSerial,
    SignedConfiguration,
    Subsystem,
    build,
    encode,
    sign,
)
from tunduk.identifiers import MemberId, ServerId
from tunduk.journal import Log, MemoryStorage, Signer, add_signatures, generate_cosigner
from tunduk.journal import generate_signer as generate_note_signer
from tunduk.trust.ca import CertificateAuthority, certificate_to_pem, common_name
from tunduk.trust.certificates import issue_from_csr
from tunduk.trust.csr import ExpectedSubject, make_csr
from tunduk.trust.profiles import CertificateProfile
from tunduk.trust.tsa import TimeStampAuthority

CLIENT = MemberId("KG", "GOV", "70000004")
PROVIDER = MemberId("KG", "GOV", "70000001")
CLIENT_SUBSYSTEM = "KG/GOV/70000004/pension-accounts"
SERVICE = "KG/GOV/70000001/population/person-by-pin"


@dataclass
class Party:
    """A member's gateway: its signing key and certificate, note keys and bindings."""

    member: MemberId
    server: ServerId
    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate
    journal_signer: Signer
    cosigner: Signer

    @property
    def origin(self) -> str:
        return gateway_origin(self.server)

    def journal_binding(self) -> bytes:
        return bind_note_key(self.key, self.journal_signer.verifier().to_key(), self.origin)

    def cosign_binding(self) -> bytes:
        return bind_note_key(self.key, self.cosigner.verifier().to_key(), self.origin)


@dataclass
class World:
    """The CA, the TSA, the configuration signer and anchor, and the two parties."""

    ca: CertificateAuthority
    tsa: TimeStampAuthority
    conf_key: ec.EllipticCurvePrivateKey
    conf_certificate: x509.Certificate
    client: Party
    provider: Party
    extra_cas: list[CertificateAuthority] = field(default_factory=list)

    @property
    def anchor(self) -> ConfigurationAnchor:
        return ConfigurationAnchor("KG", [certificate_to_pem(self.conf_certificate)])

    def configuration(
        self,
        *,
        now: datetime | None = None,
        tsas: bool = True,
        revoked: list[RevokedSerial] | None = None,
    ) -> bytes:
        """The signed configuration envelope in force ``now`` (default: half a minute ago)."""
        conf = build(
            "KG",
            1,
            members=[
                Member(
                    "GOV",
                    "70000004",
                    "Social fund",
                    subsystems=[Subsystem("pension-accounts", "Pension accounts")],
                ),
                Member(
                    "GOV",
                    "70000001",
                    "Population registry",
                    subsystems=[Subsystem("population", "Population register")],
                ),
            ],
            gateways=[
                Gateway("ss1", "GOV", "70000004", "127.0.0.1:5501", ["ab" * 32]),
                Gateway("ss1", "GOV", "70000001", "127.0.0.1:5502", ["cd" * 32]),
            ],
            approved_cas=[
                ApprovedCa(
                    name,
                    certificate_to_pem(ca.certificate).decode(),
                    revoked=(revoked or []) if ca is self.ca else [],
                )
                for name, ca in [("Tunduk Test CA", self.ca)]
                + [(f"Extra CA {n}", extra) for n, extra in enumerate(self.extra_cas)]
            ],
            approved_tsas=[
                ApprovedTsa("Tunduk Test TSA", "http://127.0.0.1:1/", self.tsa.root_pem.decode())
            ]
            if tsas
            else [],
            now=now or datetime.now(UTC) - timedelta(seconds=30),
        )
        signed: SignedConfiguration = sign(encode(conf), self.conf_key, self.conf_certificate)
        return signed.to_bytes()


def signing_certificate(
    ca: CertificateAuthority, member: MemberId, key: ec.EllipticCurvePrivateKey
) -> x509.Certificate:
    """A signing certificate for ``member`` as the Catalog would issue it from a CSR."""
    expected = ExpectedSubject.for_member(member)
    csr = x509.load_pem_x509_csr(
        make_csr(
            key,
            {
                "C": "KG",
                "O": member.member_class,
                "serialNumber": f"{member.member_class}/{member.member_code}",
                "CN": member.member_code,
            },
        )
    )
    return issue_from_csr(ca, csr, profile=CertificateProfile.SIGNING, expected=expected)


def make_party(ca: CertificateAuthority, member: MemberId, server_code: str) -> Party:
    key = ec.generate_private_key(ec.SECP256R1())
    server = member.server(server_code)
    origin = gateway_origin(server)
    return Party(
        member,
        server,
        key,
        signing_certificate(ca, member, key),
        generate_note_signer(origin),
        generate_cosigner(origin),
    )


def make_world() -> World:
    ca = CertificateAuthority.create("Tunduk Test CA")
    signer_ca = CertificateAuthority.create("Tunduk Test Configuration-Signing CA")
    conf_key = ec.generate_private_key(ec.SECP256R1())
    conf_certificate = signer_ca.issue(
        common_name("Tunduk configuration signer"), conf_key.public_key()
    )
    return World(
        ca,
        TimeStampAuthority.create(),
        conf_key,
        conf_certificate,
        make_party(ca, CLIENT, "ss1"),
        make_party(ca, PROVIDER, "ss1"),
    )


@dataclass
class Case:
    """One exchange's evidence, gathered, with the journal it came from."""

    world: World
    gathered: Gathered
    log: Log
    note: str
    indexes: dict[str, int]

    def container(self) -> bytes:
        return assemble(self.gathered)

    def with_(self, **changes: object) -> Case:
        return replace(self, gathered=replace(self.gathered, **changes))  # type: ignore[arg-type]


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


REQUEST_HEADERS = [("Accept", "application/json"), ("X-Road-UserId", "KG12345678901234")]
RESPONSE_HEADERS = [("Content-Type", "application/json")]
REQUEST_HASH = base64.b64encode(hashlib.sha512(b"the request").digest()).decode()


def _leaf(
    kind: str,
    message_id: str,
    request_id: str,
    headers: list[tuple[str, str]],
    body: bytes,
    salt: bytes,
    signer: BatchSigner,
    status: int | None,
) -> tuple[MessageLeaf, str]:
    digest = message_digest(
        kind=kind,  # type: ignore[arg-type]
        message_id=message_id,
        request_id=request_id,
        client=CLIENT_SUBSYSTEM,
        service=SERVICE,
        method="GET",
        path="/22001199000123",
        query="full=1",
        headers=headers,
        body_sha256=hashlib.sha256(body).digest(),
        status=status,
        request_hash=REQUEST_HASH if kind == "response" else None,
    )
    signature = signer.sign_batch([digest])[0].to_header()
    leaf = MessageLeaf(
        kind=kind,  # type: ignore[arg-type]
        side="client",
        message_id=message_id,
        request_id=request_id,
        client=CLIENT_SUBSYSTEM,
        service=SERVICE,
        method="GET",
        path="/22001199000123",
        query="full=1",
        status=status,
        received_at=_now(),
        digest=base64.b64encode(digest).decode(),
        signature=signature,
        signer_certificate_sha256=hashlib.sha256(signer.certificate_der).hexdigest(),
        body_commitment=body_commitment(salt, body),
    )
    return leaf, signature


def make_case(
    world: World,
    *,
    message_id: str | None = None,
    filler: int = 5,
    provider_key: ec.EllipticCurvePrivateKey | None = None,
    provider_certificate: x509.Certificate | None = None,
    tsa: TimeStampAuthority | None = None,
) -> Case:
    """The social fund asks the population registry; its gateway journals both directions.

    ``provider_key`` and ``provider_certificate`` replace the provider's signing key (an
    attacker's); ``tsa`` replaces the time-stamping authority.
    """
    message_id = message_id or str(uuid.uuid4())
    request_id = str(uuid.uuid4())
    log = Log(MemoryStorage(), origin=world.client.origin)
    log.append_many([b'{"filler":%d}' % n for n in range(filler)])
    client_signer = BatchSigner(world.client.key, world.client.certificate)
    provider_signer = BatchSigner(
        provider_key or world.provider.key, provider_certificate or world.provider.certificate
    )
    directions = {}
    indexes = {}
    for kind, headers, body, signer, status in [
        ("request", REQUEST_HEADERS, b"", client_signer, None),
        (
            "response",
            RESPONSE_HEADERS,
            b'{"pin":"22001199000123","name":"Asel"}',
            provider_signer,
            200,
        ),
    ]:
        salt = new_salt()
        leaf, signature = _leaf(kind, message_id, request_id, headers, body, salt, signer, status)
        indexes[kind] = log.append(encode_leaf(leaf))
        directions[kind] = (headers, body, salt, encode_leaf(leaf), signature, signer.certificate)
    log.append(b'{"filler":"after"}')
    note = log.sign_checkpoint(world.client.journal_signer, store=False)
    note = add_signatures(note, world.provider.cosigner)
    body_text = note.split("\n\n")[0] + "\n"
    token = (tsa or world.tsa).timestamp(body_text.encode())
    gathered = Gathered(
        message_id=message_id,
        request=_direction(log, note, indexes["request"], directions["request"]),
        response=_direction(log, note, indexes["response"], directions["response"]),
        ca_certificates=[world.ca.certificate],
        configuration=world.configuration(),
        journal_binding=world.client.journal_binding(),
        cosigner_bindings=[world.provider.cosign_binding()],
        timestamp=token,
        request_hash=REQUEST_HASH,
    )
    return Case(world, gathered, log, note, indexes)


def _direction(log: Log, note: str, index: int, parts: tuple) -> Direction:  # type: ignore[type-arg]
    headers, body, salt, leaf, signature, certificate = parts
    return Direction(
        headers=encode_headers(headers),
        body=body,
        salt=salt,
        leaf=leaf,
        signature=signature,
        signer=certificate,
        proof=log.tlog_proof(index, note),
    )
