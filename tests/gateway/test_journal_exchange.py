"""Two running gateways journal both directions and cosign each other's checkpoints (issue 9 §4)."""

from __future__ import annotations

from tests.gateway.conftest import Exchange
from tunduk.gateway.journal_audit import verify_gateway_journal, verify_journal
from tunduk.gateway.messagelog import MessageLog
from tunduk.gateway.runtime import GatewayRuntime

from ._clients import http_call


def _call(exchange: Exchange) -> None:
    reply = http_call(
        exchange.client_gw.client_url,
        "GET",
        exchange.service_path + "/persons/22001199000123",
        {"X-Road-Client": exchange.client_id},
        None,
    )
    assert reply.status == 200, reply.body


def _log(runtime: GatewayRuntime) -> MessageLog:
    assert runtime.log is not None
    return runtime.log


def test_gateways_cosign_each_other(exchange: Exchange) -> None:
    """After an exchange each gateway's checkpoint carries the other's verified cosignature."""
    _call(exchange)
    for running, peer in (
        (exchange.client_gw, exchange.provider_gw),
        (exchange.provider_gw, exchange.client_gw),
    ):
        runtime = running.runtime
        assert runtime.checkpointer is not None
        stored = running.call(runtime.checkpointer.step())
        assert stored is not None and stored.tree_size == 2  # request and response leaves
        log = _log(runtime)
        (cosignature,) = log.cosignatures(2)
        assert cosignature.peer == str(peer.runtime.config.server)
        audit = verify_journal(log, [runtime.keys.journal_signer.verifier()])
        assert audit.ok, audit.all_failures()
        assert audit.cosignatures_checked == 1 and audit.bodies_checked == 2


def test_second_round_proves_consistency(exchange: Exchange) -> None:
    """A later checkpoint is cosigned again: the witness accepts the consistency proof."""
    runtime = exchange.client_gw.runtime
    assert runtime.checkpointer is not None
    for expected in (2, 4):
        _call(exchange)
        stored = exchange.client_gw.call(runtime.checkpointer.step())
        assert stored is not None and stored.tree_size == expected
        assert len(_log(runtime).cosignatures(expected)) == 1


def test_verify_gateway_journal_from_files(exchange: Exchange) -> None:
    """The auditor's check from the gateway's own files passes, cosignatures required."""
    _call(exchange)
    runtime = exchange.client_gw.runtime
    assert runtime.checkpointer is not None
    exchange.client_gw.call(runtime.checkpointer.step())
    audit = verify_gateway_journal(runtime.config, require_cosignature=True)
    assert audit.ok, audit.all_failures()
    assert audit.cosignatures_checked == 1
