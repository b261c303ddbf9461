"""Verifying an evidence container offline: every check in order, each with its name."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from tunduk.globalconf import MAX_CLOCK_SKEW, ConfigurationAnchor, GlobalConfiguration
from tunduk.identifiers import (
    IdentifierError,
    MemberId,
    parse_client,
    parse_server,
    parse_service,
)
from tunduk.journal import JournalError, SignedCheckpoint, Verifier

from ._asice import ContainerError, ContainerLimits, ManifestError, read_asice
from ._evidence_errors import Check, EvidenceError
from ._evidence_index import Layout, read_index
from ._evidence_journal import check_cosignatures, check_inclusion
from ._evidence_message import (
    KINDS,
    Message,
    check_commitments,
    check_digests,
    check_leaves,
    check_signatures,
    parse_time,
    read_leaves,
)
from ._evidence_report import EvidenceReport, Party, SignerInfo
from ._evidence_trust import (
    CheckedSigner,
    check_configuration,
    check_signer_certificate,
    check_timestamp,
    fingerprint,
    load_pem,
    member_of,
)
from .leaf import (
    KeyBindingError,
    check_note_key_binding,
    note_key_binding_origin,
)

__all__ = ["verify_evidence"]


def _open(data: bytes, limits: ContainerLimits | None) -> tuple[dict[str, bytes], str]:
    try:
        files, media_types = read_asice(data, limits)
    except ManifestError as error:
        raise EvidenceError(Check.MANIFEST, str(error)) from None
    except ContainerError as error:
        raise EvidenceError(Check.CONTAINER, str(error)) from None
    return files, read_index(files, media_types)


def verify_evidence(
    data: bytes, anchor: ConfigurationAnchor, *, limits: ContainerLimits | None = None
) -> EvidenceReport:
    """Check an evidence container against ``anchor`` alone; return what it establishes.

    Raises :class:`EvidenceError` naming the first check that fails (the checks and their
    order are :class:`Check`). Offline: no network, no database, no clock but the
    message's own times.
    """
    stage = _Stage()
    try:
        return _verify(data, anchor, limits, stage)
    except EvidenceError:
        raise
    # Hostile bytes may make a parser raise anything: the check is named, never a trace.
    except Exception as error:
        detail = f"malformed input ({type(error).__name__}: {error})"
        raise EvidenceError(stage.check, detail) from None


class _Stage:
    """The check running now, so an unexpected parser failure is reported under it."""

    check = Check.CONTAINER


def _verify(
    data: bytes, anchor: ConfigurationAnchor, limits: ContainerLimits | None, stage: _Stage
) -> EvidenceReport:
    files, message_id = _open(data, limits)
    stage.check = Check.LEAVES
    message = read_leaves(files, message_id)
    stage.check = Check.CONFIGURATION
    conf = check_configuration(files, anchor, message.received_at)
    stage.check = Check.CERTIFICATES
    signers = _check_certificates(files, message, conf)
    certificates = {kind: signers[kind].certificate for kind in KINDS}
    stage.check = Check.LEAVES
    check_leaves(message, files, {kind: fingerprint(certificates[kind]) for kind in KINDS})
    stage.check = Check.DIGESTS
    digests = check_digests(message, files)
    stage.check = Check.SIGNATURES
    check_signatures(message, digests, certificates, conf.approved_cas)
    stage.check = Check.COMMITMENTS
    erased = check_commitments(message, files)
    stage.check = Check.CHECKPOINT
    held = _check_journal(files, message, certificates, conf, stage)
    return _report(message, conf, signers, erased, held)


def _check_journal(
    files: Mapping[str, bytes],
    message: Message,
    certificates: Mapping[str, x509.Certificate],
    conf: GlobalConfiguration,
    stage: _Stage,
) -> _Held:
    """Inclusion, checkpoint signature, cosignatures and time-stamp."""
    own, peer = _roles(message, certificates)
    binding = files.get(Layout.JOURNAL_BINDING, b"")
    journal_key, origin = _bound_key(binding, own, "journal key")
    stage.check = Check.INCLUSION
    leaves = {kind: files[Layout.leaf(kind)] for kind in KINDS}
    proofs = {kind: files.get(Layout.proof(kind), b"") for kind in KINDS}
    signed, indexes = check_inclusion(proofs, leaves, journal_key, origin)
    stage.check = Check.COSIGNATURES
    cosigned = check_cosignatures(signed, journal_key, _cosigners(files, peer), _member(peer))
    stage.check = Check.TIMESTAMP
    token = files.get(Layout.TIMESTAMP, b"")
    when, tsa = check_timestamp(token, signed.checkpoint.body().encode(), conf)
    if when < message.received_at - MAX_CLOCK_SKEW:
        raise EvidenceError(
            Check.TIMESTAMP,
            f"the time-stamp ({when}) is earlier than the message ({message.received_at}):"
            " a checkpoint cannot hold a message received after it",
        )
    return _Held(origin, signed, indexes, cosigned, when, tsa)


def _check_certificates(
    files: Mapping[str, bytes], message: Message, conf: GlobalConfiguration
) -> dict[str, CheckedSigner]:
    """Each sender's certificate is approved for its member; the CA files are their CAs."""
    members = {"request": message.client_member, "response": message.provider_member}
    signers = {}
    for kind in KINDS:
        data = files.get(Layout.signer(kind))
        if data is None:
            raise EvidenceError(Check.CERTIFICATES, f"the container has no {Layout.signer(kind)}")
        certificate = load_pem(data, Layout.signer(kind), Check.CERTIFICATES)
        signers[kind] = check_signer_certificate(
            certificate,
            conf,
            member=str(members[kind]),
            at=_time(message, kind),
            what=f"the {kind} signer's certificate",
        )
    expected = {s.ca_certificate.public_bytes(Encoding.PEM) for s in signers.values()}
    given = {files[name] for name in files if name.startswith("certificates/")}
    if given != expected or len(given) != sum(n.startswith("certificates/") for n in files):
        raise EvidenceError(
            Check.CERTIFICATES,
            "the certificates/ files are not exactly the CA certificates that issued the"
            " signers' certificates",
        )
    return signers


