"""X-Road REST r1 through two gateways, as a plain HTTP client sees it (headers, ids, hash).

Written from XROAD-PROTOCOL.md (``pr-rest_x-road_message_protocol_for_rest.md`` v1.0.4)
alone: the client is :mod:`http.client`, the backend a threaded echo service.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import uuid

import pytest

# Skipped only while a part of the gateway it needs has not been merged yet.
pytest.importorskip("tunduk.gateway.runtime", exc_type=ImportError)

from ._clients import http_call, raw_call
from .conftest import Exchange


def _call(exchange: Exchange, path: str = "/persons/22001199000123", **kwargs: object):  # type: ignore[no-untyped-def]
    headers = {"X-Road-Client": exchange.client_id}
    headers.update(kwargs.pop("headers", {}))  # type: ignore[arg-type]
    return http_call(
        exchange.client_gw.client_url,
        str(kwargs.pop("method", "GET")),
        exchange.service_path + path,
        headers,
        kwargs.pop("body", None),  # type: ignore[arg-type]
    )


def test_request_reaches_backend_with_rest_path_and_query(exchange: Exchange) -> None:
    """REST §4.2: the provider strips /r1/{serviceId} and appends the rest and the query."""
    reply = _call(exchange, "/persons/22001199000123?fields=name&x=%2F")
    assert reply.status == 200, reply.body
    seen = reply.json()
    assert seen["method"] == "GET"
    assert seen["path"] == "/persons/22001199000123"
    assert seen["query"] == "fields=name&x=%2F"


def test_post_body_and_content_type_pass_unchanged(exchange: Exchange) -> None:
    """REST §4.2: the body and the headers that are not hop-by-hop reach the service."""
    body = '{"pin": "22001199000123", "name": "Айгүл"}'.encode()
    reply = _call(
        exchange,
        "/search",
        method="POST",
        body=body,
        headers={"Content-Type": "application/json; charset=utf-8", "X-Custom": "a b"},
    )
    assert reply.status == 200, reply.body
    seen = reply.json()
    assert seen["body"] == body.decode()
    assert seen["headers"]["content-type"] == "application/json; charset=utf-8"
    assert seen["headers"]["x-custom"] == "a b"


def test_hop_by_hop_headers_are_dropped(exchange: Exchange) -> None:
    """XROAD-PROTOCOL: Connection, Keep-Alive, Proxy-*, TE, Trailer, Upgrade, User-Agent never pass."""
    reply = _call(
        exchange,
        headers={
            "Keep-Alive": "timeout=5",
            "Proxy-Authorization": "Basic c2VjcmV0",
            "TE": "trailers",
            "Upgrade": "websocket",
            "User-Agent": "adapter/1.0",
        },
    )
    assert reply.status == 200, reply.body
    seen = reply.json()["headers"]
    for name in ("keep-alive", "proxy-authorization", "te", "upgrade"):
        assert name not in seen
    assert seen.get("user-agent") != "adapter/1.0"


def test_every_proxy_header_is_dropped_both_ways_and_not_hashed(exchange: Exchange) -> None:
    """XROAD-PROTOCOL: the whole Proxy-* family is hop-by-hop, not only the three RFC 9110
    names: neither the service nor the client sees one the other sent, and the request hash
    is the documented value without it."""
    reply = _call(
        exchange,
        "/with-proxy-header",
        headers={"X-Road-Id": "proxy-check", "Proxy-Foo": "x", "Proxy-Status": "y"},
    )
    assert reply.status == 200, reply.body
    seen = reply.json()["headers"]
    assert not [name for name in seen if name.startswith("proxy-")], seen
    assert reply.header("Proxy-Status") is None
    hashed = [("x-road-client", exchange.client_id), ("x-road-id", "proxy-check")]
    expected = _documented_request_hash(
        "GET", f"{exchange.service_path}/with-proxy-header", "", hashed, b""
    )
    assert reply.header("X-Road-Request-Hash") == expected


def test_the_service_is_asked_for_json_when_the_client_names_no_type(
    exchange: Exchange,
) -> None:
    """REST §4.3: without an Accept header the default content type is application/json;
    an Accept the client sent passes unmodified."""
    defaulted = _call(exchange)
    assert defaulted.json()["headers"]["accept"] == "application/json"
    chosen = _call(exchange, headers={"Accept": "application/xml"})
    assert chosen.json()["headers"]["accept"] == "application/xml"


def test_response_carries_xroad_headers(exchange: Exchange) -> None:
    """REST §4.3: X-Road-Client, -Service, -Id, -Request-Id and -Request-Hash on the answer."""
    reply = _call(exchange)
    assert reply.status == 200, reply.body
    assert reply.header("X-Road-Client") == exchange.client_id
    assert reply.header("X-Road-Service") == exchange.service_id
    uuid.UUID(reply.header("X-Road-Id") or "")
    uuid.UUID(reply.header("X-Road-Request-Id") or "")
    request_hash = base64.b64decode(reply.header("X-Road-Request-Hash") or "", validate=True)
    assert len(request_hash) == 64  # SHA-512
    assert reply.header("X-Road-Error") is None


def test_server_header_names_neither_the_service_nor_the_framework(exchange: Exchange) -> None:
    """XROAD-PROTOCOL: the service's Server header is dropped; the gateway names no software version."""
    for reply in (_call(exchange), _call(exchange, headers={"X-Road-Client": "KG/GOV/1/x"})):
        assert reply.header("Server") == "Tunduk gateway"


