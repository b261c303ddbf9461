"""Signing, time-stamping and having peers cosign the journal's checkpoints.

Every ``checkpoint_interval`` seconds (and once more on shutdown) the
:class:`Checkpointer` signs the checkpoint of the journal's current size with
``journal.key``, has it time-stamped at ``tsa_url`` (RFC 3161; the token must verify
against the global configuration's approved TSAs) and stores both in one row. Then it
asks every peer gateway this one exchanged messages with since the last round to cosign
that checkpoint (``POST /tunduk/v1/cosign`` through the injected ``send``) and stores each
cosignature with the peer's cosigner key, its binding and signing certificate, so an
auditor can check it offline. A peer that did not answer is asked again next round.

``send(peer, body)`` is the pipeline's: it posts ``body`` to the peer's
``/tunduk/v1/cosign`` over mutual TLS and returns the answer's body **whatever its HTTP
status** (refusals are JSON too); it raises only when the peer cannot be reached.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding

from tunduk.globalconf import ConfigurationClient, GlobalConfigurationError
from tunduk.identifiers import ServerId
from tunduk.journal import (
    JournalError,
    NoteError,
    Signer,
    StoredCheckpoint,
    Verifier,
    open_checkpoint,
)
from tunduk.journal.timestamp import request_timestamp

from ._cosign_wire import CosignAnswer, CosignRequest, WireError, WitnessCode, parse_refusal
from ._sigcheck import Refused, check_signer_profile, load_certificate
from .config import GatewayConfig
from .keys import GatewayKeys, witness_name
from .leaf import KeyBindingError, bind_note_key, check_note_key_binding, gateway_origin
from .messagelog import Cosignature, MessageLog

__all__ = ["Checkpointer", "CosignError", "Send", "run", "tsa_roots"]

logger = logging.getLogger(__name__)

Send = Callable[[ServerId, bytes], Awaitable[bytes]]
"""Post a cosign request to a peer gateway; return the answer body whatever its status."""


_SIGNATURE_LINE = re.compile("\u2014 [^ \n]+ [A-Za-z0-9+/=]+\n")


_ERASE_EVERY = timedelta(hours=1)


class CosignError(JournalError):
    """A peer refused to cosign, or its answer does not hold."""


def tsa_roots(configurations: ConfigurationClient) -> Callable[[], list[bytes]]:
    """Return a function giving the approved TSAs' certificates of the configuration in force."""

    def roots() -> list[bytes]:
        conf = configurations.current()
        return [tsa.certificate_pem.encode("ascii") for tsa in conf.approved_tsas]

    return roots