def _time(message: Message, kind: str) -> datetime:
    return parse_time(message.leaves[kind].received_at)


def _member(certificate: x509.Certificate) -> str:
    return member_of(certificate)


def _roles(
    message: Message, certificates: Mapping[str, x509.Certificate]
) -> tuple[x509.Certificate, x509.Certificate]:
    """(the exporting gateway's signing certificate, the peer's)."""
    if message.request.side == "client":
        return certificates["request"], certificates["response"]
    return certificates["response"], certificates["request"]


def _bound_key(binding: bytes, owner: x509.Certificate, what: str) -> tuple[Verifier, str]:
    """The note key ``owner``'s signing key bound, and the origin, which must be a gateway
    of the same member."""
    check = Check.CHECKPOINT if what == "journal key" else Check.COSIGNATURES
    try:
        _check_canonical_binding(binding)
        origin = note_key_binding_origin(binding)
        vkey = check_note_key_binding(binding, owner)
        key = Verifier.from_key(vkey)
    except (KeyBindingError, JournalError) as error:
        raise EvidenceError(check, f"the {what} binding: {error}") from None
    member = _member(owner)
    if not _is_gateway_of(origin, member):
        raise EvidenceError(
            check, f"the {what} binding names {origin!r}, not a gateway of {member}"
        )
    return key, origin


def _is_gateway_of(origin: str, member: str) -> bool:
    """Whether ``origin`` ends in the identifier of one of ``member``'s gateways."""
    try:
        server = parse_server(_gateway_name(origin))
    except IdentifierError:
        return False
    return str(server.member) == member


def _cosigners(files: Mapping[str, bytes], peer: x509.Certificate) -> list[tuple[Verifier, str]]:
    """The cosigner keys bound by the peer (each binding must be the peer's)."""
    names = sorted(name for name in files if name.startswith("journal/cosigner-"))
    return [(_bound_key(files[name], peer, "cosigner key")[0], _member(peer)) for name in names]


def _check_canonical_binding(binding: bytes) -> None:
    """The signature line must be canonical base64 (spare bits would hide a changed byte)."""
    lines = binding.split(b"\n")
    if len(lines) < 2:
        raise KeyBindingError("a key binding ends with its signature line")
    try:
        raw = base64.b64decode(lines[-2], validate=True)
    except ValueError:
        raise KeyBindingError("the key binding's signature is not base64") from None
    if base64.b64encode(raw) != lines[-2]:
        raise KeyBindingError("the key binding's signature is not canonical base64")


def _party(conf: GlobalConfiguration, identifier: str, member: MemberId, subsystem: str) -> Party:
    """An identifier with the member and subsystem names the configuration gives it."""
    for entry in conf.members:
        if (entry.member_class, entry.member_code) == (member.member_class, member.member_code):
            names = {s.subsystem_code: s.name for s in entry.subsystems}
            return Party(identifier, entry.name, names.get(subsystem, ""))
    return Party(identifier, "", "")


def _parties(message: Message, conf: GlobalConfiguration) -> tuple[Party, Party]:
    """The client and the service, named as the configuration names them."""
    request = message.request
    client = parse_client(request.client)
    subsystem = "" if isinstance(client, MemberId) else client.subsystem_code
    service = parse_service(request.service).subsystem.subsystem_code
    return (
        _party(conf, request.client, message.client_member, subsystem),
        _party(conf, request.service, message.provider_member, service),
    )


def _signer(checked: CheckedSigner) -> SignerInfo:
    certificate = checked.certificate
    return SignerInfo(
        member_of(certificate),
        certificate.subject.rfc4514_string(),
        f"{certificate.serial_number:x}",
        checked.ca.name,
    )


@dataclass(frozen=True)
class _Held:
    """Where the message is held: journal, checkpoint, leaf indexes, cosignatures, time-stamp."""

    origin: str
    signed: SignedCheckpoint
    indexes: dict[str, int]
    cosigned: list[tuple[str, int]]
    when: datetime
    tsa: str


def _report(
    message: Message,
    conf: GlobalConfiguration,
    signers: Mapping[str, CheckedSigner],
    erased: list[str],
    held: _Held,
) -> EvidenceReport:
    request, response = message.request, message.leaves["response"]
    gateway = _gateway_name(held.origin)
    client, service = _parties(message, conf)
    return EvidenceReport(
        message_id=request.message_id,
        request_id=request.request_id,
        client=client,
        service=service,
        method=request.method,
        path=request.path,
        query=request.query,
        status=response.status,
        exported_by=gateway,
        received=[(kind, gateway, leaf.received_at) for kind, leaf in message.leaves.items()],
        signers={kind: _signer(signers[kind]) for kind in KINDS},
        erased=erased,
        configuration_version=conf.version,
        journal_origin=held.origin,
        checkpoint_size=held.signed.checkpoint.size,
        checkpoint_root=held.signed.checkpoint.root_hash,
        leaf_indexes=held.indexes,
        cosigned_by=held.cosigned,
        timestamp=held.when,
        tsa_name=held.tsa,
        checks=list(Check),
    )


def _gateway_name(origin: str) -> str:
    """The gateway identifier ``INSTANCE/CLASS/CODE/SERVER`` at the end of an origin."""
    return "/".join(origin.replace("%2B", "+").split("/")[-4:])