def test_client_message_id_is_returned(exchange: Exchange) -> None:
    """REST §4.3: the X-Road-Id the client sent comes back unchanged."""
    reply = _call(exchange, headers={"X-Road-Id": "my-message-42"})
    assert reply.header("X-Road-Id") == "my-message-42"
    assert reply.json()["headers"]["x-road-id"] == "my-message-42"


def test_request_id_is_fresh_and_never_the_clients(exchange: Exchange) -> None:
    """XROAD-PROTOCOL: the gateways make X-Road-Request-Id; one sent by the client is not trusted."""
    first = _call(exchange, headers={"X-Road-Request-Id": "chosen-by-client"})
    second = _call(exchange)
    assert first.header("X-Road-Request-Id") not in ("chosen-by-client", None)
    assert first.header("X-Road-Request-Id") != second.header("X-Road-Request-Id")
    assert first.header("X-Road-Id") != second.header("X-Road-Id")


def test_optional_headers_reach_the_service(exchange: Exchange) -> None:
    """REST §4.3: X-Road-UserId and X-Road-Issue pass to the service with the client's id."""
    reply = _call(exchange, headers={"X-Road-UserId": "KG12345678901234", "X-Road-Issue": "case-7"})
    seen = reply.json()["headers"]
    assert seen["x-road-userid"] == "KG12345678901234"
    assert seen["x-road-issue"] == "case-7"
    assert seen["x-road-client"] == exchange.client_id


def test_request_hash_depends_on_the_body(exchange: Exchange) -> None:
    """REST §4.3: X-Road-Request-Hash binds the request's body."""
    one = _call(exchange, "/x", method="POST", body=b"one", headers={"X-Road-Id": "same"})
    two = _call(exchange, "/x", method="POST", body=b"two", headers={"X-Road-Id": "same"})
    assert one.header("X-Road-Request-Hash") != two.header("X-Road-Request-Hash")


def test_service_headers_named_like_xroad_are_overwritten(exchange: Exchange) -> None:
    """REST §4.3: the gateway sets its X-Road-* response headers over any the service set."""
    reply = _call(exchange, "/headers", headers={"X-Road-Id": "mine"})
    assert reply.status == 200
    assert reply.header_values("X-Road-Id") == ["mine"]
    assert reply.header_values("X-Road-Request-Hash") != ["forged"]
    assert len(reply.header_values("X-Road-Request-Hash")) == 1
    assert reply.header("X-Custom") == "kept"


def test_redirect_is_passed_back_not_followed(exchange: Exchange) -> None:
    """XROAD-PROTOCOL: redirects are passed back to the client, not followed."""
    reply = _call(exchange, "/redirect")
    assert reply.status == 302
    assert reply.header("Location") == "http://127.0.0.1:1/elsewhere"
    assert reply.header("X-Road-Error") is None


def test_service_errors_pass_through_unchanged(exchange: Exchange) -> None:
    """REST §4.4: errors from the provider's service pass through, without X-Road-Error."""
    reply = _call(exchange, "/status/404")
    assert reply.status == 404
    assert reply.json() == {"error": "from the service"}
    assert reply.header("X-Road-Error") is None
    assert reply.header("X-Road-Request-Hash")


def test_encoded_client_header_is_accepted(exchange: Exchange) -> None:
    """REST §4.1: X-Road-Client parts are percent-encoded; the decoded identifier counts."""
    encoded = exchange.client_id.replace("-", "%2D")
    reply = _call(exchange, headers={"X-Road-Client": encoded})
    assert reply.status == 200, reply.body
    assert reply.header("X-Road-Client") == exchange.client_id


