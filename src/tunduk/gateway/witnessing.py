"""This gateway witnessing its peers: ``POST /tunduk/v1/cosign`` on the mutual-TLS listener.

A peer gateway sends its newest signed checkpoint with a consistency proof from the size
this witness last cosigned for it (body format in ``_cosign_wire``). The witness checks,
in order: the caller's identity (``request[PEER_KEY]``, set by the server proxy after
the TLS check); the caller's signing certificate (issued by an approved CA, valid, not
revoked, a signing certificate of the caller's member); the binding of the caller's
journal key to that certificate and to the caller's journal origin; the checkpoint's
signature under that key; and finally that the checkpoint extends the last one it
cosigned for that origin (``tunduk.journal.Witness``: never backwards, never a fork,
always a valid consistency proof). Only then does it cosign (C2SP ``cosignature/v1``).

The last cosigned tree head per origin is kept in ``data_dir/witness.sqlite3`` so a
restart changes nothing; a refused checkpoint is logged and kept in
``data_dir/witness-refused/`` as evidence of the peer's fork or rewrite.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding

from tunduk.globalconf import (
    ConfigurationClient,
    ExpiredError,
    GlobalConfigurationError,
    MissingConfigurationError,
)
from tunduk.identifiers import ServerId
from tunduk.journal import (
    Checkpoint,
    JournalError,
    NoteError,
    Signer,
    SQLiteWitnessState,
    Verifier,
    Witness,
    WitnessError,
)
from tunduk.journal._files import replace_text
from tunduk.journal._note import split_note

from ._cosign_wire import (
    MAX_REQUEST_BYTES,
    CosignAnswer,
    CosignRequest,
    WireError,
    WitnessCode,
    refusal_body,
)
from ._sigcheck import Refused, check_signer_profile, load_certificate
from .config import GatewayConfig
from .keys import GatewayKeys, journal_origin
from .leaf import KeyBindingError, bind_note_key, check_note_key_binding

__all__ = ["PEER_KEY", "WITNESS_KEY", "GatewayWitness", "cosign_handler"]

logger = logging.getLogger(__name__)

PEER_KEY = web.RequestKey("tunduk.peer", ServerId)
"""``request[PEER_KEY]``: the calling gateway's :class:`ServerId` after the TLS check."""

STATE_FILE = "witness.sqlite3"
REFUSED_DIR = "witness-refused"

_STATUS = {
    WitnessCode.BAD_REQUEST: 400,
    WitnessCode.UNTRUSTED: 403,
    WitnessCode.OLD_SIZE: 409,
    WitnessCode.REFUSED: 409,
    WitnessCode.TOO_LARGE: 413,
    WitnessCode.UNAVAILABLE: 503,
}


