"""The provider side: peer gateways call over mutual TLS; this gateway calls its backends.

Order of checks for ``/r1/{serviceId}[/path]`` (each refusal is answered with its X-Road
code, logged and journaled): the calling gateway's TLS certificate belongs to the
client's member (``check_peer``), the request signature verifies, the configuration is
current, neither member is suspended, the service is one this gateway serves (its
``[[services]]``), a grant lets the client (or one of its groups) call the service and
endpoint. Then the backend is called (``url`` + the rest of the path + the query, no
redirect followed, bounded time and size), the request hash computed, the response
signed, both leaves journaled durably, and only then the answer leaves. Metadata services
are answered here. ``POST /tunduk/v1/cosign`` is the journal's witnessing endpoint.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import aiohttp
from aiohttp import web

from tunduk.globalconf import GlobalConfiguration, GlobalConfigurationError, MemberStatus
from tunduk.identifiers import RESERVED_SERVICE_CODES, MemberId, SubsystemId

from . import metadata, wire
from ._errors import Code, GatewayError
from ._journal_items import Direction, exchange_items, failure_items
from ._proxying import (
    error_response,
    internal_error,
    new_id,
    peer_certificate,
    read_request_body,
    read_response_body,
    rfc3339,
    sha256,
)
from .config import ServiceConfig
from .signing import message_digest
from .witnessing import cosign_handler

if TYPE_CHECKING:
    from .runtime import GatewayRuntime

__all__ = ["ServerProxy", "server_app"]

logger = logging.getLogger(__name__)

PEER_KEY = "tunduk.peer"
"""``request[PEER_KEY]``: the calling gateway's identifier after the TLS check."""


def server_app(runtime: GatewayRuntime) -> web.Application:
    """The aiohttp application on ``listen.server`` (TLS with client certificates)."""
    proxy = ServerProxy(runtime)
    app = web.Application(client_max_size=runtime.config.max_body_bytes)
    app.router.add_post("/tunduk/v1/cosign", proxy.cosign)
    app.router.add_route("*", "/r1/{tail:.*}", proxy.handle)
    app.router.add_route("*", "/{tail:.*}", proxy.not_found)
    return app