class Checkpointer:
    """Signs, time-stamps and gathers peer cosignatures for one gateway's journal."""

    def __init__(
        self,
        log: MessageLog,
        signer: Signer,
        *,
        server: ServerId,
        sign_key: ec.EllipticCurvePrivateKey,
        signing_certificate: x509.Certificate,
        interval: float,
        send: Send | None = None,
        tsa_url: str | None = None,
        tsa_roots: Callable[[], Sequence[bytes]] | None = None,
        configurations: ConfigurationClient | None = None,
        retention: timedelta | None = None,
        peers: set[ServerId] | None = None,
    ) -> None:
        """Checkpoint ``log`` with ``signer`` (journal.key) every ``interval`` seconds.

        ``sign_key`` and ``signing_certificate`` bind the journal key for the peers;
        ``configurations`` judges the peers' signing certificates (approved CA). With
        ``retention``, bodies older than that are erased each round (at most hourly).
        """
        self.log = log
        self.signer = signer
        self.server = server
        self.interval = interval
        self.send = send
        self.tsa_url = tsa_url
        self.tsa_roots = tsa_roots
        self.configurations = configurations
        self.certificate_der = signing_certificate.public_bytes(Encoding.DER)
        self.binding = bind_note_key(sign_key, signer.verifier().to_key(), gateway_origin(server))
        self.retention = retention
        self._erased_at: datetime | None = None
        self._peers: set[ServerId] = peers if peers is not None else set()
        self._witnessed: dict[ServerId, int] = {}
        self._lock = asyncio.Lock()

    @classmethod
    def for_gateway(
        cls,
        log: MessageLog,
        config: GatewayConfig,
        keys: GatewayKeys,
        configurations: ConfigurationClient,
        send: Send | None,
        peers: set[ServerId] | None = None,
    ) -> Checkpointer:
        """The checkpointer a gateway runs, from its configuration file and keys."""
        _, sign_cert = keys.require_certificates()
        return cls(
            log,
            keys.journal_signer,
            server=config.server,
            sign_key=keys.sign_key,
            signing_certificate=sign_cert,
            interval=config.checkpoint_interval,
            send=send,
            tsa_url=config.tsa_url,
            tsa_roots=tsa_roots(configurations),
            configurations=configurations,
            retention=timedelta(days=config.journal_retention_days),
            peers=peers,
        )

    def exchanged_with(self, peer: ServerId) -> None:
        """Note that a message went to or came from ``peer``: it cosigns the next checkpoint."""
        if peer != self.server:
            self._peers.add(peer)

    # ---- one round -----------------------------------------------------------------------

    async def step(self) -> StoredCheckpoint | None:
        """Sign a checkpoint if the journal grew, then have the peers cosign the latest one."""
        async with self._lock:
            loop = asyncio.get_running_loop()
            stored = await loop.run_in_executor(None, self._sign)
            latest = stored or await loop.run_in_executor(None, self.log.latest_checkpoint)
            peers = self._peers - {self.server}
            self._peers.clear()  # in place: the proxies hold the same set
            if latest is not None and self.send is not None:
                failed = await self._cosign_all(latest, peers)
                self._peers.update(failed)
            await loop.run_in_executor(None, self._erase)
            return stored

    async def final(self) -> None:
        """The last round at shutdown: sign what is journaled, ask the peers once more."""
        await self.step()

    def _sign(self) -> StoredCheckpoint | None:
        stored = self.log.sign_checkpoint(self.signer, timestamper=self._timestamp)
        if stored is not None:
            logger.info("journal checkpoint signed at size %d", stored.tree_size)
        return stored

    def _erase(self) -> None:
        """Erase the bodies past the retention period, at most once an hour."""
        now = datetime.now(UTC)
        if self.retention is None or (
            self._erased_at is not None and now - self._erased_at < _ERASE_EVERY
        ):
            return
        erased = self.log.erase_expired(now - self.retention)
        self._erased_at = now
        if erased:
            logger.info("erased the bodies of %d messages past the retention period", erased)

    def _timestamp(self, body: bytes) -> bytes | None:
        """An RFC 3161 token over the checkpoint body, verified; None without a TSA or on failure."""
        if self.tsa_url is None:
            return None
        try:
            roots = list(self.tsa_roots()) if self.tsa_roots is not None else []
            if not roots:
                raise JournalError("the global configuration approves no TSA")
            return request_timestamp(self.tsa_url, body, roots=roots)
        except (JournalError, GlobalConfigurationError, ValueError, OSError) as error:
            # The checkpoint is still stored: the next one will carry a token and covers it.
            logger.error("checkpoint not time-stamped by %s: %s", self.tsa_url, error)
            return None

    async def _cosign_all(self, latest: StoredCheckpoint, peers: set[ServerId]) -> set[ServerId]:
        """Ask every peer; return those that could not cosign now."""
        failed: set[ServerId] = set()
        results = await asyncio.gather(
            *(self._cosign(latest, peer) for peer in sorted(peers)), return_exceptions=True
        )
        for peer, result in zip(sorted(peers), results, strict=True):
            if isinstance(result, BaseException):
                logger.warning("peer %s did not cosign size %d: %s", peer, latest.tree_size, result)
                failed.add(peer)
        return failed

    async def _cosign(self, latest: StoredCheckpoint, peer: ServerId) -> Cosignature:
        """Have ``peer`` cosign ``latest`` (retrying once from the size it says it saw)."""
        assert self.send is not None
        old = self._witnessed.get(peer, 0)
        for _ in range(2):
            request = await self._request(latest, old)
            answer = await self.send(peer, request.to_bytes())
            try:
                cosignature = self._accept(latest, peer, CosignAnswer.from_bytes(answer))
            except WireError:
                old = self._refused(peer, answer)
                continue
            loop = asyncio.get_running_loop()
            await asyncio.wrap_future(self.log.add_cosignature(cosignature), loop=loop)
            self._witnessed[peer] = latest.tree_size
            return cosignature
        raise CosignError(f"{peer} keeps answering with another old size")

    async def _request(self, latest: StoredCheckpoint, old: int) -> CosignRequest:
        size = latest.tree_size
        proof: list[bytes] = []
        if 0 < old < size:
            loop = asyncio.get_running_loop()
            proof = await loop.run_in_executor(None, self.log.log.consistency_proof, old, size)
        return CosignRequest(latest.note, old, proof, self.binding, self.certificate_der)

    def _refused(self, peer: ServerId, answer: bytes) -> int:
        """The witness's size from an OldSize refusal; raise for any other answer."""
        try:
            kind, message, size = parse_refusal(answer)
        except WireError as error:
            raise CosignError(f"{peer} answered neither a cosignature nor a refusal") from error
        if kind == WitnessCode.OLD_SIZE and size is not None:
            return size
        raise CosignError(f"{peer} refused to cosign: {kind}: {message}")

    def _accept(
        self, latest: StoredCheckpoint, peer: ServerId, answer: CosignAnswer
    ) -> Cosignature:
        """Check the peer's cosignature and key binding before storing them."""
        if not _SIGNATURE_LINE.fullmatch(answer.cosignature):
            raise CosignError(f"{peer} answered a cosignature that is not one signature line")
        try:
            certificate = load_certificate(answer.signing_certificate)
            check_signer_profile(certificate, peer.member)
            if self.configurations is not None:
                self.configurations.check_certificate(certificate)
            vkey = check_note_key_binding(
                answer.key_binding, certificate, origin=gateway_origin(peer)
            )
            witness = Verifier.from_key(vkey)
            if vkey != answer.cosigner_key or witness.name != witness_name(peer):
                raise CosignError(f"{peer} cosigned with a key it did not bind")
            signed = open_checkpoint(
                latest.note + answer.cosignature, [self.signer.verifier(), witness]
            )
            if witness not in signed.note.verified_by:
                raise CosignError(f"{peer}'s cosignature is missing")
        except (Refused, KeyBindingError, NoteError, GlobalConfigurationError) as error:
            raise CosignError(f"{peer}'s cosignature does not hold: {error}") from error
        return Cosignature(
            latest.tree_size,
            str(peer),
            answer.cosignature,
            vkey,
            answer.key_binding,
            answer.signing_certificate,
        )


async def run(checkpointer: Checkpointer) -> None:
    """Run :meth:`Checkpointer.step` every interval until cancelled; never crash on a failure."""
    while True:
        await asyncio.sleep(checkpointer.interval)
        try:
            await checkpointer.step()
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("journal checkpoint round failed")
