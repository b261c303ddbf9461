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

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from cryptography import x509

from tunduk.journal import (
    JournalError,
    NoteVerifier,
    Verifier,
    VerifyReport,
    open_checkpoint,
    verify_log,
)
from tunduk.journal.timestamp import verify_timestamp

from .leaf import body_commitment, check_note_key_binding, decode_leaf
from .messagelog import MessageLog

__all__ = ["JournalAudit", "verify_journal"]

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


def _check_bodies(journal: MessageLog, audit: JournalAudit) -> None:
    conn = journal.reader_connection()
    rows = journal.database.query(
        conn, "SELECT idx, message_id, salt, body FROM stored_messages ORDER BY idx"
    )
    size = journal.log.size()
    for idx, message_id, salt, body in rows:
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
