"""One running gateway built from its :class:`~tunduk.gateway.config.GatewayConfig`.

:class:`GatewayRuntime` owns everything the two proxies share: the configuration client
(refreshed in a worker thread every :data:`~tunduk.globalconf.POLL_INTERVAL`, each
accepted envelope kept as ``data_dir/configurations/<version>.json`` for evidence), the
access index of the current configuration, the keys, the message log, the batch signer
and the signature verifier, one pooled :class:`aiohttp.ClientSession` with the client TLS
context, the checkpoint task and the status reports. :func:`serve` runs it on uvloop
until SIGTERM or SIGINT, then stops accepting, lets in-flight exchanges finish and signs
a final checkpoint.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import ssl
from collections.abc import Awaitable, Callable
from pathlib import Path
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

from . import checkpoints, status, tls
from .access import AccessIndex
from .config import GatewayConfig
from .keys import GatewayKeys, load_keys
from .messagelog import MessageLog
from .signing import BatchSigner, SignatureVerifier

__all__ = ["GatewayRuntime", "serve"]

logger = logging.getLogger(__name__)

SHUTDOWN_GRACE = 30.0
"""Seconds in-flight exchanges get to finish after a stop signal."""

CONFIGURATIONS_DIR = "configurations"
"""Under ``data_dir``: every accepted signed configuration, named ``<version>.json``."""


class GatewayRuntime:
    """The shared state of one gateway and the lifecycle of its two listeners."""

    def __init__(self, config: GatewayConfig) -> None:
        self.config = config
        self.keys: GatewayKeys = load_keys(config)
        anchor = ConfigurationAnchor.from_bytes(config.anchor.read_bytes())
        config.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.configurations = ConfigurationClient(
            config.central_url, anchor, config.data_dir / "globalconf"
        )
        self.signer = BatchSigner(self.keys.sign_key, self.keys.sign_cert)
        self.verifier = SignatureVerifier(self.configurations)
        self.log: MessageLog | None = None
        self.session: aiohttp.ClientSession | None = None
        self.client_port = 0
        self.server_port = 0
        self._access: tuple[int, AccessIndex] | None = None
        self._peer_cache: dict[tuple[bytes, int], Any] = {}
        self._runners: list[web.AppRunner] = []
        self._tasks: list[asyncio.Task[None]] = []
        self._client_context: ssl.SSLContext | None = None
        self._server_context: ssl.SSLContext | None = None

    # ---- configuration ------------------------------------------------------------------

    def refresh_configuration(self) -> GlobalConfiguration | None:
        """Download and verify the configuration now (blocking); keep the envelope."""
        try:
            conf = self.configurations.refresh()
        except GlobalConfigurationError as error:
            logger.warning("global configuration not refreshed: %s", error)
            return None
        self._keep_envelope(conf.version)
        self._peer_cache.clear()
        return conf

    def _keep_envelope(self, version: int) -> None:
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
        """The grant index of ``conf``, built once per configuration version."""
        cached = self._access
        if cached is not None and cached[0] == conf.version:
            return cached[1]
        index = AccessIndex(conf)
        self._access = (conf.version, index)
        return index

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
        from .server_proxy import server_app

        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, self.refresh_configuration)
        self.log = await loop.run_in_executor(
            None, MessageLog.open, self.config.journal_url, self.origin
        )
        conf = self.current()
        self._client_context = tls.client_context(self.keys, conf)
        self._server_context = tls.server_context(self.keys, conf)
        connector = aiohttp.TCPConnector(
            ssl=self._client_context,
            limit=self.config.max_connections,
            keepalive_timeout=60,
            enable_cleanup_closed=True,
        )
        self.session = aiohttp.ClientSession(
            connector=connector, auto_decompress=False, skip_auto_headers=("User-Agent",)
        )
        self.server_port = await self._listen(
            server_app(self), self.config.server_listen, self._server_context
        )
        self.client_port = await self._listen(client_app(self), self.config.client_listen, None)
        self._spawn(self._poll())
        self._spawn(checkpoints.run(self.checkpointer()))
        self._spawn(status.run_reports(self.config, self.configurations, self.keys))
        logger.info(
            "gateway %s listening: clients on %s, peers on %s",
            self.config.server,
            self.client_port,
            self.server_port,
        )

    @property
    def origin(self) -> str:
        """The journal's origin line: the gateway's identifier."""
        return f"tunduk.gateway/{self.config.server}"

    async def _listen(
        self, app: web.Application, address: str, context: ssl.SSLContext | None
    ) -> int:
        host, _, port = address.rpartition(":")
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(
            runner, host.strip("[]"), int(port), ssl_context=context, backlog=1024
        )
        await site.start()
        self._runners.append(runner)
        sockets = site._server.sockets if site._server else ()  # type: ignore[union-attr]  # aiohttp keeps the asyncio server private
        return int(sockets[0].getsockname()[1]) if sockets else int(port)

    def _spawn(self, coroutine: Awaitable[None]) -> None:
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
        if self.log is not None:
            with contextlib.suppress(Exception):
                await self.checkpointer().final()
        if self.session is not None:
            await self.session.close()
            self.session = None
        if self.log is not None:
            await asyncio.get_running_loop().run_in_executor(None, self.log.close)
            self.log = None


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
        print(
            f"gateway {config.server}: clients on {config.client_listen}"
            f" (port {runtime.client_port}), peers on {config.server_listen}"
            f" (port {runtime.server_port})",
            flush=True,
        )
        await stopping.wait()
        logger.info("stopping: finishing in-flight exchanges")
        await asyncio.wait_for(runtime.stop(), SHUTDOWN_GRACE)

    uvloop.run(main())


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
__all__ += ["Handler"]
_ = Path
