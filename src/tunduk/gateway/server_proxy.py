"""The provider side: peer gateways call over mutual TLS; this gateway calls its backends.

Order of checks for ``/r1/{serviceId}[/path]`` (each refusal is answered with its X-Road
code, logged and journaled): the calling gateway's TLS certificate belongs to the
client's member (``check_peer``), the gateway is not in maintenance
(:mod:`tunduk.gateway.maintenance`), the request signature verifies, the configuration is
current, neither member is suspended, the service is one this gateway serves (its
``[[services]]``), a grant lets the client (or one of its groups) call the service and
endpoint. Then the backend is called (``url`` + the rest of the path + the query, no
redirect followed, bounded in time and size), the request hash computed, the response
signed, both leaves journaled durably, and only then the answer leaves. Metadata
services are answered here. ``POST /tunduk/v1/cosign`` is the journal's witnessing
endpoint, for peers that passed the same TLS check.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from aiohttp import web

from tunduk.globalconf import GlobalConfiguration, MemberStatus
from tunduk.identifiers import MemberId, SubsystemId

from . import wire, xroad
from ._errors import Code, GatewayError
from ._http1 import AnswerTooLarge, HttpClientError, split_url
from ._journal_items import Direction, failure_item, leaf_item, request_head, response_head
from ._proxying import (
    Journaled,
    error_response,
    hide_server_software,
    internal_error,
    new_id,
    peer_certificate,
    read_request_body,
    rfc3339,
    sha256,
)
from .config import ServiceConfig
from .leaf import MessageLeaf, StoredMessage
from .metadata import metadata_response
from .tls import check_peer
from .witnessing import PEER_KEY, WITNESS_KEY, cosign_handler

if TYPE_CHECKING:
    from .runtime import GatewayRuntime

__all__ = ["ServerProxy", "server_app"]

logger = logging.getLogger(__name__)

Answer = tuple[int, list[tuple[str, str]], bytes]
DEFAULT_ACCEPT = ("Accept", "application/json")
"""What a backend is told to answer in when the client named no type (REST §4.3)."""


def server_app(runtime: GatewayRuntime) -> web.Application:
    """The aiohttp application on ``listen.server`` (TLS with client certificates)."""
    proxy = ServerProxy(runtime)
    app = web.Application(
        client_max_size=runtime.config.max_body_bytes,
        # The body passes as sent: never decoded (REST §4.3; no decompression bomb).
        handler_args={"auto_decompress": False},
    )
    app[WITNESS_KEY] = runtime.witness
    app.on_response_prepare.append(hide_server_software)
    app.router.add_post("/tunduk/v1/cosign", proxy.cosign)
    app.router.add_route("*", "/{tail:.*}", proxy.handle)
    return app


class ServerProxy:
    """Handlers of the provider side; all state lives in the runtime."""

    def __init__(self, runtime: GatewayRuntime) -> None:
        self.runtime = runtime
        self.config = runtime.config

    async def cosign(self, request: web.Request) -> web.StreamResponse:
        """A peer asks this gateway to witness its journal's checkpoint."""
        try:
            der = peer_certificate(request.transport)
            request[PEER_KEY] = check_peer(self.runtime.configurations, der, side="server")
        except GatewayError as error:
            return error_response(error, request.headers.get("Accept"))
        return await cosign_handler(request)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """One message from a peer gateway."""
        accept = request.headers.get("Accept")
        received_at = rfc3339()
        direction: Direction | None = None
        echo: dict[str, str] = {}
        try:
            target = xroad.parse_target(request.raw_path)
            client_headers = xroad.parse_client_headers(request.headers.items(), generate_id=False)
            direction = _direction(request, client_headers, target)
            echo = {wire.MESSAGE_ID: direction.message_id, wire.REQUEST_ID: direction.request_id}
            return await self._exchange(request, target, client_headers, direction, received_at)
        except Journaled as journaled:
            detail = new_id()
            logger.info("failed %s: %s (%s)", request.raw_path[:200], journaled.error, detail)
            return error_response(journaled.error, accept, detail=detail, headers=echo)
        except GatewayError as error:
            detail = new_id()
            logger.info("refused %s: %s (%s)", request.raw_path[:200], error, detail)
            await self._journal_failure(direction, received_at, error.code)
            return error_response(error, accept, detail=detail, headers=echo)
        except Exception as unexpected:  # nothing a peer sends may crash the gateway
            detail = new_id()
            failure = internal_error("server", unexpected, detail)
            return error_response(failure, accept, detail=detail, headers=echo)

    async def _journal_failure(self, direction: Direction | None, at: str, code: str) -> None:
        """Journal a refused or failed request (one leaf with its code); never raises."""
        log = self.runtime.log
        if direction is None or log is None:
            return
        try:
            await log.record([failure_item(direction, "provider", at, b"", b"", code)])
        except Exception:
            logger.exception("cannot journal the failure of %s", direction.message_id)

    async def _exchange(
        self,
        request: web.Request,
        target: xroad.RestTarget,
        client_headers: xroad.ClientHeaders,
        direction: Direction,
        received_at: str,
    ) -> web.StreamResponse:
        client = client_headers.client
        client_member = client.member if isinstance(client, SubsystemId) else client
        peer = self.runtime.check_peer(
            peer_certificate(request.transport), member=client_member, side="server"
        )
        maintenance = self.runtime.maintenance.state
        if maintenance is not None:
            raise GatewayError(
                Code.MAINTENANCE_MODE, f"{self.config.server} is {maintenance.describe()}"
            )
        body = await read_request_body(request, self.config.max_body_bytes, Code.REQUEST_TOO_LARGE)
        signature, der = wire.read_signature(request.headers.items(), "server")
        peer_request = wire.PeerRequest(
            direction.method, target, client_headers, direction.request_id, signature, der
        )
        direction = self._verify(peer_request, direction, body, client_member)
        head = request_head(
            direction.method, direction.path, direction.query, list(request.headers.items())
        )
        try:
            conf = self.runtime.current_for("server")
            self._check_members(conf, client_member)
            status, passing, answer_body = await self._serve(
                conf, target, client_headers, direction, body
            )
        except GatewayError as error:
            await self._journal(
                [leaf_item(direction, "provider", received_at, head, body, error=error.code)]
            )
            raise Journaled(error) from None
        response, sent = await self._sign(
            peer_request, direction, status, passing, answer_body, body
        )
        await self._journal(
            [
                leaf_item(direction, "provider", received_at, head, body),
                leaf_item(
                    response, "provider", rfc3339(), response_head(status, sent), answer_body
                ),
            ]
        )
        self.runtime.exchanged_with(peer)
        answer = web.Response(status=status, body=answer_body)
        answer.headers.extend(sent)
        return answer

    async def _sign(
        self,
        peer_request: wire.PeerRequest,
        direction: Direction,
        status: int,
        passing: list[tuple[str, str]],
        answer_body: bytes,
        body: bytes,
    ) -> tuple[Direction, list[tuple[str, str]]]:
        """Sign the response: its direction for the journal and the headers to send."""
        request_hash = peer_request.request_hash(body)
        digest = wire.response_digest(
            peer_request,
            status=status,
            passing=passing,
            request_hash=request_hash,
            body_sha256=sha256(answer_body),
        )
        signature = await self.runtime.signer.sign(digest)
        sent = wire.response_headers(
            peer_request,
            passing=passing,
            request_hash=request_hash,
            signature=signature,
            certificate_der=self.runtime.signer.certificate_der,
        )
        response = replace(
            direction,
            kind="response",
            status=status,
            digest=digest,
            signature=signature.to_header(),
            certificate_sha256=self.runtime.signer.certificate_sha256,
        )
        return response, sent

    async def _journal(self, items: list[tuple[MessageLeaf, StoredMessage]]) -> None:
        """Append ``items`` to the journal; returns once they are durable."""
        assert self.runtime.log is not None
        await self.runtime.log.record(items)

    def _check_members(self, conf: GlobalConfiguration, client_member: MemberId) -> None:
        """Both members are in the configuration and neither is suspended."""
        index = self.runtime.access(conf)
        for member in (client_member, self.config.member):
            member_status = index.member_status(member)
            if member_status is None or member.instance != conf.instance:
                raise GatewayError(Code.ACCESS_DENIED, f"{member} is not a member of the exchange")
            if member_status is MemberStatus.SUSPENDED:
                raise GatewayError(Code.MEMBER_SUSPENDED, f"{member} is suspended")

    def _verify(
        self,
        peer_request: wire.PeerRequest,
        direction: Direction,
        body: bytes,
        client_member: MemberId,
    ) -> Direction:
        """The request's digest and signature, checked before anything else is done."""
        digest = peer_request.digest(sha256(body))
        self.runtime.verifier.verify(
            digest,
            peer_request.signature,
            peer_request.certificate_der,
            member=client_member,
            at=datetime.now(UTC),
            side="server",
        )
        return replace(
            direction,
            digest=digest,
            signature=peer_request.signature.to_header(),
            certificate_sha256=peer_request.signature.certificate_sha256,
        )

    async def _serve(
        self,
        conf: GlobalConfiguration,
        target: xroad.RestTarget,
        client_headers: xroad.ClientHeaders,
        direction: Direction,
        body: bytes,
    ) -> Answer:
        """Answer from a metadata service or the backend, after the authorisation."""
        client = client_headers.client
        service = target.service
        if service.subsystem.member != self.config.member:
            raise GatewayError(Code.UNKNOWN_SERVICE, f"{service.subsystem} is not served here")
        if target.metadata is not None:
            status, headers, answer = metadata_response(
                self.runtime.descriptions, self.runtime.access(conf), target, client
            )
            return status, wire.explicit_headers(headers, answer), answer
        config = self.config.service(service.subsystem.subsystem_code, service.service_code)
        if config is None:
            raise GatewayError(Code.UNKNOWN_SERVICE, f"{service} is not served here")
        self.runtime.access(conf).check(client, service, direction.method, target.rest)
        headers = _backend_headers(client_headers, direction)
        return await self._call_backend(config, target, direction, headers, body)

    async def _call_backend(
        self,
        service: ServiceConfig,
        target: xroad.RestTarget,
        direction: Direction,
        headers: list[tuple[str, str]],
        body: bytes,
    ) -> Answer:
        """The backend's whole answer (no redirect followed, bounded in time and size)."""
        secure, host, port, base = split_url(service.url)
        path = base + target.rest or "/"
        if target.query:
            path += f"?{target.query}"
        limit = self.config.max_body_bytes
        try:
            answer = await self.runtime.backend_pool.request(
                direction.method,
                host,
                port,
                path,
                headers,
                body,
                context=self.runtime.backend_tls if secure else None,
                timeout=service.timeout,
                max_body=limit,
            )
        except TimeoutError:
            raise GatewayError(
                Code.NETWORK_ERROR_SERVER,
                f"the service did not answer within {service.timeout:g} s",
            ) from None
        except AnswerTooLarge:
            raise GatewayError(
                Code.SERVICE_FAILED, f"the answer is larger than the limit of {limit} bytes"
            ) from None
        except HttpClientError as error:
            raise GatewayError(
                Code.SERVICE_FAILED, f"the service failed: {type(error).__name__}"
            ) from None
        try:
            passing = list(xroad.passing_headers(answer.headers))
        except GatewayError as error:
            raise GatewayError(Code.SERVICE_FAILED, error.message) from None
        return answer.status, wire.explicit_headers(passing, answer.body), answer.body