class ServerProxy:
    """Handlers of the provider side; all state lives in the runtime."""

    def __init__(self, runtime: GatewayRuntime) -> None:
        self.runtime = runtime
        self.config = runtime.config
        self.services = {(s.subsystem, s.code): s for s in runtime.config.services}

    async def not_found(self, request: web.Request) -> web.Response:
        """Anything but ``/r1/…`` and the cosigning endpoint."""
        error = GatewayError(Code.CLIENT_BAD_REQUEST, "the path must start with /r1/")
        return error_response(error, request.headers.get("Accept"))

    async def cosign(self, request: web.Request) -> web.StreamResponse:
        """A peer asks this gateway to witness its journal's checkpoint."""
        try:
            request[PEER_KEY] = self.runtime.check_caller(peer_certificate(request.transport))
        except GatewayError as error:
            return error_response(error, request.headers.get("Accept"))
        return await cosign_handler(request)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """One message from a peer gateway."""
        accept = request.headers.get("Accept")
        detail = new_id()
        incoming: wire.IncomingRequest | None = None
        try:
            body = await read_request_body(
                request, self.config.max_body_bytes, Code.REQUEST_TOO_LARGE
            )
            incoming = wire.IncomingRequest.read(
                request.method, request.raw_path, request.headers, body
            )
            return await self._exchange(request, incoming)
        except GatewayError as error:
            await failure_items(self.runtime, "provider", incoming, error, detail)
            return error_response(error, accept, detail=detail, headers=_echo(incoming))
        except Exception as unexpected:  # nothing a peer sends may crash the gateway
            error = internal_error("server", unexpected, detail)
            return error_response(error, accept, detail=detail, headers=_echo(incoming))

    async def _exchange(
        self, request: web.Request, incoming: wire.IncomingRequest
    ) -> web.StreamResponse:
        received_at = rfc3339()
        client_member = incoming.client_member
        self.runtime.check_caller(peer_certificate(request.transport), member=client_member)
        digest = incoming.digest()
        self.runtime.verifier.verify(
            digest,
            incoming.signature,
            incoming.certificate_der,
            member=client_member,
            at=incoming.signed_at,
            side="server",
        )
        conf = self._current()
        self._check_members(conf, client_member, incoming)
        service = incoming.service
        code = service.service_code
        if code in RESERVED_SERVICE_CODES:
            status, headers, body = self._metadata(conf, incoming)
        else:
            config = self._service(incoming)
            if not self.runtime.access(conf).allows(
                incoming.client, service, incoming.method, incoming.path
            ):
                raise GatewayError(
                    Code.ACCESS_DENIED,
                    f"{incoming.client} has no grant for {service} {incoming.method} {incoming.path or '/'}",
                )
            status, headers, body = await self._call_backend(config, incoming)
        return await self._answer(incoming, digest, received_at, status, headers, body)

    def _current(self) -> GlobalConfiguration:
        try:
            return self.runtime.current()
        except GlobalConfigurationError as error:
            raise GatewayError(Code.OUTDATED_GLOBALCONF_SERVER, str(error)) from None

    def _check_members(
        self, conf: GlobalConfiguration, client: MemberId, incoming: wire.IncomingRequest
    ) -> None:
        for member in (client, self.config.member):
            entry = next(
                (
                    m
                    for m in conf.members
                    if m.member_class == member.member_class
                    and m.member_code == member.member_code
                ),
                None,
            )
            if entry is None:
                raise GatewayError(Code.ACCESS_DENIED, f"{member} is not registered")
            if entry.status is MemberStatus.SUSPENDED:
                raise GatewayError(Code.MEMBER_SUSPENDED, f"{member} is suspended")

    def _service(self, incoming: wire.IncomingRequest) -> ServiceConfig:
        service = incoming.service
        if service.subsystem.member != self.config.member:
            raise GatewayError(Code.UNKNOWN_SERVICE, f"{service} is not served here")
        config = self.services.get((service.subsystem.subsystem_code, service.service_code))
        if config is None:
            raise GatewayError(Code.UNKNOWN_SERVICE, f"{service} is not served here")
        return config

    async def _call_backend(
        self, service: ServiceConfig, incoming: wire.IncomingRequest
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        session = self.runtime.backend_session
        url = service.url.rstrip("/") + incoming.path
        if incoming.query:
            url += f"?{incoming.query}"
        timeout = aiohttp.ClientTimeout(total=service.timeout)
        try:
            async with session.request(
                incoming.method,
                aiohttp.client.URL(url, encoded=True),
                headers=incoming.backend_headers(),
                data=incoming.body or None,
                allow_redirects=False,
                timeout=timeout,
            ) as response:
                body = await read_response_body(
                    response, self.config.max_body_bytes, Code.SERVICE_FAILED
                )
                return response.status, wire.passing(response.headers), body
        except asyncio.TimeoutError:
            raise GatewayError(
                Code.TIMEOUT, f"the service did not answer within {service.timeout:g} s"
            ) from None
        except aiohttp.ClientError as error:
            raise GatewayError(Code.SERVICE_FAILED, f"the service failed: {error}") from None

    def _metadata(
        self, conf: GlobalConfiguration, incoming: wire.IncomingRequest
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        raise NotImplementedError

    async def _answer(
        self,
        incoming: wire.IncomingRequest,
        digest: bytes,
        received_at: str,
        status: int,
        headers: list[tuple[str, str]],
        body: bytes,
    ) -> web.StreamResponse:
        raise NotImplementedError


def _echo(incoming: wire.IncomingRequest | None) -> dict[str, str]:
    if incoming is None:
        return {}
    return {"X-Road-Client": incoming.client_text, "X-Road-Service": incoming.service_text}
