"""Gathering one message's evidence from a gateway: its journal, keys and kept configurations.

Runs beside (or instead of) the running gateway: it opens the journal read-mostly, writes
nothing to it, and needs neither central nor the peer.
"""

from __future__ import annotations

import base64
import binascii
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes

from tunduk.globalconf import ConfigurationAnchor, GlobalConfigurationError
from tunduk.identifiers import MemberId, parse_client, parse_service
from tunduk.journal import JournalError, StoredCheckpoint

from . import xroad
from ._errors import GatewayError
from ._evidence_assemble import Direction, Gathered, assemble
from ._evidence_configuration import configuration_at, issuing_cas
from ._evidence_errors import EvidenceError, ExportError, NoCheckpointError
from ._evidence_message import encode_headers, parse_time
from ._evidence_trust import member_of
from ._evidence_verify import verify_evidence
from ._journal_db import JournalDatabase
from ._words import WordedError, say
from .config import GatewayConfig, load_config
from .keys import GatewayKeys, load_keys
from .leaf import MessageLeaf, StoredMessage, bind_note_key
from .messagelog import Cosignature, MessageLog
from .wire import CERTIFICATE, REQUEST_HASH

__all__ = ["ExportError", "export_command", "export_evidence"]

_MAX_STORED_HEADERS = 256 * 1024


Found = tuple[int, MessageLeaf, StoredMessage | None]


@dataclass(frozen=True)
class _Exchange:
    """The message's two leaves in this journal, which one is this gateway's own."""

    found: dict[str, Found]

    @property
    def own_kind(self) -> str:
        """The direction this gateway signed (the client's gateway signs the request)."""
        return "request" if self.found["request"][1].side == "client" else "response"

    @property
    def peer_kind(self) -> str:
        """The direction the peer gateway signed."""
        return "response" if self.own_kind == "request" else "request"

    @property
    def last_index(self) -> int:
        """The larger leaf index: a checkpoint must cover it."""
        return max(index for index, _, _ in self.found.values())


def open_journal(config: GatewayConfig) -> MessageLog:
    """Open the gateway's existing journal under the origin it was created with."""
    if config.journal_url.startswith("sqlite:"):
        path = Path(urlsplit(config.journal_url).path)
        if not path.is_file():
            raise ExportError(
                "the journal %(path)s does not exist (journal.url in %(config)s)",
                path=path,
                config=config.path,
            )
    database = JournalDatabase.from_url(config.journal_url)
    connection = database.connect_reader()
    try:
        rows = database.query(connection, "SELECT value FROM journal_meta WHERE name = 'origin'")
    except Exception as error:  # the database driver's own error types
        raise ExportError(
            "%(url)s is not a gateway journal: %(reason)s", url=config.journal_url, reason=error
        ) from None
    finally:
        connection.close()
    if not rows:
        raise ExportError("%(url)s is not a gateway journal (no origin)", url=config.journal_url)
    return MessageLog(database, str(rows[0][0]))


def _exchange(log: MessageLog, message_id: str) -> _Exchange:
    found: dict[str, Found] = {}
    for index, leaf, stored in log.find(message_id):
        if leaf.error is None and leaf.kind not in found:
            found[leaf.kind] = (index, leaf, stored)
    if "request" not in found:
        raise ExportError(
            "this gateway's journal holds no request of message %(id)s that was exchanged"
            " (a refused message has no evidence to export)"
            if "response" in found
            else "this gateway's journal holds no request and no response of message %(id)s"
            " that was exchanged (a refused message has no evidence to export)",
            id=message_id,
        )
    if "response" not in found:
        raise ExportError(
            "this gateway's journal holds no response of message %(id)s that was exchanged"
            " (a refused message has no evidence to export)",
            id=message_id,
        )
    return _Exchange(found)


def _headers(stored: StoredMessage) -> list[tuple[str, str]]:
    """The header pairs of a stored message: its HTTP/1.1 head as exchanged (start line,
    ``name: value`` lines, ``\\r\\n`` line ends, a blank line)."""
    if len(stored.headers) > _MAX_STORED_HEADERS:
        raise ExportError("the stored headers are larger than any exchange's")
    lines = stored.headers.decode("utf-8", "surrogateescape").split("\r\n")
    pairs = []
    for line in lines[1:]:
        if not line:
            break
        name, _, value = line.partition(":")
        pairs.append((name.strip(), value.strip(" \t")))
    return pairs


