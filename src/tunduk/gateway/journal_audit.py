"""Re-verify a gateway's journal from its database alone: no Django, no central.

:func:`verify_journal` re-reads every leaf and subtree hash (``tunduk.journal.verify_log``),
checks that every leaf is a canonical :class:`~tunduk.gateway.leaf.MessageLeaf`, that every
body still stored matches its leaf's salted commitment and message id, that every
checkpoint is signed by the journal key (and its RFC 3161 token verifies against the
approved TSAs, when given), and that every checkpoint after the first carries at least
one peer cosignature that verifies with the cosigner key the peer bound to its signing
certificate. Erased bodies are not failures: their leaves and commitments stay.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509

from tunduk.globalconf import (
    CACHE_FILE,
    ApprovedCa,
    ConfigurationAnchor,
    GlobalConfiguration,
    GlobalConfigurationError,
    SignedConfiguration,
    decode,
    verify,
)
from tunduk.identifiers import parse_server
from tunduk.journal import (
    JournalError,
    NoteError,
    NoteVerifier,
    Verifier,
    VerifyReport,
    open_checkpoint,
    verify_log,
)
from tunduk.journal.timestamp import verify_timestamp

from ._sigcheck import Refused, check_signer_profile, issuing_ca
from .config import GatewayConfig
from .keys import journal_origin
from .leaf import body_commitment, check_note_key_binding, decode_leaf
from .messagelog import MessageLog

__all__ = [
    "JournalAudit",
    "TrustMaterial",
    "trust_material",
    "verify_gateway_journal",
    "verify_journal",
]

CONFIGURATIONS_DIR = "configurations"
"""Under ``data_dir``: every accepted signed configuration (kept by the runtime)."""

CertificateCheck = Callable[[x509.Certificate, str], None]
"""Raises when a peer's signing certificate is not valid for that peer (ServerId string)."""


