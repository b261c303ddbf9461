"""The listeners' runner: HTTP the gateway cannot even parse still gets an X-Road error.

aiohttp answers a request its parser refuses (a bare CR or LF or a NUL in a header, a
request line or header over 8190 bytes, too many headers, ``Content-Length`` beside
``Transfer-Encoding``, a broken chunk, an unknown method, TLS or HTTP/2 bytes on the
plain port) itself, before any handler runs: ``text/plain``, no ``X-Road-Error``, and
``Server: Python/… aiohttp/…``. X-Road REST r1 §4.4 gives a client one error shape for
everything its gateway refuses, so :class:`ListenerRunner` answers these as well with
``{"type","message","detail"}`` and ``X-Road-Error``: ``Client.RequestTooLarge`` for a
line or header count over the parser's bounds, ``Client.BadRequest`` for any other
framing error, and the side's ``InternalError`` (logged under the detail id) for an
exception a handler let through. The connection is closed after such an answer, as
aiohttp does. The parser's own words (which quote the hostile bytes) go to the log only.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from aiohttp import web
from aiohttp.http_exceptions import LineTooLong
from aiohttp.web_protocol import RequestHandler
from aiohttp.web_request import BaseRequest

from ._errors import Code, GatewayError
from ._proxying import SERVER_SOFTWARE, error_response, internal_error, new_id

__all__ = ["ListenerRunner"]

logger = logging.getLogger("tunduk.gateway")

_TOO_MANY_HEADERS = "Too many headers"
"""The start of aiohttp's message for a request over ``max_headers`` fields."""


class _XRoadRequestHandler(RequestHandler):
    """aiohttp's connection handler with X-Road error answers for what it cannot parse."""

    __slots__ = ()
    side: ClassVar[str] = "client"

    def handle_error(
        self,
        request: BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        """The X-Road error for a framing error (status 4xx) or an unhandled exception."""
        if request.writer.output_size > 0:
            raise ConnectionError("the answer was started; the connection is broken")
        detail = new_id()
        if status >= 500:
            error = internal_error(self.side, exc or RuntimeError(message), detail)
        else:
            error = _framing_error(exc, message)
            logger.info(
                "malformed HTTP from %s: %s (%s)",
                request.remote,
                (message or "").partition("\n")[0][:200],
                detail,
            )
        response = error_response(error, None, detail=detail)
        response.headers["Server"] = SERVER_SOFTWARE
        response.force_close()
        return response


class _XRoadPeerRequestHandler(_XRoadRequestHandler):
    """The same on the peer listener, where an unhandled failure is the provider side's."""

    __slots__ = ()
    side: ClassVar[str] = "server"


def _framing_error(exc: BaseException | None, message: str | None) -> GatewayError:
    if isinstance(exc, LineTooLong) or (message or "").startswith(_TOO_MANY_HEADERS):
        return GatewayError(
            Code.REQUEST_TOO_LARGE,
            "The request line or a header is too long, or there are too many headers",
        )
    return GatewayError(Code.CLIENT_BAD_REQUEST, "The request is not well-formed HTTP/1.1")


class _XRoadServer(web.Server):
    """aiohttp's low-level server making :class:`_XRoadRequestHandler` connections."""

    handler_class: ClassVar[type[RequestHandler]] = _XRoadRequestHandler

    def __call__(self) -> RequestHandler:
        return self.handler_class(self, loop=self._loop, **self._kwargs)


class _XRoadPeerServer(_XRoadServer):
    handler_class: ClassVar[type[RequestHandler]] = _XRoadPeerRequestHandler


class ListenerRunner(web.AppRunner):
    """``web.AppRunner`` whose connections answer framing errors as X-Road errors.

    ``peers`` selects the peer listener's side (``Server.ServerProxy.*`` for an internal
    failure) instead of the client side's.
    """

    def __init__(self, app: web.Application, *, peers: bool, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self._server_class = _XRoadPeerServer if peers else _XRoadServer

    async def _make_server(self) -> web.Server:
        server = await super()._make_server()
        # The app's own Server, with its handler and request factory: only the class of
        # the connections it makes changes.
        server.__class__ = self._server_class
        return server
