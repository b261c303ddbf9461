"""The client side: the organisation's own systems call X-Road REST r1 over plain HTTP.

For ``{METHOD} /r1/{serviceId}[/path][?query]`` with ``X-Road-Client`` the gateway checks
that the client is this gateway's own member (or one of its subsystems), that the global
configuration is current, finds the provider's gateway, signs the request, sends it over
mutual TLS, checks the provider's TLS certificate and the response's signature and
``X-Road-Request-Hash``, journals the request and response leaves durably, and only then
answers, with X-Road's response headers. ``GET /listClients`` is answered here from the
configuration; ``listMethods``, ``allowedMethods`` and ``getOpenAPI`` travel to the
provider like any message.
"""

from __future__ import annotations

import asyncio
import logging
import random
from typing import TYPE_CHECKING

import aiohttp
from aiohttp import web
from multidict import CIMultiDict

from tunduk.globalconf import GlobalConfiguration, GlobalConfigurationError, MemberStatus
from tunduk.identifiers import MemberId, ServiceId, SubsystemId

from . import metadata, wire, xroad
from ._errors import Code, GatewayError
from ._proxying import (
    error_response,
    internal_error,
    new_id,
    read_request_body,
    read_response_body,
    rfc3339,
    sha256,
)
from .journal_items import exchange_items, failure_items
from .signing import message_digest
from .tls import check_peer

if TYPE_CHECKING:
    from .runtime import GatewayRuntime

__all__ = ["ClientProxy", "client_app"]

logger = logging.getLogger(__name__)


def client_app(runtime: GatewayRuntime) -> web.Application:
    """The aiohttp application on ``listen.client``."""
    proxy = ClientProxy(runtime)
    app = web.Application(client_max_size=runtime.config.max_body_bytes)
    app.router.add_get("/listClients", proxy.list_clients)
    app.router.add_route("*", "/r1/{tail:.*}", proxy.handle)
    app.router.add_route("*", "/{tail:.*}", proxy.not_found)
    return app