def _signed_headers(kind: str, stored: StoredMessage) -> list[tuple[str, str]]:
    """The headers the sender's digest binds (docs/gateway-protocol.md)."""
    pairs = _headers(stored)
    try:
        if kind == "request":
            return xroad.parse_client_headers(pairs, generate_id=False).hashed_headers()
        return list(xroad.passing_headers(pairs))
    except GatewayError as error:
        raise ExportError(
            "the stored request headers cannot be read: %(reason)s"
            if kind == "request"
            else "the stored response headers cannot be read: %(reason)s",
            reason=error.message,
        ) from None


def _peer_certificate(exchange: _Exchange, cosignature: Cosignature) -> x509.Certificate:
    """The peer's signing certificate: as it sent it, or as it cosigned with it."""
    _, leaf, stored = exchange.found[exchange.peer_kind]
    candidates = [cosignature.signing_certificate]
    if stored is not None:
        candidates += [
            _unbase64(value)
            for name, value in _headers(stored)
            if name.lower() == CERTIFICATE.lower()
        ]
    for der in candidates:
        try:
            certificate = x509.load_der_x509_certificate(der)
        except ValueError:
            continue
        if certificate.fingerprint(hashes.SHA256()).hex() == leaf.signer_certificate_sha256:
            return certificate
    raise ExportError(
        "the peer's signing certificate of the request (SHA-256 %(sha256)s) is neither in"
        " the stored headers nor the certificate it cosigned with"
        if exchange.peer_kind == "request"
        else "the peer's signing certificate of the response (SHA-256 %(sha256)s) is neither"
        " in the stored headers nor the certificate it cosigned with",
        sha256=leaf.signer_certificate_sha256,
    )