class _Refusal(Exception):
    def __init__(self, code: WitnessCode, message: str, size: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.size = size


@dataclass(frozen=True)
class WitnessReply:
    """What the handler answers: an HTTP status and a JSON body."""

    status: int
    body: bytes


class GatewayWitness:
    """Cosigns peer gateways' checkpoints consistent with the last one it saw of each."""

    def __init__(
        self,
        cosigner: Signer,
        key_binding: bytes,
        signing_certificate: x509.Certificate,
        configurations: ConfigurationClient,
        data_dir: Path,
    ) -> None:
        """Witness with ``cosigner``, whose ``key_binding`` the ``signing_certificate`` signs."""
        self.cosigner = cosigner
        self.key_binding = key_binding
        self.certificate_der = signing_certificate.public_bytes(Encoding.DER)
        self.configurations = configurations
        self.data_dir = data_dir
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        conn = sqlite3.connect(data_dir / STATE_FILE, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        self._connection = conn
        self.state = SQLiteWitnessState(conn)
        self._lock = threading.Lock()

    @classmethod
    def create(
        cls,
        server: ServerId,
        cosigner: Signer,
        sign_key: ec.EllipticCurvePrivateKey,
        signing_certificate: x509.Certificate,
        configurations: ConfigurationClient,
        data_dir: Path,
    ) -> GatewayWitness:
        """Build the witness of gateway ``server``, binding its cosigner key with ``sign_key``."""
        binding = bind_note_key(sign_key, cosigner.verifier().to_key(), journal_origin(server))
        return cls(cosigner, binding, signing_certificate, configurations, data_dir)

    @classmethod
    def for_gateway(
        cls, config: GatewayConfig, keys: GatewayKeys, configurations: ConfigurationClient
    ) -> GatewayWitness:
        """The witness a gateway runs, from its configuration file and keys."""
        _, sign_cert = keys.require_certificates()
        return cls.create(
            config.server,
            keys.cosigner,
            keys.sign_key,
            sign_cert,
            configurations,
            config.data_dir,
        )

    def close(self) -> None:
        """Close the state database."""
        self._connection.close()

    def cosign(self, peer: ServerId | None, body: bytes) -> WitnessReply:
        """Judge one cosign request from ``peer``; blocking (run it in a worker thread)."""
        try:
            if peer is None:
                raise _Refusal(WitnessCode.UNAVAILABLE, "the caller's gateway is not identified")
            line = self._cosign(peer, body)
        except _Refusal as refusal:
            if refusal.code is not WitnessCode.OLD_SIZE:
                logger.warning("refused to cosign for %s: %s", peer, refusal.message)
            detail = hashlib.sha256(body).hexdigest()[:16]
            reply = refusal_body(refusal.code, refusal.message, detail, refusal.size)
            return WitnessReply(_STATUS[refusal.code], reply)
        answer = CosignAnswer(
            line, self.cosigner.verifier().to_key(), self.key_binding, self.certificate_der
        )
        return WitnessReply(200, answer.to_bytes())

    def _cosign(self, peer: ServerId, body: bytes) -> str:
        try:
            request = CosignRequest.from_bytes(body)
        except WireError as error:
            raise _Refusal(WitnessCode.BAD_REQUEST, str(error)) from None
        origin = journal_origin(peer)
        log_key = self._log_key(peer, origin, request)
        with self._lock:
            last = self.state.get(origin)
            last_size = 0 if last is None else last[0]
            if request.old_size != last_size:
                raise _Refusal(
                    WitnessCode.OLD_SIZE,
                    f"this witness last cosigned size {last_size}, not {request.old_size}",
                    last_size,
                )
            witness = Witness(self.cosigner, {origin: [log_key]}, self.state)
            try:
                return witness.add_checkpoint(
                    request.checkpoint, request.proof, old_size=request.old_size
                )
            except WitnessError as error:
                reason = str(error)
                if reason.startswith(("bad signature", "unknown origin", "malformed")):
                    raise _Refusal(WitnessCode.UNTRUSTED, f"checkpoint refused: {reason}") from None
                self._keep_refused(origin, request.checkpoint)
                raise _Refusal(WitnessCode.REFUSED, f"checkpoint refused: {reason}") from None

    def _log_key(self, peer: ServerId, origin: str, request: CosignRequest) -> Verifier:
        """The caller's journal key, trusted through its signing certificate and binding."""
        try:
            certificate = load_certificate(request.signing_certificate)
            check_signer_profile(certificate, peer.member)
            self.configurations.check_certificate(certificate)
            vkey = check_note_key_binding(request.journal_key_binding, certificate, origin=origin)
            return Verifier.from_key(vkey)
        except (MissingConfigurationError, ExpiredError) as error:
            raise _Refusal(WitnessCode.UNAVAILABLE, f"no valid configuration: {error}") from None
        except GlobalConfigurationError as error:
            raise _Refusal(
                WitnessCode.UNTRUSTED, f"the signing certificate is not trusted: {error}"
            ) from None
        except (Refused, KeyBindingError, NoteError) as error:
            raise _Refusal(WitnessCode.UNTRUSTED, str(error)) from None

    def _keep_refused(self, origin: str, note: str) -> None:
        """Keep the last refused checkpoint of ``origin`` as evidence (never raises)."""
        try:
            Checkpoint.parse(split_note(note)[0])
            directory = self.data_dir / REFUSED_DIR
            directory.mkdir(mode=0o700, exist_ok=True)
            name = hashlib.sha256(origin.encode()).hexdigest()[:16] + ".note"
            replace_text(directory / name, note)
        except (JournalError, OSError) as error:
            logger.warning("could not keep the refused checkpoint of %s: %s", origin, error)


WITNESS_KEY = web.AppKey("tunduk.witness", GatewayWitness)
"""``app[WITNESS_KEY]``: the :class:`GatewayWitness` :func:`cosign_handler` uses."""


async def _read_bounded(request: web.Request) -> bytes | None:
    """The body, or None when it is larger than :data:`MAX_REQUEST_BYTES`."""
    if (request.content_length or 0) > MAX_REQUEST_BYTES:
        return None
    chunks: list[bytes] = []
    size = 0
    while chunk := await request.content.readany():
        size += len(chunk)
        if size > MAX_REQUEST_BYTES:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


async def cosign_handler(request: web.Request) -> web.Response:
    """``POST /tunduk/v1/cosign``: cosign the caller's checkpoint or say why not."""
    witness = request.app[WITNESS_KEY]
    body = await _read_bounded(request)
    if body is None:
        reply = WitnessReply(
            413,
            refusal_body(
                WitnessCode.TOO_LARGE, f"the body is larger than {MAX_REQUEST_BYTES} bytes", ""
            ),
        )
    else:
        peer = request.get(PEER_KEY)
        caller = peer if isinstance(peer, ServerId) else None
        loop = asyncio.get_running_loop()
        reply = await loop.run_in_executor(None, witness.cosign, caller, body)
    return web.Response(status=reply.status, body=reply.body, content_type="application/json")