def test_member_as_client(exchange: Exchange) -> None:
    """REST §4.1: the subsystem is optional in X-Road-Client; a member holds its groups' grants."""
    from tunduk.globalconf import GlobalGroup

    exchange.world.groups.append(GlobalGroup("funds", "Funds", [str(exchange.client.member)]))
    exchange.world.grant(exchange.service_id, "KG/funds")
    exchange.world.publish()
    exchange.refresh()
    reply = _call(exchange, headers={"X-Road-Client": str(exchange.client.member)})
    assert reply.status == 200, reply.body


def test_compressed_request_body_passes_unchanged(exchange: Exchange) -> None:
    """XROAD-PROTOCOL: Content-Encoding is not hop-by-hop; it and the encoded body pass as sent."""
    body = gzip.compress(b'{"pin": "22001199000123"}')
    reply = _call(
        exchange,
        "/search",
        method="POST",
        body=body,
        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
    )
    assert reply.status == 200, reply.body
    seen = reply.json()
    assert seen["headers"]["content-encoding"] == "gzip"
    assert seen["body_sha256"] == hashlib.sha256(body).hexdigest()


def test_compressed_answer_passes_unchanged(exchange: Exchange) -> None:
    """XROAD-PROTOCOL: the service's Content-Encoding and encoded body reach the client as sent."""
    reply = _call(exchange, "/gzip")
    assert reply.status == 200, reply.body
    assert reply.header("Content-Encoding") == "gzip"
    assert gzip.decompress(reply.body) == b'{"compressed": true}'


def _documented_request_hash(
    method: str, path: str, query: str, headers: list[tuple[str, str]], body: bytes
) -> str:
    """X-Road-Request-Hash exactly as docs/gateway-request-hash.md defines it."""
    lines = [method, path, query]
    lines += [f"{name}:{value}" for name, value in sorted(headers, key=lambda h: h[0].encode())]
    head = hashlib.sha512("".join(line + "\n" for line in lines).encode()).digest()
    if not body:
        return base64.b64encode(head).decode()
    inner = head + hashlib.sha512(body).digest()
    return base64.b64encode(hashlib.sha512(inner).digest()).decode()


def test_request_hash_is_the_documented_value_with_a_body(exchange: Exchange) -> None:
    """XROAD-PROTOCOL X-Road-Request-Hash: base64(SHA-512(SHA-512(headers) ‖ SHA-512(body)))."""
    body = b'{"pin": "22001199000123"}'
    reply = _call(
        exchange,
        "/search/a%20b?x=1&y=%2F",
        method="POST",
        body=body,
        headers={
            "X-Road-Id": "hash-check-1",
            "Content-Type": "application/json",
            "X-Custom": "  padded  ",
            "User-Agent": "adapter/1.0",  # dropped, so not hashed
            "X-Road-UserId": "KG12345678901234",
        },
    )
    assert reply.status == 200, reply.body
    hashed = [
        ("content-type", "application/json"),
        ("x-custom", "padded"),
        ("x-road-client", exchange.client_id),
        ("x-road-id", "hash-check-1"),
        ("x-road-userid", "KG12345678901234"),
    ]
    expected = _documented_request_hash(
        "POST", f"{exchange.service_path}/search/a%20b", "x=1&y=%2F", hashed, body
    )
    assert reply.header("X-Road-Request-Hash") == expected


def test_request_hash_is_the_documented_value_without_a_body(exchange: Exchange) -> None:
    """XROAD-PROTOCOL X-Road-Request-Hash: base64(SHA-512(headers)) when there is no body."""
    reply = _call(exchange, headers={"X-Road-Id": "hash-check-2", "Accept": "application/json"})
    assert reply.status == 200, reply.body
    hashed = [
        ("accept", "application/json"),
        ("x-road-client", exchange.client_id),
        ("x-road-id", "hash-check-2"),
    ]
    expected = _documented_request_hash(
        "GET", f"{exchange.service_path}/persons/22001199000123", "", hashed, b""
    )
    assert reply.header("X-Road-Request-Hash") == expected