class ClientProxy:
    """Handlers of the client side; all state lives in the runtime."""

    def __init__(self, runtime: GatewayRuntime) -> None:
        self.runtime = runtime
        self.config = runtime.config
        self.member = runtime.config.member

    async def not_found(self, request: web.Request) -> web.Response:
        """Anything but ``/r1/…`` and ``/listClients``: X-Road's bad-request error."""
        error = GatewayError(
            Code.CLIENT_BAD_REQUEST, "the path must start with /r1/ (X-Road REST r1)"
        )
        return error_response(error, request.headers.get("Accept"))

    async def list_clients(self, request: web.Request) -> web.Response:
        """``GET /listClients[?xRoadInstance=…]``: members and subsystems, XML or JSON."""
        accept = request.headers.get("Accept")
        try:
            conf = self._current()
            body, content_type = metadata.list_clients(
                conf, request.query.get("xRoadInstance"), accept
            )
        except GatewayError as error:
            return error_response(error, accept)
        return web.Response(body=body, headers={"Content-Type": content_type})

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """One message: parse, check, sign, send, verify, journal, answer."""
        accept = request.headers.get("Accept")
        detail = new_id()
        parsed: xroad.RestRequest | None = None
        try:
            parsed = xroad.parse_request(request.method, request.raw_path, request.headers)
            return await self._exchange(request, parsed)
        except GatewayError as error:
            await self._journal_failure(parsed, request.method, error, detail)
            return error_response(error, accept, detail=detail, headers=_echo(parsed))
        except Exception as unexpected:  # nothing a client sends may crash the gateway
            error = internal_error("client", unexpected, detail)
            return error_response(error, accept, detail=detail, headers=_echo(parsed))

    def _current(self) -> GlobalConfiguration:
        try:
            return self.runtime.current()
        except GlobalConfigurationError as error:
            raise GatewayError(Code.OUTDATED_GLOBALCONF_CLIENT, str(error)) from None

    def _check_client(self, conf: GlobalConfiguration, client: MemberId | SubsystemId) -> None:
        member = client.member if isinstance(client, SubsystemId) else client
        if member != self.member:
            raise GatewayError(
                Code.INVALID_CLIENT_IDENTIFIER,
                f"{client} is not a client of this gateway; it serves {self.member} only",
            )
        entry = _find_member(conf, member)
        if entry is None:
            raise GatewayError(Code.INVALID_CLIENT_IDENTIFIER, f"{member} is not registered")
        if entry.status is MemberStatus.SUSPENDED:
            raise GatewayError(Code.MEMBER_SUSPENDED_CLIENT, f"{member} is suspended")
        if isinstance(client, SubsystemId) and client.subsystem_code not in {
            s.subsystem_code for s in entry.subsystems
        }:
            raise GatewayError(Code.INVALID_CLIENT_IDENTIFIER, f"{client} is not registered")

    def _provider_address(self, conf: GlobalConfiguration, parsed: xroad.RestRequest) -> str:
        service = parsed.service
        member = service.subsystem.member
        entry = _find_member(conf, member)
        if entry is None or member.instance != conf.instance:
            raise GatewayError(Code.UNKNOWN_MEMBER, f"{member} is not a member of the exchange")
        if service.subsystem.subsystem_code not in {s.subsystem_code for s in entry.subsystems}:
            raise GatewayError(Code.UNKNOWN_MEMBER, f"{service.subsystem} is not registered")
        gateways = [
            g
            for g in conf.gateways
            if g.member_class == member.member_class and g.member_code == member.member_code
        ]
        wanted = parsed.security_server
        if wanted is not None:
            gateways = [g for g in gateways if wanted == member.server(g.server_code)]
            if wanted.member != member or not gateways:
                raise GatewayError(
                    Code.INVALID_SECURITY_SERVER, f"{wanted} is not a gateway of {member}"
                )
        if not gateways:
            raise GatewayError(Code.UNKNOWN_MEMBER, f"{member} has no gateway")
        return random.choice(gateways).address

    async def _exchange(
        self, request: web.Request, parsed: xroad.RestRequest
    ) -> web.StreamResponse:
        conf = self._current()
        self._check_client(conf, parsed.client)
        address = self._provider_address(conf, parsed)
        body = await read_request_body(request, self.config.max_body_bytes, Code.REQUEST_TOO_LARGE)
        message = wire.OutgoingRequest(
            message_id=parsed.message_id or new_id(),
            request_id=new_id(),
            client=str(parsed.client),
            service=str(parsed.service),
            method=request.method,
            path=parsed.path,
            query=parsed.query,
            headers=parsed.headers,
            body=body,
            user_id=parsed.user_id,
            issue=parsed.issue,
        )
        received_at = rfc3339()
        digest = message_digest(
            kind="request",
            message_id=message.message_id,
            request_id=message.request_id,
            client=message.client,
            service=message.service,
            method=message.method,
            path=message.path,
            query=message.query,
            headers=message.headers,
            body_sha256=sha256(body),
        )
        signature = await self.runtime.signer.sign(digest)
        answer = await self._send(address, parsed.service, message, signature)
        await self._journal(message, digest, signature, received_at, answer)
        return _answer(parsed, message, answer)

    async def _send(
        self,
        address: str,
        service: ServiceId,
        message: wire.OutgoingRequest,
        signature: object,
    ) -> wire.IncomingResponse:
        session = self.runtime.session
        assert session is not None, "the runtime starts the session before listening"
        url = f"https://{address}{service.rest_path()}{message.path}"
        if message.query:
            url += f"?{message.query}"
        headers = wire.request_headers(message, signature, self.runtime.keys.sign_cert)
        timeout = aiohttp.ClientTimeout(total=self.config.peer_timeout)
        try:
            async with session.request(
                message.method,
                aiohttp.client.URL(url, encoded=True),
                headers=headers,
                data=message.body or None,
                allow_redirects=False,
                timeout=timeout,
            ) as response:
                self.runtime.check_provider(response, service.subsystem.member)
                body = await read_response_body(
                    response, self.config.max_body_bytes, Code.NETWORK_ERROR_CLIENT
                )
                return wire.IncomingResponse.read(response.status, response.headers, body)
        except asyncio.TimeoutError:
            raise GatewayError(
                Code.TIMEOUT_CLIENT, f"the provider's gateway did not answer in time"
            ) from None
        except aiohttp.ClientError as error:
            raise GatewayError(
                Code.NETWORK_ERROR_CLIENT, f"cannot reach the provider's gateway: {error}"
            ) from None


def _find_member(conf: GlobalConfiguration, member: MemberId):  # type: ignore[no-untyped-def]
    for entry in conf.members:
        if entry.member_class == member.member_class and entry.member_code == member.member_code:
            return entry
    return None


def _echo(parsed: xroad.RestRequest | None) -> dict[str, str]:
    if parsed is None:
        return {}
    return {"X-Road-Client": str(parsed.client), "X-Road-Service": str(parsed.service)}