def _backend_headers(
    client_headers: xroad.ClientHeaders, direction: Direction
) -> list[tuple[str, str]]:
    """What the backend receives: the passing headers and the X-Road request headers, and
    ``Accept: application/json`` when the client sent no ``Accept`` (REST §4.3: the default
    content type)."""
    headers = list(client_headers.passing)
    if not any(name.lower() == "accept" for name, _ in headers):
        headers.append(DEFAULT_ACCEPT)
    headers.extend(
        (
            ("X-Road-Client", direction.client),
            ("X-Road-Service", direction.service),
            ("X-Road-Id", direction.message_id),
            ("X-Road-Request-Id", direction.request_id),
        )
    )
    optional = (
        ("X-Road-UserId", client_headers.user_id),
        ("X-Road-Issue", client_headers.issue),
        ("X-Road-Represented-Party", client_headers.represented_party),
    )
    headers.extend((name, str(value)) for name, value in optional if value is not None)
    return headers


def _direction(
    request: web.Request, client_headers: xroad.ClientHeaders, target: xroad.RestTarget
) -> Direction:
    request_id = request.headers.get(wire.REQUEST_ID, "")
    if (
        not request_id
        or len(request_id) > 255
        or not request_id.isascii()
        or not request_id.isprintable()
    ):
        raise GatewayError(Code.CLIENT_BAD_REQUEST, "X-Road-Request-Id is missing or malformed")
    return Direction(
        kind="request",
        message_id=client_headers.message_id,
        request_id=request_id,
        client=str(client_headers.client),
        service=str(target.service),
        method=request.method,
        path=target.canonical_path,
        query=target.query,
        status=None,
        digest=b"",
        signature="",
        certificate_sha256=b"",
    )
