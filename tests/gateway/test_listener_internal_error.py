"""The listeners' last line: an exception no handler caught is the side's InternalError
(REST §4.4: one error shape for everything a gateway refuses; issue 9: nothing crashes it).

A handler of the gateway catches what it can; this is what is left when one does not (a
fault in the framework's own response hooks, a bug): the client sees X-Road's error shape
with ``Server.ClientProxy.InternalError`` (client listener) or
``Server.ServerProxy.InternalError`` (peer listener) and a detail id, never the
exception's words; the log has them under that id.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid

import pytest
from aiohttp import web

from tunduk.gateway._listener import ListenerRunner

from ._clients import http_call

SECRET = "database password is hunter2"


async def _boom(request: web.Request) -> web.Response:
    raise RuntimeError(SECRET)


async def _ok(request: web.Request) -> web.Response:
    return web.Response(text="fine")


def _serve_and_call(peers: bool, paths: list[str]) -> list[tuple[int, dict[str, str], bytes]]:
    async def scenario() -> list[tuple[int, dict[str, str], bytes]]:
        app = web.Application()
        app.router.add_get("/boom", _boom)
        app.router.add_get("/ok", _ok)
        runner = ListenerRunner(app, peers=peers, access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        loop = asyncio.get_running_loop()
        replies = []
        try:
            for path in paths:
                reply = await loop.run_in_executor(
                    None, http_call, f"http://127.0.0.1:{port}", "GET", path
                )
                replies.append((reply.status, dict(reply.headers), reply.body))
        finally:
            await runner.cleanup()
        return replies

    return asyncio.run(scenario())


@pytest.mark.parametrize(
    ("peers", "code"),
    [(False, "Server.ClientProxy.InternalError"), (True, "Server.ServerProxy.InternalError")],
    ids=["client-listener", "peer-listener"],
)
def test_an_uncaught_exception_is_the_sides_internal_error(
    peers: bool, code: str, caplog: pytest.LogCaptureFixture
) -> None:
    """X-Road's error shape, the side's code, a detail id the log has; the exception's
    words stay in the log; the listener goes on serving."""
    with caplog.at_level(logging.ERROR):
        (status, headers, body), (after, _, fine) = _serve_and_call(peers, ["/boom", "/ok"])
    assert status == 500
    assert headers["X-Road-Error"] == code
    assert headers["Content-Type"].startswith("application/json")
    assert headers["Server"] == "Tunduk gateway"
    document = json.loads(body)
    assert document["type"] == code and set(document) == {"type", "message", "detail"}
    detail = document["detail"]
    uuid.UUID(detail)
    assert SECRET.encode() not in body
    logged = [r for r in caplog.records if detail in r.getMessage()]
    assert logged and logged[0].exc_info is not None
    assert SECRET in str(logged[0].exc_info[1])
    assert (after, fine) == (200, b"fine")
