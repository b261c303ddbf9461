"""The client side: the organisation's own systems call X-Road REST r1 over plain HTTP.

For ``{METHOD} /r1/{serviceId}[/path][?query]`` with ``X-Road-Client`` the gateway checks
that the client is this gateway's own member (or one of its subsystems) and the global
configuration is current, finds the provider's gateway, signs the request, sends it over
mutual TLS, checks the provider's TLS certificate, the response's signature and its
``X-Road-Request-Hash``, journals the request and response leaves durably, and only then
answers, with X-Road's response headers set over any the service sent. ``GET
/listClients`` is answered here from the configuration; ``listMethods``,
``allowedMethods`` and ``getOpenAPI`` travel to the provider like any message.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from aiohttp import web

from tunduk.globalconf import MemberStatus
from tunduk.identifiers import MemberId, ServerId, ServiceId, SubsystemId

from . import wire, xroad
from ._directory import Directory
from ._errors import Code, GatewayError
from ._http1 import AnswerTooLarge, HttpClientError, TlsFailed, split_authority
from ._journal_items import Direction, failure_item, leaf_item, request_head, response_head
from ._proxying import (
    Journaled,
    error_response,
    hide_server_software,
    internal_error,
    new_id,
    read_request_body,
    response_transport,
    rfc3339,
    sha256,
)
from .tls import handshake_error

if TYPE_CHECKING:
    from .runtime import GatewayRuntime

__all__ = ["ClientProxy", "client_app"]

logger = logging.getLogger(__name__)

_transport = response_transport
"""The transport of a client response (``_journal_runtime`` imports it under this name)."""


def client_app(runtime: GatewayRuntime) -> web.Application:
    """The aiohttp application on ``listen.client``."""
    proxy = ClientProxy(runtime)
    app = web.Application(
        client_max_size=runtime.config.max_body_bytes,
        # The body passes as sent: never decoded (REST §4.3; no decompression bomb).
        handler_args={"auto_decompress": False},
    )
    app.router.add_get("/listClients", proxy.list_clients)
    app.on_response_prepare.append(hide_server_software)
    app.router.add_route("*", "/{tail:.*}", proxy.handle)
    return app


class ClientProxy:
    """Handlers of the client side; all state lives in the runtime."""

    def __init__(self, runtime: GatewayRuntime) -> None:
        self.runtime = runtime
        self.config = runtime.config

    async def list_clients(self, request: web.Request) -> web.Response:
        """``GET /listClients[?xRoadInstance=…]``: members and subsystems, XML or JSON."""
        from . import metadata

        accept = request.headers.get("Accept")
        try:
            conf = self.runtime.current_for("client")
            body, content_type = metadata.list_clients(
                conf, request.query.get("xRoadInstance"), accept
            )
        except GatewayError as error:
            return error_response(error, accept)
        return web.Response(body=body, headers={"Content-Type": content_type})

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """One message: parse, check, sign, send, verify, journal, answer."""
        accept = request.headers.get("Accept")
        received_at = rfc3339()
        echo: dict[str, str] = {}
        direction: Direction | None = None
        try:
            target = xroad.parse_target(request.raw_path)
            client_headers = xroad.parse_client_headers(request.headers.items())
            echo = _echo(client_headers, target)
            direction = _direction(request.method, client_headers, target)
            echo[wire.REQUEST_ID] = direction.request_id  # every answer from here names it
            return await self._exchange(request, target, client_headers, direction, received_at)
        except Journaled as journaled:
            detail = new_id()
            error = journaled.error
            logger.info("failed %s: %s (%s)", request.raw_path[:200], error, detail)
            return error_response(error, accept, detail=detail, headers=echo)
        except GatewayError as error:
            detail = new_id()
            logger.info("refused %s: %s (%s)", request.raw_path[:200], error, detail)
            await self._journal_failure(direction, received_at, error.code)
            return error_response(error, accept, detail=detail, headers=echo)
        except Exception as unexpected:  # nothing a client sends may crash the gateway
            detail = new_id()
            failure = internal_error("client", unexpected, detail)
            return error_response(failure, accept, detail=detail, headers=echo)

    async def _journal_failure(self, direction: Direction | None, at: str, code: str) -> None:
        """Journal a refused or failed request (one leaf with its code); never raises."""
        log = self.runtime.log
        if direction is None or log is None:
            return
        try:
            await log.record([failure_item(direction, "client", at, b"", b"", code)])
        except Exception:
            logger.exception("cannot journal the failure of %s", direction.message_id)

    def _check_client(self, directory: Directory, client: MemberId | SubsystemId) -> None:
        member = self.config.member
        xroad.check_own_client(client, member)
        entry = directory.member(member)
        if entry is None:
            raise GatewayError(Code.INVALID_CLIENT_IDENTIFIER, f"{member} is not registered")
        if entry.status is MemberStatus.SUSPENDED:
            raise GatewayError(Code.MEMBER_SUSPENDED_CLIENT, f"{member} is suspended")
        if isinstance(client, SubsystemId) and client not in directory.subsystems:
            raise GatewayError(Code.INVALID_CLIENT_IDENTIFIER, f"{client} is not registered")

    async def _exchange(
        self,
        request: web.Request,
        target: xroad.RestTarget,
        client_headers: xroad.ClientHeaders,
        direction: Direction,
        received_at: str,
    ) -> web.StreamResponse:
        directory = self.runtime.directory(self.runtime.current_for("client"))
        self._check_client(directory, client_headers.client)
        addresses = _provider_addresses(directory, target.service, client_headers.security_server)
        body = await read_request_body(request, self.config.max_body_bytes, Code.REQUEST_TOO_LARGE)
        peer_request, direction, sent = await self._sign(target, client_headers, direction, body)
        head = request_head(direction.method, direction.path, direction.query, sent)
        request_hash = peer_request.request_hash(body)
        try:
            for tried, address in enumerate(addresses, 1):
                answer = await self._send(address, target, direction, sent, body)
                response = wire.read_response(
                    answer.status,
                    answer.headers,
                    message_id=direction.message_id,
                    request_id=direction.request_id,
                    request_hash=request_hash,
                )
                if response.error != Code.MAINTENANCE_MODE or tried == len(addresses):
                    break
                logger.info("%s is in maintenance: trying another gateway", address)
            if response.error is not None:
                await self._journal(direction, received_at, head, body, error=response.error)
                return _passed_error(answer, response.error, client_headers, target, direction)
            answered = self._verify(peer_request, response, answer, request_hash, direction)
        except GatewayError as error:
            await self._journal(direction, received_at, head, body, error=error.code)
            raise Journaled(error) from None
        await self._journal(direction, received_at, head, body, answer=(answered, answer))
        return _answer(answer, response.passing, client_headers, target, direction, request_hash)

    async def _sign(
        self,
        target: xroad.RestTarget,
        client_headers: xroad.ClientHeaders,
        direction: Direction,
        body: bytes,
    ) -> tuple[wire.PeerRequest, Direction, list[tuple[str, str]]]:
        """Sign the request: the peer request, its signed direction, the headers to send."""
        signer = self.runtime.signer
        digest = wire.request_digest(
            direction.method, target, client_headers, direction.request_id, sha256(body)
        )
        signature = await signer.sign(digest)
        peer_request = wire.PeerRequest(
            direction.method,
            target,
            client_headers,
            direction.request_id,
            signature,
            signer.certificate_der,
        )
        signed = replace(
            direction,
            digest=digest,
            signature=signature.to_header(),
            certificate_sha256=signer.certificate_sha256,
        )
        sent = wire.request_headers(
            client_headers, direction.request_id, signature, signer.certificate_der
        )
        return peer_request, signed, sent

    def _verify(
        self,
        peer_request: wire.PeerRequest,
        response: wire.PeerResponse,
        answer: _Answer,
        request_hash: str,
        direction: Direction,
    ) -> Direction:
        """The response direction once its signature by the provider's member verifies."""
        assert response.signature is not None and response.certificate_der is not None
        digest = wire.response_digest(
            peer_request,
            status=answer.status,
            passing=response.passing,
            request_hash=request_hash,
            body_sha256=sha256(answer.body),
        )
        self.runtime.verifier.verify(
            digest,
            response.signature,
            response.certificate_der,
            member=peer_request.target.service.subsystem.member,
            at=datetime.now(UTC),
            side="client",
        )
        return replace(
            direction,
            kind="response",
            status=answer.status,
            digest=digest,
            signature=response.signature.to_header(),
            certificate_sha256=response.signature.certificate_sha256,
        )

    async def _journal(
        self,
        direction: Direction,
        received_at: str,
        head: bytes,
        body: bytes,
        *,
        error: str | None = None,
        answer: tuple[Direction, _Answer] | None = None,
    ) -> None:
        """Journal our signed request and the verified response (or the refusal), durably."""
        items = [leaf_item(direction, "client", received_at, head, body, error=error)]
        if answer is not None:
            response, raw = answer
            head = response_head(raw.status, raw.headers)
            items.append(leaf_item(response, "client", raw.received_at, head, raw.body))
        assert self.runtime.log is not None
        await self.runtime.log.record(items)

    async def _send(
        self,
        address: str,
        target: xroad.RestTarget,
        direction: Direction,
        headers: list[tuple[str, str]],
        body: bytes,
    ) -> _Answer:
        """Send the signed request over mutual TLS, once the peer's certificate checks."""
        tls = self.runtime.tls
        assert tls is not None
        member = target.service.subsystem.member
        peers: list[ServerId] = []

        def check(der: bytes) -> None:
            peers.append(self.runtime.check_peer(der, member=member, side="client"))

        path = f"{direction.path}?{direction.query}" if direction.query else direction.path
        limit = self.config.max_body_bytes
        try:
            host, port = split_authority(address)
            answer = await self.runtime.peer_pool.request(
                direction.method,
                host,
                port,
                path,
                headers,
                body,
                context=tls.client,
                timeout=self.config.peer_timeout,
                max_body=limit,
                check_certificate=check,
            )
        except TimeoutError:
            raise GatewayError(
                Code.NETWORK_ERROR_CLIENT,
                f"the provider's gateway did not answer within {self.config.peer_timeout:g} s",
            ) from None
        except TlsFailed as error:
            raise handshake_error(error.error, "client") from None
        except AnswerTooLarge:
            raise GatewayError(
                Code.NETWORK_ERROR_CLIENT, f"the answer is larger than the limit of {limit} bytes"
            ) from None
        except (HttpClientError, ValueError) as error:
            raise GatewayError(
                Code.NETWORK_ERROR_CLIENT, f"the provider's gateway failed: {type(error).__name__}"
            ) from None
        self.runtime.exchanged_with(peers[-1])
        return _Answer(answer.status, answer.headers, answer.body, rfc3339())


