"""One running gateway built from its :class:`~tunduk.gateway.config.GatewayConfig`.

:class:`GatewayRuntime` owns everything the two proxies share: the configuration client
(refreshed in a worker thread every :data:`~tunduk.globalconf.POLL_INTERVAL`, each
accepted envelope kept as ``data_dir/configurations/<version>.json`` for evidence), the
access index of the configuration in force, the keys, the message log, the batch signer
and the signature verifier, the TLS contexts, one pooled :class:`aiohttp.ClientSession`
towards peer gateways (mutual TLS, keep-alive) and one towards the backends, the
checkpoint task and the status reports. :func:`serve` runs it on uvloop until SIGTERM or
SIGINT, then stops accepting, lets in-flight exchanges finish and signs a final
checkpoint.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import hashlib
import logging
import os
import signal
import ssl
from collections.abc import Coroutine
from typing import Any

import aiohttp
from aiohttp import web

from tunduk.globalconf import (
    POLL_INTERVAL,
    ConfigurationAnchor,
    ConfigurationClient,
    GlobalConfiguration,
    GlobalConfigurationError,
)
from tunduk.identifiers import MemberId, ServerId

from ._directory import Directory
from ._errors import Code, GatewayError
from ._http1 import HttpPool
from ._journal_runtime import checkpointer_for, witness_for
from ._listener import ListenerRunner
from .access import AccessIndex
from .checkpoints import Checkpointer
from .checkpoints import run as run_checkpoints
from .config import GatewayConfig, parse_listen
from .keys import GatewayKeys, load_keys
from .maintenance import MAINTENANCE_FILE, MaintenanceWatch
from .messagelog import MessageLog
from .metadata import ServiceDescriptions
from .signing import BatchSigner, SignatureVerifier
from .status import report_status
from .tls import Side, TlsContexts, check_peer

__all__ = ["CONFIGURATIONS_DIR", "GatewayRuntime", "serve"]

logger = logging.getLogger(__name__)

SHUTDOWN_GRACE = 30.0
"""Seconds in-flight exchanges get to finish after a stop signal."""

GC_YOUNG_THRESHOLD = 10_000
"""Allocations between collections of the youngest generation (Python's default is 700)."""

CONFIGURATIONS_DIR = "configurations"
"""Under ``data_dir``: every accepted signed configuration, named ``<version>.json``."""

STATUS_INTERVAL = 300.0
"""Seconds between status reports to central (when ``status_report_url`` is set)."""

_PEER_CACHE_SIZE = 1024
_NO_AUTO_HEADERS = ("Accept", "Accept-Encoding", "Content-Type", "User-Agent")
"""Headers aiohttp would add on its own: a hop sends only what the gateway chose (and signed)."""


class GatewayRuntime:
    """The shared state of one gateway and the lifecycle of its two listeners."""

    def __init__(self, config: GatewayConfig) -> None:
        self.config = config
        self.keys: GatewayKeys = load_keys(config)
        _, sign_cert = self.keys.require_certificates()
        anchor = ConfigurationAnchor.from_bytes(config.anchor.read_bytes())
        config.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.configurations = ConfigurationClient(
            config.central_url, anchor, config.data_dir / "globalconf"
        )
        self.descriptions = ServiceDescriptions.load(config)
        self.signer = BatchSigner(self.keys.sign_key, sign_cert)
        self.verifier = SignatureVerifier(self.configurations)
        self.log: MessageLog | None = None
        self.checkpointer: Checkpointer | None = None
        self.peers_since_checkpoint: set[ServerId] = set()
        """Peers exchanged with since the last checkpoint (the checkpointer's own set)."""
        self.witness = witness_for(self)
        self.tls: TlsContexts | None = None
        self._peer_session: aiohttp.ClientSession | None = None
        self.peer_pool = HttpPool(limit=config.max_connections, idle_timeout=60)
        """Connections to peer gateways for messages (the lean client of ``_http1``)."""
        self.backend_pool = HttpPool(limit=config.max_connections, idle_timeout=30)
        """Connections to this organisation's backends."""
        self.backend_tls = ssl.create_default_context()
        """For ``https`` backends: the system's CAs and host-name checks."""
        self.report_soon = asyncio.Event()
        """Set to send the status to central now rather than at the next interval."""
        self.maintenance = MaintenanceWatch(
            config.data_dir / MAINTENANCE_FILE, on_change=self.report_soon.set
        )
        """Whether the provider side refuses new messages (``tunduk gateway maintenance``)."""
        self.client_port = 0
        self.server_port = 0
        self.health_port = 0
        self._access: tuple[GlobalConfiguration, AccessIndex] | None = None
        self._directory: Directory | None = None
        self._peer_cache: dict[tuple[bytes, int], ServerId] = {}
        self._runners: list[web.AppRunner] = []
        self._tasks: list[asyncio.Task[None]] = []

    # ---- configuration ------------------------------------------------------------------

    def refresh_configuration(self) -> GlobalConfiguration | None:
        """Download and verify the configuration now (blocking); keep the envelope."""
        try:
            conf = self.configurations.refresh()
        except GlobalConfigurationError as error:
            logger.warning("global configuration not refreshed: %s", error)
            return None
        self._keep_envelope(conf.version)
        if self.tls is not None and self.tls.update(conf):
            logger.info("approved CAs changed: new TLS contexts for new connections")
        return conf

    def _keep_envelope(self, version: int) -> None:
        """Keep the accepted envelope as evidence of the configuration then in force."""
        directory = self.config.data_dir / CONFIGURATIONS_DIR
        target = directory / f"{version}.json"
        if target.exists():
            return
        directory.mkdir(mode=0o700, exist_ok=True)
        temporary = directory / f".{version}.json.tmp"
        temporary.write_bytes(self.configurations.cache_path.read_bytes())
        os.replace(temporary, target)

    def current(self) -> GlobalConfiguration:
        """The configuration in force (raises when there is none or it expired)."""
        return self.configurations.current()

    def access(self, conf: GlobalConfiguration) -> AccessIndex:
        """The grant index of ``conf``, built once per accepted configuration."""
        cached = self._access
        if cached is not None and cached[0] is conf:
            return cached[1]
        index = AccessIndex(conf)
        self._access = (conf, index)
        return index

    def directory(self, conf: GlobalConfiguration) -> Directory:
        """Members, subsystems and gateways of ``conf`` by identifier, built once per version."""
        cached = self._directory
        if cached is None or cached.conf is not conf:
            cached = self._directory = Directory(conf)
        return cached

    def check_peer(self, der: bytes | None, *, member: MemberId, side: Side) -> ServerId:
        """:func:`tunduk.gateway.tls.check_peer`, remembered per certificate and version."""
        conf = self.current_for(side)
        key = (hashlib.sha256(der or b"").digest(), conf.version)
        found = self._peer_cache.get(key)
        if found is None:
            found = check_peer(self.configurations, der, side=side)
            if len(self._peer_cache) >= _PEER_CACHE_SIZE:
                self._peer_cache.clear()
            self._peer_cache[key] = found
        if found.member != member:
            code = Code.SSL_AUTH_FAILED_CLIENT if side == "client" else Code.SSL_AUTH_FAILED_SERVER
            raise GatewayError(
                code, f"the peer's TLS certificate belongs to {found.member}, not to {member}"
            )
        return found

    def current_for(self, side: Side) -> GlobalConfiguration:
        """:meth:`current`, with the side's OutdatedGlobalConf code when it fails."""
        try:
            return self.configurations.current()
        except GlobalConfigurationError as error:
            code = (
                Code.OUTDATED_GLOBALCONF_CLIENT
                if side == "client"
                else Code.OUTDATED_GLOBALCONF_SERVER
            )
            raise GatewayError(code, f"no valid global configuration: {error}") from None

    @property
    def peer_session(self) -> aiohttp.ClientSession:
        """The pooled session towards peer gateways for cosigning (mutual TLS, keep-alive)."""
        assert self._peer_session is not None, "start() opens the sessions"
        return self._peer_session

    async def _poll(self) -> None:
        loop = asyncio.get_running_loop()
        interval = POLL_INTERVAL.total_seconds()
        while True:
            await asyncio.sleep(interval)
            await loop.run_in_executor(None, self.refresh_configuration)

    # ---- lifecycle ----------------------------------------------------------------------

    async def start(self) -> None:
        """Refresh the configuration, open the journal, start both listeners and the tasks."""
        from .client_proxy import client_app
        from .health import health_app
        from .server_proxy import server_app

        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, self.refresh_configuration)
        self.log = await loop.run_in_executor(
            None, MessageLog.open, self.config.journal_url, self.origin
        )
        conf = self.current()  # without any valid configuration the gateway cannot start
        self.tls = TlsContexts(self.keys, conf)
        self._open_sessions()
        self.maintenance.check()  # before the first peer can connect
        self.server_port = await self._listen(server_app(self), self.config.server_listen, True)
        self.client_port = await self._listen(client_app(self), self.config.client_listen, False)
        if self.config.health_listen is not None:
            self.health_port = await self._listen(
                health_app(self), self.config.health_listen, False
            )
        self._spawn(self._poll())
        self._spawn(self.maintenance.run())
        self._spawn_background(loop)
        logger.info(
            "gateway %s listening: clients on port %s, peers on port %s",
            self.config.server,
            self.client_port,
            self.server_port,
        )
        if self.health_port:
            logger.info("health check on port %s", self.health_port)

    def _open_sessions(self) -> None:
        limit = self.config.max_connections
        self._peer_session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=limit, keepalive_timeout=60),
            auto_decompress=False,
            skip_auto_headers=_NO_AUTO_HEADERS,
        )

    def _spawn_background(self, loop: asyncio.AbstractEventLoop) -> None:
        """The checkpoint task and the status reports."""
        self.checkpointer = checkpointer_for(self)
        self._spawn(run_checkpoints(self.checkpointer))
        if self.config.status_report_url is not None:
            self._spawn(self._report_status(loop))

    def exchanged_with(self, peer: ServerId) -> None:
        """Note a peer this gateway exchanged a message with: it cosigns the next checkpoint."""
        self.peers_since_checkpoint.add(peer)

    async def _report_status(self, loop: asyncio.AbstractEventLoop) -> None:
        """Report the gateway's status to central now and then; a failure is only logged."""
        await asyncio.sleep(5)
        while True:
            self.report_soon.clear()  # a change from now on is in this report or the next
            try:
                await loop.run_in_executor(None, report_status, self.config, self.keys)
            except Exception as error:
                logger.warning("status report not sent: %s", error)
            with contextlib.suppress(TimeoutError):  # a change of state reports at once
                await asyncio.wait_for(self.report_soon.wait(), STATUS_INTERVAL)

    @property
    def origin(self) -> str:
        """The journal's origin: the checkpoint signer's key name."""
        return self.keys.journal_signer.name

    async def _listen(self, app: web.Application, address: str, peers: bool) -> int:
        host, port = parse_listen(address)
        runner = ListenerRunner(app, peers=peers, access_log=None, handle_signals=False)
        await runner.setup()
        context = self.tls.server if (peers and self.tls is not None) else None
        site = web.TCPSite(runner, host, port, ssl_context=context, backlog=1024)
        await site.start()
        self._runners.append(runner)
        for address_info in runner.addresses:
            return int(address_info[1])
        return port

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        self._tasks.append(asyncio.ensure_future(coroutine))

    async def stop(self) -> None:
        """Stop accepting, let in-flight exchanges finish, final checkpoint, close all."""
        for runner in self._runners:
            await runner.shutdown()
        for runner in self._runners:
            await runner.cleanup()
        self._runners.clear()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()
        if self.checkpointer is not None:
            try:
                await self.checkpointer.final()
            except Exception:
                logger.exception("the final checkpoint failed")
        if self._peer_session is not None:
            await self._peer_session.close()
        self._peer_session = None
        self.peer_pool.close()
        self.backend_pool.close()
        self.signer.close()
        self.witness.close()
        if self.log is not None:
            log, self.log = self.log, None
            await asyncio.get_running_loop().run_in_executor(None, log.close)


def settle_the_heap() -> None:
    """Once started: move what start-up built (Django, modules, the configuration) out of
    the garbage collector's sight, and collect the young generation less often.

    Full collections otherwise walk every start-up object again and again while messages
    flow, though none of them becomes garbage. Messages make little cyclic garbage (an
    exception's traceback, a cancelled task), so a larger first generation costs little
    memory and saves most of the collector's work per message.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])


def serve(config: GatewayConfig) -> None:
    """Run the gateway on uvloop until SIGTERM or SIGINT (the ``serve`` command)."""
    import uvloop

    async def main() -> None:
        runtime = GatewayRuntime(config)
        await runtime.start()
        stopping = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stopping.set)
        settle_the_heap()
        print(
            f"gateway {config.server}: clients on port {runtime.client_port},"
            f" peers on port {runtime.server_port}",
            flush=True,
        )
        await stopping.wait()
        logger.info("stopping: finishing in-flight exchanges")
        await asyncio.wait_for(runtime.stop(), SHUTDOWN_GRACE)

    uvloop.run(main())