def test_empty_optional_headers_count_as_absent(exchange: Exchange) -> None:
    """REST §4.3: X-Road-Id sent empty is not provided, so the client side makes a UUID;
    an empty X-Road-UserId or X-Road-Issue is not passed on."""
    reply = _call(exchange, headers={"X-Road-Id": "", "X-Road-UserId": " ", "X-Road-Issue": ""})
    assert reply.status == 200, reply.body
    uuid.UUID(reply.header("X-Road-Id") or "")
    seen = reply.json()["headers"]
    assert seen["x-road-id"] == reply.header("X-Road-Id")
    assert "x-road-userid" not in seen and "x-road-issue" not in seen


def test_generated_message_id_reaches_the_service_and_returns(exchange: Exchange) -> None:
    """XROAD-PROTOCOL X-Road-Id: absent, the client side makes a UUID; the service and client see it."""
    reply = _call(exchange)
    assert reply.status == 200, reply.body
    message_id = reply.header("X-Road-Id") or ""
    uuid.UUID(message_id)
    assert reply.json()["headers"]["x-road-id"] == message_id


def test_request_id_reaching_the_service_is_the_one_returned(exchange: Exchange) -> None:
    """XROAD-PROTOCOL X-Road-Request-Id: the gateways' id, the same at the service and the client."""
    reply = _call(exchange, headers={"X-Road-Request-Id": "chosen-by-client"})
    assert reply.status == 200, reply.body
    seen = reply.json()["headers"]["x-road-request-id"]
    assert seen == reply.header("X-Road-Request-Id")
    assert seen != "chosen-by-client"


def test_identifier_parts_are_decoded_each_on_its_own(exchange: Exchange) -> None:
    """XROAD-PROTOCOL: each identifier part is percent-encoded UTF-8 on its own."""
    encoded = exchange.service_path.replace("-", "%2D").replace("population", "p%6Fpulation")
    reply = http_call(
        exchange.client_gw.client_url,
        "GET",
        encoded + "/x",
        {"X-Road-Client": exchange.client_id},
    )
    assert reply.status == 200, reply.body
    assert reply.header("X-Road-Service") == exchange.service_id
    assert reply.json()["path"] == "/x"


def test_represented_party_and_security_server_are_honoured(exchange: Exchange) -> None:
    """XROAD-PROTOCOL: X-Road-Represented-Party [CLASS/]CODE reaches the service, decoded."""
    reply = _call(
        exchange,
        headers={
            "X-Road-Represented-Party": "COM/12%33",
            "X-Road-Security-Server": str(exchange.provider.server),
        },
    )
    assert reply.status == 200, reply.body
    seen = reply.json()["headers"]
    assert seen["x-road-represented-party"] == "COM/123"


def test_headers_named_by_connection_are_dropped(exchange: Exchange) -> None:
    """XROAD-PROTOCOL hop-by-hop: Connection and every header it names never pass."""
    reply = _call(exchange, headers={"Connection": "keep-alive, X-Secret", "X-Secret": "s"})
    assert reply.status == 200, reply.body
    seen = reply.json()["headers"]
    assert "x-secret" not in seen
    assert seen.get("connection") != "keep-alive, X-Secret"


def test_chunked_body_arrives_whole_without_transfer_encoding(exchange: Exchange) -> None:
    """XROAD-PROTOCOL hop-by-hop: Transfer-Encoding is the hop's; the service gets the body."""
    data = (
        b"POST " + exchange.service_path.encode() + b"/upload HTTP/1.1\r\nHost: gateway\r\n"
        b"X-Road-Client: " + exchange.client_id.encode() + b"\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
    )
    reply = raw_call(exchange.client_gw.client_url, data, method="POST")
    assert reply.status == 200, reply.body
    seen = reply.json()
    assert seen["body"] == "abcde"
    assert "transfer-encoding" not in seen["headers"]


def test_gateway_headers_sent_by_the_client_do_not_pass(exchange: Exchange) -> None:
    """XROAD-PROTOCOL: X-Road-Service, -Request-Hash, -Error and Tunduk-* are the gateways' own."""
    reply = _call(
        exchange,
        headers={
            "X-Road-Service": "KG/GOV/70000001/population/secret",
            "X-Road-Request-Hash": "forged",
            "X-Road-Error": "Server.Forged",
            "Tunduk-Signature": "forged",
        },
    )
    assert reply.status == 200, reply.body
    seen = reply.json()["headers"]
    assert seen["x-road-service"] == exchange.service_id
    for name in ("x-road-request-hash", "x-road-error", "tunduk-signature"):
        assert name not in seen
    assert reply.header("X-Road-Request-Hash") != "forged"