@dataclass(frozen=True, slots=True)
class _Answer:
    """The provider gateway's answer as received: status, headers, body, when."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes
    received_at: str

    def header(self, name: str) -> str | None:
        """The last value of header ``name``."""
        lowered = name.lower()
        values = [v for k, v in self.headers if k.lower() == lowered]
        return values[-1] if values else None


def _direction(
    method: str, client_headers: xroad.ClientHeaders, target: xroad.RestTarget
) -> Direction:
    """The request direction as far as it is known before the body and the signature."""
    return Direction(
        kind="request",
        message_id=client_headers.message_id,
        request_id=new_id(),
        client=str(client_headers.client),
        service=str(target.service),
        method=method,
        path=target.canonical_path,
        query=target.query,
        status=None,
        digest=b"",
        signature="",
        certificate_sha256=b"",
    )


def _provider_addresses(
    directory: Directory, service: ServiceId, wanted: ServerId | None
) -> list[str]:
    """The addresses of the provider's gateways in the order to try them: the one
    ``X-Road-Security-Server`` names, else all in random order (the next is tried only when
    one is in maintenance)."""
    member = service.subsystem.member
    if directory.member(member) is None:
        raise GatewayError(Code.UNKNOWN_MEMBER, f"{member} is not a member of the exchange")
    if service.subsystem not in directory.subsystems:
        raise GatewayError(Code.UNKNOWN_MEMBER, f"{service.subsystem} is not registered")
    gateways = directory.gateways_of(member)
    if wanted is not None:
        gateways = [g for g in gateways if member.server(g.server_code) == wanted]
        if not gateways:
            raise GatewayError(
                Code.INVALID_SECURITY_SERVER, f"{wanted} is not a gateway of {member}"
            )
    if not gateways:
        raise GatewayError(Code.UNKNOWN_MEMBER, f"{member} has no gateway")
    if len(gateways) == 1:
        return [gateways[0].address]
    return [gateway.address for gateway in random.sample(gateways, len(gateways))]


def _echo(client_headers: xroad.ClientHeaders, target: xroad.RestTarget) -> dict[str, str]:
    return {
        "X-Road-Client": str(client_headers.client),
        "X-Road-Service": str(target.service),
        "X-Road-Id": client_headers.message_id,
    }


def _answer(
    answer: _Answer,
    passing: tuple[tuple[str, str], ...],
    client_headers: xroad.ClientHeaders,
    target: xroad.RestTarget,
    direction: Direction,
    request_hash: str,
) -> web.Response:
    """The provider's answer with X-Road's response headers set over the service's."""
    response = web.Response(status=answer.status, body=answer.body)
    response.headers.extend(passing)
    response.headers.extend(
        (
            ("X-Road-Client", str(client_headers.client)),
            ("X-Road-Service", str(target.service)),
            (wire.MESSAGE_ID, direction.message_id),
            (wire.REQUEST_ID, direction.request_id),
            (wire.REQUEST_HASH, request_hash),
        )
    )
    return response


def _passed_error(
    answer: _Answer,
    code: str,
    client_headers: xroad.ClientHeaders,
    target: xroad.RestTarget,
    direction: Direction,
) -> web.Response:
    """The provider gateway's X-Road error, passed back with our response headers (the
    request id too: the client can name the exchange to its gateway's administrator)."""
    response = web.Response(status=answer.status, body=answer.body)
    content_type = answer.header("Content-Type")
    if content_type is not None:
        response.headers["Content-Type"] = content_type
    response.headers[wire.ERROR] = code
    response.headers.update(_echo(client_headers, target))
    response.headers[wire.REQUEST_ID] = direction.request_id
    return response
