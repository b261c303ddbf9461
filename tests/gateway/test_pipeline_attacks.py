"""The provider's gateway under attack: stolen or foreign TLS keys, forged and replayed signatures.

The attacker talks to the provider's mutual-TLS listener directly (``peer_call``), with
real keys of some participant, and builds signed requests as docs/gateway-protocol.md
describes them. Every refusal must carry its X-Road code and never reach the backend.
"""

from __future__ import annotations

import uuid

import pytest

pytest.importorskip("tunduk.gateway.runtime", exc_type=ImportError)

from tunduk.globalconf import MemberStatus

from ._clients import Reply, http_call, peer_call, signed_headers
from .conftest import Exchange


def _ids() -> dict[str, str]:
    return {"message_id": str(uuid.uuid4()), "request_id": str(uuid.uuid4())}


def _signed(exchange: Exchange, body: bytes, **ids: str) -> list[tuple[str, str]]:
    return signed_headers(
        exchange.client,
        client=exchange.client_id,
        service=exchange.service_id,
        rest="/search",
        method="POST",
        body=body,
        message_id=ids["message_id"],
        request_id=ids["request_id"],
    )


def _post(exchange: Exchange, headers: list[tuple[str, str]], body: bytes, attacker=None) -> Reply:  # type: ignore[no-untyped-def]
    return peer_call(
        attacker or exchange.client,
        exchange.provider,
        "POST",
        exchange.service_path + "/search",
        headers,
        body,
    )


def _refused(reply: Reply, code: str) -> None:
    assert reply.status == 500, reply.body
    assert reply.header("X-Road-Error") == code
    assert reply.json()["type"] == code


def test_a_correctly_signed_direct_request_is_served(exchange: Exchange) -> None:
    """docs/gateway-protocol.md: a request built from the protocol text alone is accepted."""
    body = b'{"pin": "22001199000123"}'
    reply = _post(exchange, _signed(exchange, body, **_ids()), body)
    assert reply.status == 200, reply.body
    assert reply.header("Tunduk-Signature")
    assert len(exchange.backend.requests) == 1


def test_peer_with_another_members_tls_certificate(exchange: Exchange) -> None:
    """Issue 9 §3: the calling gateway must belong to the client's member (first level)."""
    intruder = exchange.world.add("COM", "55555555", "Intruder", ["app"])
    exchange.world.provision(intruder)
    exchange.world.publish()
    exchange.refresh()
    body = b"{}"
    reply = _post(exchange, _signed(exchange, body, **_ids()), body, attacker=intruder)
    _refused(reply, "Server.ServerProxy.SslAuthenticationFailed")
    assert exchange.backend.requests == []


def test_tls_certificate_not_listed_in_the_configuration(exchange: Exchange) -> None:
    """Issue 9 §3: an authentication certificate of an approved CA but not listed is refused."""
    stranger = exchange.world.add("COM", "66666666", "Unlisted", ["app"])
    exchange.world.provision(stranger)  # certificates issued, never published
    body = b"{}"
    reply = _post(exchange, _signed(exchange, body, **_ids()), body, attacker=stranger)
    _refused(reply, "Server.ServerProxy.SslAuthenticationFailed")


def test_forged_signature(exchange: Exchange) -> None:
    """Issue 9 §3: a signature by another member's signing key does not verify as the client's."""
    other = exchange.world.add("COM", "77777777", "Other", ["app"])
    exchange.world.provision(other)
    exchange.world.publish()
    exchange.refresh()
    ids = _ids()
    body = b"{}"
    forged = signed_headers(
        other,
        client=exchange.client_id,
        service=exchange.service_id,
        rest="/search",
        method="POST",
        body=body,
        **ids,
    )
    _refused(_post(exchange, forged, body), "Server.ServerProxy.InvalidSignatureValue")
    assert exchange.backend.requests == []


def test_missing_signature(exchange: Exchange) -> None:
    """Issue 9 §3: the receiver verifies before acting; no signature, no service."""
    ids = _ids()
    headers = [
        ("X-Road-Client", exchange.client_id),
        ("X-Road-Id", ids["message_id"]),
        ("X-Road-Request-Id", ids["request_id"]),
    ]
    _refused(_post(exchange, headers, b"{}"), "Server.ServerProxy.InvalidSignatureValue")
    assert exchange.backend.requests == []


def test_replayed_signature_with_another_body(exchange: Exchange) -> None:
    """004: a captured signed request replayed with another body is refused."""
    ids = _ids()
    headers = _signed(exchange, b'{"amount": 1}', **ids)
    reply = _post(exchange, headers, b'{"amount": 1000000}')
    _refused(reply, "Server.ServerProxy.InvalidSignatureValue")
    assert exchange.backend.requests == []


def test_replayed_signature_for_another_client(exchange: Exchange) -> None:
    """004: the signature binds the client; another subsystem's name in the header breaks it."""
    ids = _ids()
    body = b"{}"
    headers = [
        (name, exchange.client.subsystem("hr") if name == "X-Road-Client" else value)
        for name, value in _signed(exchange, body, **ids)
    ]
    _refused(_post(exchange, headers, body), "Server.ServerProxy.InvalidSignatureValue")


def test_suspended_client_member(exchange: Exchange) -> None:
    """Issue 9 §3: a suspended member is refused, by its own gateway and by the provider's."""
    exchange.client.status = MemberStatus.SUSPENDED
    exchange.world.publish()
    exchange.refresh()
    reply = http_call(
        exchange.client_gw.client_url,
        "GET",
        exchange.service_path,
        {"X-Road-Client": exchange.client_id},
    )
    assert reply.status == 500
    assert reply.header("X-Road-Error") == "Server.ClientProxy.MemberSuspended"
    body = b"{}"
    direct = _post(exchange, _signed(exchange, body, **_ids()), body)
    _refused(direct, "Server.ServerProxy.MemberSuspended")
    assert exchange.backend.requests == []


def test_refusals_are_journaled(exchange: Exchange) -> None:
    """Issue 9: a refused message is journaled as a failure with its X-Road code."""
    ids = _ids()
    headers = _signed(exchange, b"one", **ids)
    _post(exchange, headers, b"two")
    runtime = exchange.provider_gw.runtime
    assert runtime.log is not None
    found = exchange.provider_gw.call(_in_thread(runtime.log.find, ids["message_id"]))
    assert [leaf.error for _, leaf, _ in found] == ["Server.ServerProxy.InvalidSignatureValue"]


async def _in_thread(function, *args):  # type: ignore[no-untyped-def]
    import asyncio

    return await asyncio.get_running_loop().run_in_executor(None, function, *args)