@dataclass
class JournalAudit:
    """What :func:`verify_journal` found; ``failures`` lists every finding in plain words."""

    log: VerifyReport
    bodies_checked: int = 0
    bodies_erased: int = 0
    cosignatures_checked: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the whole journal holds."""
        return self.log.ok and not self.failures

    def all_failures(self) -> list[str]:
        """The log's findings then the gateway's own, one line each."""
        return [str(f) for f in self.log.failures] + self.failures


def _check_entry(index: int, entry: bytes) -> None:
    decode_leaf(entry)


def _timestamp_check(roots: Sequence[bytes]) -> Callable[[bytes, bytes], object]:
    def check(body: bytes, token: bytes) -> object:
        return verify_timestamp(token, body, roots=roots)

    return check


def _stored_rows(journal: MessageLog, batch: int = 1000) -> Iterator[tuple[Any, ...]]:
    """Every ``stored_messages`` row in index order, a batch at a time (bodies are large)."""
    conn, start = journal.reader_connection(), -1
    while True:
        rows = journal.database.query(
            conn,
            "SELECT idx, message_id, salt, body FROM stored_messages WHERE idx > ? "
            "ORDER BY idx LIMIT ?",
            (start, batch),
        )
        yield from rows
        if len(rows) < batch:
            return
        start = int(rows[-1][0])


def _check_bodies(journal: MessageLog, audit: JournalAudit) -> None:
    size = journal.log.size()
    for idx, message_id, salt, body in _stored_rows(journal):
        index = int(idx)
        if index >= size:
            audit.failures.append(f"message {index}: stored beyond the log's size {size}")
            continue
        try:
            leaf = decode_leaf(journal.log.entry(index))
        except JournalError as error:
            audit.failures.append(f"message {index}: {error}")
            continue
        if leaf.message_id != message_id:
            audit.failures.append(f"message {index}: stored under another message id")
        if salt is None or body is None:
            audit.bodies_erased += 1
            continue
        audit.bodies_checked += 1
        try:
            matches = body_commitment(bytes(salt), bytes(body)) == leaf.body_commitment
        except JournalError:
            matches = False
        if not matches:
            audit.failures.append(
                f"message {index}: the stored body does not match the leaf's commitment"
            )


def _check_cosignatures(
    journal: MessageLog,
    audit: JournalAudit,
    verifiers: list[NoteVerifier],
    certificate_check: CertificateCheck | None,
    require_cosignature: bool,
    require_timestamp: bool,
) -> None:
    for number, stored in enumerate(journal.log.storage.checkpoints()):
        if require_timestamp and stored.timestamp_token is None:
            audit.failures.append(f"checkpoint {stored.tree_size}: it has no time-stamp")
        valid = 0
        for cosig in journal.cosignatures(stored.tree_size):
            where = f"checkpoint {stored.tree_size}: cosignature by {cosig.peer}"
            try:
                certificate = x509.load_der_x509_certificate(cosig.signing_certificate)
                if certificate_check is not None:
                    certificate_check(certificate, cosig.peer)
                vkey = check_note_key_binding(cosig.key_binding, certificate)
                if vkey != cosig.cosigner_key:
                    raise JournalError("the stored cosigner key is not the bound one")
                witness = Verifier.from_key(vkey)
                note = stored.note + cosig.signature_line
                signed = open_checkpoint(note, verifiers, origin=journal.origin)
                found = signed.note.signature_by(witness)
                if found is None or not witness.verify(signed.note.text.encode(), found.signature):
                    raise JournalError("the cosignature does not verify")
            except (JournalError, ValueError) as error:
                audit.failures.append(f"{where}: {error}")
                continue
            valid += 1
            audit.cosignatures_checked += 1
        if require_cosignature and number > 0 and valid == 0:
            audit.failures.append(f"checkpoint {stored.tree_size}: no peer cosigned it")


def verify_journal(
    journal: MessageLog,
    journal_keys: Iterable[NoteVerifier],
    *,
    tsa_roots: Sequence[bytes] | None = None,
    certificate_check: CertificateCheck | None = None,
    require_cosignature: bool = False,
    require_timestamp: bool = False,
    progress: Callable[[int, int], None] | None = None,
    max_failures: int = 20,
) -> JournalAudit:
    """Verify ``journal`` completely; return what holds and what does not.

    ``journal_keys`` are the journal's note verifier keys; ``tsa_roots`` the approved TSAs'
    certificates (then every stored time-stamp must verify); ``certificate_check`` judges
    each cosigning peer's signing certificate (approved CA, right member). With
    ``require_cosignature`` every checkpoint after the first needs a valid peer
    cosignature; with ``require_timestamp`` every checkpoint needs a time-stamp.
    """
    verifiers = list(journal_keys)
    report = verify_log(
        journal.log.storage,
        verifiers,
        origin=journal.origin,
        progress=progress,
        entry_check=_check_entry,
        timestamp_verifier=None if tsa_roots is None else _timestamp_check(tsa_roots),
        max_failures=max_failures,
    )
    audit = JournalAudit(report)
    _check_bodies(journal, audit)
    _check_cosignatures(
        journal, audit, verifiers, certificate_check, require_cosignature, require_timestamp
    )
    return audit


@dataclass(frozen=True)
class TrustMaterial:
    """What an audit of one gateway's journal trusts, all read from the gateway's files."""

    journal_key: Verifier
    approved_cas: list[ApprovedCa]
    tsa_roots: list[bytes]
    findings: list[str]


def _kept_configurations(
    config: GatewayConfig, anchor: ConfigurationAnchor
) -> tuple[list[GlobalConfiguration], list[str]]:
    """Every signed configuration the gateway kept that verifies against the anchor."""
    files = sorted((config.data_dir / CONFIGURATIONS_DIR).glob("*.json"))
    cache = config.data_dir / "globalconf" / CACHE_FILE
    if cache.exists():
        files.append(cache)
    confs: list[GlobalConfiguration] = []
    findings: list[str] = []
    for path in files:
        try:
            signed = SignedConfiguration.from_bytes(path.read_bytes())
            generated_at = decode(signed.document).generated_at
            confs.append(verify(signed, anchor, now=generated_at))
        except (GlobalConfigurationError, OSError, ValueError) as error:
            findings.append(f"configuration {path.name}: does not verify: {error}")
    return confs, findings


def trust_material(config: GatewayConfig, journal_key: str | None = None) -> TrustMaterial:
    """Read the journal key (``journal.vkey`` unless given) and the kept configurations.

    When ``journal.binding`` and ``sign.crt`` exist, the binding must hold for the key.
    Raises :class:`JournalError` when the key or the anchor cannot be read.
    """
    try:
        anchor = ConfigurationAnchor.from_bytes(config.anchor.read_bytes())
        vkey = journal_key or (config.keys_dir / "journal.vkey").read_text().strip()
        verifier = Verifier.from_key(vkey)
    except (OSError, GlobalConfigurationError, NoteError) as error:
        raise JournalError(f"cannot read the journal key or the anchor: {error}") from error
    confs, findings = _kept_configurations(config, anchor)
    binding, certificate = config.keys_dir / "journal.binding", config.keys_dir / "sign.crt"
    if binding.exists() and certificate.exists():
        try:
            cert = x509.load_pem_x509_certificate(certificate.read_bytes())
            if check_note_key_binding(binding.read_bytes(), cert) != verifier.to_key():
                findings.append("journal.binding binds another key than the journal's")
        except (JournalError, ValueError) as error:
            findings.append(f"journal.binding: {error}")
    cas = {ca.certificate_pem: ca for conf in confs for ca in conf.approved_cas}
    roots = {tsa.certificate_pem for conf in confs for tsa in conf.approved_tsas}
    return TrustMaterial(
        verifier, list(cas.values()), [r.encode("ascii") for r in sorted(roots)], findings
    )


def _peer_check(cas: list[ApprovedCa]) -> CertificateCheck:
    def check(certificate: x509.Certificate, peer: str) -> None:
        try:
            check_signer_profile(certificate, parse_server(peer).member)
            issuing_ca(certificate, cas)
        except (Refused, ValueError) as error:
            raise JournalError(str(error)) from error

    return check


def verify_gateway_journal(
    config: GatewayConfig,
    *,
    journal_key: str | None = None,
    require_cosignature: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> JournalAudit:
    """Verify the journal of the gateway configured by ``config``, from its files alone.

    Time-stamps are required when ``journal.tsa_url`` is set and checked against the
    approved TSAs of every configuration the gateway kept (verified with the anchor);
    cosigners' certificates must come from an approved CA and belong to the peer's member.
    """
    trust = trust_material(config, journal_key)
    path = config.journal_url.removeprefix("sqlite://")
    if config.journal_url.startswith("sqlite://") and not Path(path).is_file():
        raise JournalError(f"there is no journal at {path}")
    with MessageLog.open(config.journal_url, journal_origin(config.server)) as journal:
        audit = verify_journal(
            journal,
            [trust.journal_key],
            tsa_roots=trust.tsa_roots if config.tsa_url else None,
            certificate_check=_peer_check(trust.approved_cas),
            require_cosignature=require_cosignature,
            require_timestamp=config.tsa_url is not None,
            progress=progress,
        )
    audit.failures[:0] = trust.findings
    return audit