def _unbase64(value: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return b""


def _own_certificate(exchange: _Exchange, keys: GatewayKeys) -> x509.Certificate:
    _, leaf, _ = exchange.found[exchange.own_kind]
    certificate = keys.sign_cert
    if certificate is None or (
        certificate.fingerprint(hashes.SHA256()).hex() != leaf.signer_certificate_sha256
    ):
        raise ExportError(
            "this gateway signed the request with a signing certificate (SHA-256"
            " %(sha256)s) that is no longer installed in the keys directory; install it back"
            " to export this message's evidence"
            if exchange.own_kind == "request"
            else "this gateway signed the response with a signing certificate (SHA-256"
            " %(sha256)s) that is no longer installed in the keys directory; install it back"
            " to export this message's evidence",
            sha256=leaf.signer_certificate_sha256,
        )
    return certificate


def covering_checkpoint(
    log: MessageLog, index: int, peer_member: str
) -> tuple[StoredCheckpoint, Cosignature]:
    """The smallest time-stamped checkpoint holding ``index`` that ``peer_member`` cosigned."""
    for stored in sorted(log.log.storage.checkpoints(), key=lambda c: c.tree_size):
        if stored.tree_size <= index or stored.timestamp_token is None:
            continue
        for cosignature in log.cosignatures(stored.tree_size):
            try:
                certificate = x509.load_der_x509_certificate(cosignature.signing_certificate)
            except ValueError:
                continue
            if member_of(certificate) == peer_member:
                return stored, cosignature
    raise NoCheckpointError(
        "no checkpoint covering entry %(index)s is yet signed, time-stamped and cosigned by"
        " %(peer)s's gateway; wait for the next checkpoint (journal.checkpoint_interval)"
        " and export again, or pass --wait SECONDS",
        index=index,
        peer=peer_member,
    )


def _direction(
    found: Found, certificate: x509.Certificate, proof: str, leaf_bytes: bytes
) -> Direction:
    _, leaf, stored = found
    headers = None if stored is None else encode_headers(_signed_headers(leaf.kind, stored))
    return Direction(
        headers=headers,
        body=None if stored is None else stored.body,
        salt=None if stored is None else stored.salt,
        leaf=leaf_bytes,
        signature=leaf.signature,
        signer=certificate,
        proof=proof,
    )


def _request_hash(exchange: _Exchange) -> str | None:
    """The X-Road-Request-Hash the response carried (its digest binds it)."""
    _, _, stored = exchange.found["response"]
    if stored is None:
        return None
    for name, value in _headers(stored):
        if name.lower() == REQUEST_HASH.lower():
            return value
    raise ExportError("the stored response has no %(header)s header", header=REQUEST_HASH)


def export_evidence(config: GatewayConfig, message_id: str, *, wait: float = 0) -> bytes:
    """Return the evidence container of ``message_id`` from the gateway of ``config``.

    Raises :class:`ExportError`, or :class:`NoCheckpointError` when no checkpoint covers
    the message yet after waiting up to ``wait`` seconds.
    """
    keys = load_keys(config)
    log = open_journal(config)
    try:
        gathered = _gather(config, keys, log, message_id, wait)
    finally:
        log.close()
    return _checked(config, assemble(gathered))


def _gather(
    config: GatewayConfig, keys: GatewayKeys, log: MessageLog, message_id: str, wait: float
) -> Gathered:
    exchange = _exchange(log, message_id)
    own = _own_certificate(exchange, keys)
    stored, cosignature = _wait_for(
        lambda: covering_checkpoint(log, exchange.last_index, _peer_member(exchange)), wait
    )
    peer = _peer_certificate(exchange, cosignature)
    note = stored.note + cosignature.signature_line
    envelope, conf = configuration_at(config, parse_time(exchange.found["request"][1].received_at))
    certificates = {exchange.own_kind: own, exchange.peer_kind: peer}
    directions = {
        kind: _direction(
            found, certificates[kind], log.log.tlog_proof(found[0], note), log.log.entry(found[0])
        )
        for kind, found in exchange.found.items()
    }
    return Gathered(
        message_id=message_id,
        request=directions["request"],
        response=directions["response"],
        ca_certificates=issuing_cas(conf, [own, peer]),
        configuration=envelope,
        journal_binding=bind_note_key(
            keys.sign_key, keys.journal_signer.verifier().to_key(), log.origin
        ),
        cosigner_bindings=[cosignature.key_binding],
        timestamp=stored.timestamp_token or b"",
        request_hash=_request_hash(exchange),
    )


def _checked(config: GatewayConfig, data: bytes) -> bytes:
    """Verify the container as an auditor will, so export never hands out failing evidence."""
    anchor = ConfigurationAnchor.from_bytes(config.anchor.read_bytes())
    try:
        verify_evidence(data, anchor)
    except EvidenceError as error:
        raise ExportError("the gathered evidence does not hold: %(reason)s", reason=error) from None
    return data


def _peer_member(exchange: _Exchange) -> str:
    """The member of the peer gateway, as the leaves name it."""
    request = exchange.found["request"][1]
    if exchange.peer_kind == "response":
        return str(parse_service(request.service).subsystem.member)
    client = parse_client(request.client)
    return str(client if isinstance(client, MemberId) else client.member)


def _wait_for(
    attempt: Callable[[], tuple[StoredCheckpoint, Cosignature]], wait: float
) -> tuple[StoredCheckpoint, Cosignature]:
    deadline = time.monotonic() + wait
    while True:
        try:
            return attempt()
        except NoCheckpointError:
            if time.monotonic() >= deadline:
                raise
        time.sleep(min(1.0, max(0.0, deadline - time.monotonic())))


def export_command(
    message_id: str,
    config_path: Path,
    output: Path,
    wait: float,
    out: TextIO,
    err: TextIO,
    language: str = "en",
) -> int:
    """``tunduk evidence export``: write the container to ``output``; return the exit status.

    What it prints is in ``language``; the detail of a journal or configuration error
    raised below the gateway's own code stays English.
    """
    try:
        config = load_config(config_path)
        data = export_evidence(config, message_id, wait=wait)
    except NoCheckpointError as error:
        said = say(language, "no evidence yet: %(reason)s")
        err.write(said % {"reason": error.told(language)} + "\n")
        return 3
    except (WordedError, JournalError, GlobalConfigurationError) as error:
        reason = error.told(language) if isinstance(error, WordedError) else str(error)
        said = say(language, "cannot export the evidence of %(id)s: %(reason)s")
        err.write(said % {"id": message_id, "reason": reason} + "\n")
        return 1
    output.write_bytes(data)
    said = say(language, "wrote the evidence of message %(id)s to %(path)s (%(size)s bytes)")
    out.write(said % {"id": message_id, "path": output, "size": len(data)} + "\n")
    return 0
