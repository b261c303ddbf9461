"""The gateway's lean HTTP/1.1 client (``_http1``) against scripted servers on loopback.

Each server reads whole requests and answers with the exact bytes a test gives it, so the
framing rules (Content-Length, chunked, to the close, 1xx, HEAD) and the refusals
(malformed or oversized answers, header injection, a peer that is not the expected one)
are tested on the wire, not on a parser in isolation.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest
import pytest_asyncio

from tunduk.gateway._http1 import (
    MAX_HEAD,
    AnswerTooLarge,
    ConnectFailed,
    Disconnected,
    HttpPool,
    MalformedAnswer,
    split_authority,
    split_url,
)

Script = Callable[[int, bytes], bytes | None]
"""(request number, request bytes) → the bytes to answer, or None to close the connection."""


class ScriptedServer:
    """Answers each request with what the script says; records requests and connections."""

    def __init__(self, script: Script, *, close_after_answer: bool = False) -> None:
        self.script = script
        self.close_after_answer = close_after_answer
        self.requests: list[bytes] = []
        self.connections = 0
        self.port = 0
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                request = head + (await reader.readexactly(length) if length else b"")
                self.requests.append(request)
                answer = self.script(len(self.requests), request)
                if answer is None:
                    break
                writer.write(answer)
                await writer.drain()
                if self.close_after_answer:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


@pytest_asyncio.fixture
async def serve() -> AsyncIterator[Callable[..., asyncio.Future[ScriptedServer]]]:
    servers: list[ScriptedServer] = []

    async def start(script: Script, **options: bool) -> ScriptedServer:
        server = ScriptedServer(script, **options)
        await server.start()
        servers.append(server)
        return server

    yield start  # type: ignore[misc]
    for server in servers:
        await server.stop()


def ok(body: bytes = b"hello", *extra: bytes) -> bytes:
    headers = b"".join(line + b"\r\n" for line in extra)
    return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n%s\r\n%s" % (len(body), headers, body)


async def call(
    pool: HttpPool,
    server: ScriptedServer,
    method: str = "GET",
    body: bytes = b"",
    **options: object,
) -> object:
    arguments: dict[str, object] = {"context": None, "timeout": 5.0, "max_body": 1000}
    arguments.update(options)
    return await pool.request(
        method,
        "127.0.0.1",
        server.port,
        "/echo/1?x=1",
        [("X-Road-Client", "KG/GOV/1/a")],
        body,
        **arguments,  # type: ignore[arg-type]
    )


@pytest.mark.asyncio
async def test_a_keep_alive_connection_carries_several_requests(serve) -> None:
    server = await serve(lambda n, _: ok(b"answer %d" % n))
    pool = HttpPool()
    first = await call(pool, server)
    second = await call(pool, server, "POST", b'{"n": 2}')
    assert (first.status, first.body) == (200, b"answer 1")
    assert second.body == b"answer 2"
    assert server.connections == 1 and pool.connections_made == 1
    assert server.requests[0].startswith(b"GET /echo/1?x=1 HTTP/1.1\r\nHost: 127.0.0.1:")
    assert b"X-Road-Client: KG/GOV/1/a\r\n" in server.requests[0]
    assert b"Content-Length" not in server.requests[0]  # a GET without a body
    assert server.requests[1].endswith(b'Content-Length: 8\r\n\r\n{"n": 2}')
    assert b"User-Agent" not in server.requests[1] and b"Accept-Encoding" not in server.requests[1]
    pool.close()


@pytest.mark.asyncio
async def test_chunked_answers_with_extensions_and_trailers_are_joined(serve) -> None:
    chunked = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n"
        b"5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n"
    )
    server = await serve(lambda n, _: chunked)
    pool = HttpPool()
    answer = await call(pool, server)
    again = await call(pool, server)
    assert answer.body == b"hello world" == again.body
    assert ("X-A", "1") in answer.headers
    assert pool.connections_made == 1  # the trailers were consumed, the connection reused


@pytest.mark.asyncio
async def test_an_answer_without_length_is_read_to_the_close_and_not_reused(serve) -> None:
    server = await serve(
        lambda n, _: b"HTTP/1.1 200 OK\r\n\r\nuntil the end", close_after_answer=True
    )
    pool = HttpPool()
    assert (await call(pool, server)).body == b"until the end"
    assert (await call(pool, server)).body == b"until the end"
    assert pool.connections_made == 2


@pytest.mark.asyncio
async def test_interim_answers_are_skipped_and_head_has_no_body(serve) -> None:
    def script(n: int, request: bytes) -> bytes:
        if request.startswith(b"HEAD"):
            return b"HTTP/1.1 200 OK\r\nContent-Length: 999\r\n\r\n"
        return b"HTTP/1.1 100 Continue\r\n\r\n" + ok(b"after continue")

    server = await serve(script)
    pool = HttpPool()
    assert (await call(pool, server, "POST", b"x")).body == b"after continue"
    head = await call(pool, server, "HEAD")
    assert (head.status, head.body) == (200, b"")
    assert (await call(pool, server)).body == b"after continue"
    assert pool.connections_made == 1


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "answer",
    [
        b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n" + b"x" * 5000,
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + b"400\r\n" + b"x" * 1024,
        b"HTTP/1.1 200 OK\r\n\r\n" + b"x" * 5000,
    ],
    ids=["content-length", "chunked", "to-the-close"],
)
async def test_an_answer_over_the_limit_is_refused(serve, answer: bytes) -> None:
    server = await serve(lambda n, _: answer, close_after_answer=True)
    with pytest.raises(AnswerTooLarge):
        await call(HttpPool(), server, max_body=1000)


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "answer",
    [
        b"SMTP 220 hello\r\n\r\n",
        b"HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
        b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nBad Name: 1\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 101 Switching Protocols\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * (MAX_HEAD + 10) + b"\r\n\r\n",
    ],
    ids=[
        "not-http",
        "status",
        "two-lengths",
        "negative-length",
        "obs-fold",
        "space-in-name",
        "upgrade",
        "chunk-size",
        "head-too-big",
    ],
)
async def test_a_malformed_answer_is_refused(serve, answer: bytes) -> None:
    server = await serve(lambda n, _: answer, close_after_answer=True)
    with pytest.raises(MalformedAnswer):
        await call(HttpPool(), server)


@pytest.mark.asyncio
async def test_a_server_that_closes_in_the_middle_of_the_body_is_a_disconnection(serve) -> None:
    server = await serve(
        lambda n, _: b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part",
        close_after_answer=True,
    )
    with pytest.raises(Disconnected):
        await call(HttpPool(), server)


@pytest.mark.asyncio
async def test_a_connection_the_server_closed_while_idle_is_not_used_again(serve) -> None:
    # The server answers with keep-alive framing but closes each connection afterwards.
    server = await serve(lambda n, _: ok(b"fresh"), close_after_answer=True)
    pool = HttpPool()
    assert (await call(pool, server)).body == b"fresh"
    await asyncio.sleep(0.05)  # the close arrives while the connection is idle
    assert (await call(pool, server, "POST", b"once")).body == b"fresh"
    assert pool.connections_made == 2
    assert len(server.requests) == 2  # the POST went out once, on the new connection


@pytest.mark.asyncio
async def test_a_post_the_server_dropped_without_answering_is_not_sent_again(serve) -> None:
    server = await serve(lambda n, _: ok() if n == 1 else None)
    pool = HttpPool()
    await call(pool, server)
    with pytest.raises(Disconnected):
        await call(pool, server, "POST", b"pay once")
    assert [r.split(b" ", 1)[0] for r in server.requests] == [b"GET", b"POST"]


@pytest.mark.asyncio
async def test_an_idempotent_request_dropped_on_a_reused_connection_is_retried_once(serve) -> None:
    server = await serve(lambda n, _: None if n == 2 else ok(b"again"))
    pool = HttpPool()
    await call(pool, server)
    assert (await call(pool, server)).body == b"again"
    assert len(server.requests) == 3 and pool.connections_made == 2


@pytest.mark.asyncio
async def test_header_injection_is_refused_before_anything_is_sent(serve) -> None:
    server = await serve(lambda n, _: ok())
    pool = HttpPool()
    with pytest.raises(ValueError, match="cannot be sent"):
        await pool.request(
            "GET",
            "127.0.0.1",
            server.port,
            "/",
            [("X-A", "1\r\nX-Injected: 1")],
            b"",
            context=None,
            timeout=5,
            max_body=100,
        )
    assert server.requests == [] and server.connections == 0


@pytest.mark.asyncio
async def test_a_peer_that_fails_the_certificate_check_receives_nothing(serve) -> None:
    server = await serve(lambda n, _: ok())
    seen: list[bytes] = []

    def refuse(der: bytes) -> None:
        seen.append(der)
        raise PermissionError("not the expected gateway")

    with pytest.raises(PermissionError):
        await call(HttpPool(), server, "POST", b"secret", check_certificate=refuse)
    await asyncio.sleep(0.05)
    assert seen == [b""]  # no TLS here: no certificate
    assert server.requests == []


@pytest.mark.asyncio
async def test_a_silent_server_times_out_and_a_closed_port_cannot_connect(serve) -> None:
    server = await serve(lambda n, _: b"")  # reads the request, never answers
    with pytest.raises(TimeoutError):
        await call(HttpPool(), server, timeout=0.3)
    port = server.port
    await server.stop()
    with pytest.raises(ConnectFailed):
        await HttpPool().request(
            "GET", "127.0.0.1", port, "/", [], b"", context=None, timeout=5, max_body=10
        )


def test_addresses_and_base_urls_are_split() -> None:
    assert split_authority("127.0.0.1:5500") == ("127.0.0.1", 5500)
    assert split_authority("[::1]:5500") == ("::1", 5500)
    assert split_url("http://127.0.0.1:9001/echo/") == (False, "127.0.0.1", 9001, "/echo")
    assert split_url("https://backend.example") == (True, "backend.example", 443, "")
    with pytest.raises(ValueError):
        split_authority("no-port")
    with pytest.raises(ValueError):
        split_url("ftp://x/")


def test_on_uvloop_over_tls_the_peer_certificate_is_checked_before_sending(tmp_path) -> None:
    """``tunduk gateway serve`` runs on uvloop, whose transports are not asyncio's classes."""
    import ssl

    import uvloop
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    from tunduk.trust.ca import certificate_to_pem, self_signed_leaf

    key = ec.generate_private_key(ec.SECP256R1())
    certificate = self_signed_leaf("peer gateway", key)
    (tmp_path / "cert.pem").write_bytes(certificate_to_pem(certificate))
    (tmp_path / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    client_context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    client_context.load_verify_locations(tmp_path / "cert.pem")
    client_context.check_hostname = False  # the gateway pins certificates by hash instead
    seen: list[bytes] = []

    async def scenario() -> tuple[int, int, list[bytes]]:
        server = ScriptedServer(lambda n, _: ok(b"over tls %d" % n))
        server._server = await asyncio.start_server(
            server._serve, "127.0.0.1", 0, ssl=server_context
        )
        server.port = server._server.sockets[0].getsockname()[1]
        pool = HttpPool()
        for method in ("GET", "POST"):
            answer = await pool.request(
                method,
                "127.0.0.1",
                server.port,
                "/",
                [],
                b"x" if method == "POST" else b"",
                context=client_context,
                timeout=5,
                max_body=100,
                check_certificate=seen.append,
            )
            assert answer.body.startswith(b"over tls")
        pool.close()
        await server.stop()
        return pool.connections_made, len(server.requests), server.requests

    made, count, requests = uvloop.run(scenario())
    assert (made, count) == (1, 2)
    assert seen == [certificate.public_bytes(serialization.Encoding.DER)] * 2
    assert requests[1].startswith(b"POST / HTTP/1.1\r\n")
