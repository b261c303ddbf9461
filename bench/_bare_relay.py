"""A bare two-hop aiohttp relay with mutual TLS: the transport's own limit, nothing else.

``front`` listens on plain HTTP and passes every request over a pooled mutual-TLS client
session to ``back``, which requires a client certificate from the same CA and passes the
request to the backend over plain HTTP. No signing, no authorisation, no journal: what
the gateways do on top of this is what ``bench/gateway_bench.py`` measures.

    python bench/_bare_relay.py front --listen 127.0.0.1:P --upstream https://127.0.0.1:Q \
        --cert c.pem --key c-key.pem --ca ca.pem
    python bench/_bare_relay.py back --listen 127.0.0.1:Q --upstream http://127.0.0.1:B \
        --cert s.pem --key s-key.pem --ca ca.pem
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import ssl
from collections.abc import Mapping, Sequence

import aiohttp
import uvloop
from aiohttp import web

HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
        "content-length",
    }
)


def _passing(headers: Mapping[str, str]) -> list[tuple[str, str]]:
    return [(k, v) for k, v in headers.items() if k.lower() not in HOP_BY_HOP]


def relay_app(upstream: str, client_ssl: ssl.SSLContext | None) -> web.Application:
    """An app passing each request to ``upstream`` and the answer back."""
    app = web.Application(client_max_size=10 * 1024 * 1024)

    async def start(app: web.Application) -> None:
        connector = aiohttp.TCPConnector(ssl=client_ssl if client_ssl else False, limit=0)
        app["session"] = aiohttp.ClientSession(
            connector=connector, auto_decompress=False, skip_auto_headers=("User-Agent",)
        )

    async def stop(app: web.Application) -> None:
        await app["session"].close()

    async def handle(request: web.Request) -> web.Response:
        body = await request.read()
        session: aiohttp.ClientSession = app["session"]
        async with session.request(
            request.method,
            upstream + request.path_qs,
            headers=_passing(request.headers),
            data=body or None,
            allow_redirects=False,
        ) as answer:
            payload = await answer.read()
            return web.Response(
                status=answer.status, body=payload, headers=_passing(answer.headers)
            )

    app.on_startup.append(start)
    app.on_cleanup.append(stop)
    app.router.add_route("*", "/{tail:.*}", handle)
    return app


def _contexts(args: argparse.Namespace) -> tuple[ssl.SSLContext | None, ssl.SSLContext | None]:
    """(server context, client context) for the hop."""
    if args.role == "back":
        server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH, cafile=args.ca)
        server.verify_mode = ssl.CERT_REQUIRED
        server.load_cert_chain(args.cert, args.key)
        return server, None
    client = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=args.ca)
    client.load_cert_chain(args.cert, args.key)
    return None, client


async def _serve(args: argparse.Namespace) -> None:
    server_ssl, client_ssl = _contexts(args)
    runner = web.AppRunner(relay_app(args.upstream.rstrip("/"), client_ssl), access_log=None)
    await runner.setup()
    host, _, port = args.listen.rpartition(":")
    await web.TCPSite(runner, host, int(port), ssl_context=server_ssl, backlog=1024).start()
    print(f"relay {args.role} on {args.listen} -> {args.upstream}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, stop.set)
    await stop.wait()
    await runner.cleanup()


def main(argv: Sequence[str] | None = None) -> None:
    """Run one hop of the relay until SIGINT or SIGTERM."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("role", choices=("front", "back"))
    parser.add_argument("--listen", required=True)
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--ca", required=True)
    uvloop.run(_serve(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
