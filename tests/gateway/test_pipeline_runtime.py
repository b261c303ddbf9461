"""The runtime: configurations kept as evidence, refresh, journal before answer, final checkpoint."""

from __future__ import annotations

import asyncio

import pytest

pytest.importorskip("tunduk.gateway.runtime", exc_type=ImportError)

from tests.loopback import CONFIGURATION_PATH
from tunduk.gateway.runtime import CONFIGURATIONS_DIR

from ._clients import http_call
from .conftest import Exchange


def _call(exchange: Exchange, message_id: str) -> None:
    reply = http_call(
        exchange.client_gw.client_url,
        "POST",
        exchange.service_path + "/search",
        {"X-Road-Client": exchange.client_id, "X-Road-Id": message_id},
        b'{"pin": "1"}',
    )
    assert reply.status == 200, reply.body


def test_every_accepted_configuration_is_kept(exchange: Exchange) -> None:
    """Issue 9 §5: each accepted envelope stays in data_dir/configurations/<version>.json."""
    first = exchange.world.central.files[CONFIGURATION_PATH]
    exchange.world.publish()
    exchange.refresh()
    second = exchange.world.central.files[CONFIGURATION_PATH]
    kept = exchange.client_gw.config.data_dir / CONFIGURATIONS_DIR
    assert (kept / "1.json").read_bytes() == first
    assert (kept / "2.json").read_bytes() == second
    assert exchange.client_gw.runtime.current().version == 2


def test_both_directions_journaled_on_both_sides(exchange: Exchange) -> None:
    """Issue 9 §4: request and response, signed, with receive times, in both journals."""
    _call(exchange, "journaled-1")
    for running, side in ((exchange.client_gw, "client"), (exchange.provider_gw, "provider")):
        log = running.runtime.log
        assert log is not None
        found = running.call(_in_thread(log.find, "journaled-1"))
        leaves = [leaf for _, leaf, _ in found]
        assert [leaf.kind for leaf in leaves] == ["request", "response"]
        assert {leaf.side for leaf in leaves} == {side}
        assert all(leaf.signature and leaf.error is None for leaf in leaves)
        assert leaves[1].status == 200
        stored = [message for _, _, message in found]
        assert stored[0] is not None and stored[0].body == b'{"pin": "1"}'
    client_leaves = exchange.client_gw.call(
        _in_thread(exchange.client_gw.runtime.log.find, "journaled-1")  # type: ignore[union-attr]
    )
    provider_leaves = exchange.provider_gw.call(
        _in_thread(exchange.provider_gw.runtime.log.find, "journaled-1")  # type: ignore[union-attr]
    )
    # Both gateways hold the same signatures: each side's leaf carries the sender's own.
    assert [leaf.signature for _, leaf, _ in client_leaves] == [
        leaf.signature for _, leaf, _ in provider_leaves
    ]


def test_stop_signs_a_final_checkpoint(exchange: Exchange) -> None:
    """Graceful shutdown: the journal's last leaves are under a signed checkpoint."""
    _call(exchange, "final-1")
    runtime = exchange.provider_gw.runtime
    log = runtime.log
    assert log is not None
    exchange.provider_gw.stop()
    from tunduk.gateway.keys import journal_origin
    from tunduk.gateway.messagelog import MessageLog

    reopened = MessageLog.open(
        exchange.provider.journal_url, journal_origin(exchange.provider.server)
    )
    try:
        latest = reopened.latest_checkpoint()
        assert latest is not None and latest.tree_size == reopened.size() == 2
    finally:
        reopened.close()


async def _in_thread(function, *args):  # type: ignore[no-untyped-def]
    return await asyncio.get_running_loop().run_in_executor(None, function, *args)
