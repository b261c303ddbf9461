"""Maintenance mode: a provider gateway being serviced refuses messages from peers with
``Server.ServerProxy.MaintenanceMode`` (XROAD-PROTOCOL.md, error codes; REST §4.4 for the
shape); a client gateway then tries the member's other gateways; the administrator
switches it with ``tunduk gateway maintenance``. Each refusal is journaled (issue 9, "what
bad input and faults get"; 003 §3.2.5, the logs)."""

from __future__ import annotations

import asyncio
import io
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

pytest.importorskip("tunduk.gateway.runtime", exc_type=ImportError)

from tunduk.gateway.cli import main
from tunduk.gateway.maintenance import (
    MAX_MESSAGE,
    MaintenanceError,
    MaintenanceWatch,
    begin_maintenance,
    end_maintenance,
    maintenance_path,
    read_maintenance,
)
from tunduk.gateway.status import format_status, gateway_status

from ._clients import Reply, http_call
from ._pipeline_helpers import Participant, RunningGateway
from .conftest import Exchange

CODE = "Server.ServerProxy.MaintenanceMode"


def _call(exchange: Exchange, headers: dict[str, str] | None = None) -> Reply:
    sent = {"X-Road-Client": exchange.client_id, "X-Road-Id": str(uuid.uuid4()), **(headers or {})}
    return http_call(
        exchange.client_gw.client_url, "GET", exchange.service_path + "/persons/7", sent
    )


def _journaled(running: RunningGateway, message_id: str) -> list[str | None]:
    log = running.runtime.log
    assert log is not None

    async def find() -> list[str | None]:
        found = await asyncio.get_running_loop().run_in_executor(None, log.find, message_id)
        return [leaf.error for _, leaf, _ in found]

    result: list[str | None] = running.call(find())
    return result


def test_a_gateway_in_maintenance_refuses_peers_and_journals_it(exchange: Exchange) -> None:
    """The only gateway of the provider in maintenance: the client gets MaintenanceMode with
    the administrator's message, the backend is not called, the refusal is in the provider's
    journal; after ``off`` messages flow again."""
    config = exchange.provider_gw.config
    begin_maintenance(config, "moving to the new data centre until 18:00")
    exchange.provider_gw.runtime.maintenance.check()

    reply = _call(exchange)
    assert reply.status == 500 and reply.header("X-Road-Error") == CODE, reply.body
    body = reply.json()
    assert body["type"] == CODE
    assert "moving to the new data centre until 18:00" in body["message"]
    assert str(exchange.provider.server) in body["message"]
    assert exchange.backend.requests == []
    message_id = reply.header("X-Road-Id") or ""
    assert _journaled(exchange.provider_gw, message_id) == [CODE]
    assert _journaled(exchange.client_gw, message_id) == [CODE]

    assert end_maintenance(config) is True
    exchange.provider_gw.runtime.maintenance.check()
    assert _call(exchange).status == 200
    assert len(exchange.backend.requests) == 1


def test_the_running_gateway_notices_the_file_by_itself(exchange: Exchange) -> None:
    """``tunduk gateway maintenance on`` needs no restart: the watch sees it within seconds."""
    config = exchange.provider_gw.config
    out = io.StringIO()
    assert main(["maintenance", "on", "--config", str(config.path)], out=out) == 0
    assert "refuses messages from peers" in out.getvalue()
    deadline = time.monotonic() + 10
    while exchange.provider_gw.runtime.maintenance.state is None:
        assert time.monotonic() < deadline, "maintenance was not noticed"
        time.sleep(0.1)
    assert _call(exchange).header("X-Road-Error") == CODE
    assert main(["maintenance", "off", "--config", str(config.path)], out=out) == 0
    while exchange.provider_gw.runtime.maintenance.state is not None:
        assert time.monotonic() < deadline + 10, "the end of maintenance was not noticed"
        time.sleep(0.1)
    assert _call(exchange).status == 200


def test_the_gateways_own_clients_keep_calling_out(exchange: Exchange) -> None:
    """Maintenance concerns the provider side only: the client gateway in maintenance still
    carries its own organisation's requests."""
    begin_maintenance(exchange.client_gw.config)
    exchange.client_gw.runtime.maintenance.check()
    assert _call(exchange).status == 200


@pytest.fixture
def second_gateway(exchange: Exchange) -> Iterator[tuple[Participant, RunningGateway]]:
    """A second gateway of the provider's member, serving the same services."""
    world = exchange.world
    other = world.add_gateway(exchange.provider, "gw2")
    world.provision(other)
    world.publish()
    running = RunningGateway(other.config_path)
    exchange.refresh()
    try:
        yield other, running
    finally:
        running.stop()


def test_the_client_gateway_goes_to_the_members_other_gateway(
    exchange: Exchange, second_gateway: tuple[Participant, RunningGateway]
) -> None:
    """One of two gateways in maintenance: every call is answered (by the other one), the
    one in maintenance journals what it refused; pinned to it with X-Road-Security-Server,
    the client gets MaintenanceMode."""
    other, running = second_gateway
    begin_maintenance(exchange.provider_gw.config, "patching")
    exchange.provider_gw.runtime.maintenance.check()
    rerouted: list[str] = []
    for _ in range(40):  # the gateway to try first is chosen at random
        reply = _call(exchange)
        assert reply.status == 200, reply.body
        message_id = reply.header("X-Road-Id") or ""
        if _journaled(exchange.provider_gw, message_id):
            rerouted.append(message_id)
        if len(rerouted) == 2:
            break
    assert len(rerouted) == 2
    for message_id in rerouted:
        assert _journaled(exchange.provider_gw, message_id) == [CODE]
        assert _journaled(running, message_id) == [None, None]
        assert _journaled(exchange.client_gw, message_id) == [None, None]
    pinned = _call(exchange, {"X-Road-Security-Server": str(exchange.provider.server)})
    assert pinned.header("X-Road-Error") == CODE
    assert _call(exchange, {"X-Road-Security-Server": str(other.server)}).status == 200


def test_both_gateways_in_maintenance_is_maintenance(
    exchange: Exchange, second_gateway: tuple[Participant, RunningGateway]
) -> None:
    """Every gateway of the member in maintenance: the client is told so, nothing is called."""
    _, running = second_gateway
    for gateway in (exchange.provider_gw, running):
        begin_maintenance(gateway.config)
        gateway.runtime.maintenance.check()
    reply = _call(exchange)
    assert reply.status == 500 and reply.header("X-Road-Error") == CODE
    assert exchange.backend.requests == []


def test_status_shows_maintenance(exchange: Exchange) -> None:
    """``tunduk gateway status`` (and the report to central) say whether and since when."""
    config = exchange.provider_gw.config
    assert gateway_status(config, peer_timeout=0.5)["maintenance"] == {"on": False}
    begin_maintenance(config, "disk swap", now=datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    status = gateway_status(config, peer_timeout=0.5)
    assert status["maintenance"] == {
        "on": True,
        "since": "2026-11-30T09:00:00Z",
        "message": "disk swap",
    }
    assert "maintenance: on since 2026-11-30T09:00:00Z: disk swap" in format_status(status)


def test_on_twice_keeps_the_start_and_updates_the_message(exchange: Exchange) -> None:
    """A second ``on`` does not move the start of maintenance; ``off`` twice says so."""
    config = exchange.provider_gw.config
    first = begin_maintenance(config, "one", now=datetime(2026, 1, 1, tzinfo=UTC))
    second = begin_maintenance(config, "two")
    assert second.since == first.since and second.message == "two"
    assert read_maintenance(config) == second
    out = io.StringIO()
    assert main(["maintenance", "off", "--config", str(config.path)], out=out) == 0
    assert main(["maintenance", "off", "--config", str(config.path)], out=out) == 0
    assert "was not in maintenance" in out.getvalue()


@pytest.mark.parametrize(
    "message", ["x" * (MAX_MESSAGE + 1), "line\nbreak", "bell\x07"], ids=["long", "newline", "bell"]
)
def test_a_message_peers_cannot_be_told_is_refused(
    exchange: Exchange, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The message goes into other organisations' errors: bounded, one line, no control."""
    config = exchange.provider_gw.config
    with pytest.raises(MaintenanceError):
        begin_maintenance(config, message)
    argv = ["maintenance", "on", "--config", str(config.path), "--message", message]
    assert main(argv, out=io.StringIO()) == 1
    assert "message" in capsys.readouterr().err
    assert not maintenance_path(config).exists()


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b'{"since": "yesterday", "message": ""}',
        b'{"since": "2026-01-01T00:00:00"}',
        b" " * 5000,
    ],
    ids=["not-json", "bad-time", "no-zone-no-message", "too-large"],
)
def test_a_rewritten_file_keeps_the_gateway_in_maintenance(tmp_path, content: bytes) -> None:
    """Someone wrote the file by hand, badly: the gateway stays in maintenance (refusing
    loses no data), and the status says the file cannot be read."""
    path = tmp_path / "maintenance.json"
    path.write_bytes(content)
    watch = MaintenanceWatch(path)
    watch.check()
    assert watch.state is not None
    path.unlink()
    watch.check()
    assert watch.state is None


def test_a_hand_written_message_peers_cannot_be_told_names_the_file(exchange: Exchange) -> None:
    """A file written by hand with a line break in its message: the refusal names the file
    and its ``message``, not the command's ``--message`` option, which nobody used."""
    config = exchange.provider_gw.config
    path = maintenance_path(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b'{"since": "2026-11-30T09:00:00Z", "message": "line\\nbreak"}')
    with pytest.raises(MaintenanceError) as caught:
        read_maintenance(config)
    assert str(caught.value) == (
        f"{path}: is not a maintenance file: message: contains a control character or a line break"
    )


def test_beginning_and_ending_are_told_once_each(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The watch calls back on each change (the runtime then reports to central at once),
    not on every check."""
    path = tmp_path / "maintenance.json"
    told: list[bool] = []
    watch = MaintenanceWatch(path, on_change=lambda: told.append(watch.state is not None))
    watch.check()
    path.write_bytes(b'{"since": "2026-11-30T09:00:00+00:00", "message": "one"}')
    watch.check()
    watch.check()
    path.unlink()
    watch.check()
    watch.check()
    assert told == [True, False]


def test_a_gateway_started_in_maintenance_refuses_the_first_message(exchange: Exchange) -> None:
    """Restarted while in maintenance (after an upgrade, say): no message slips through
    before the first check."""
    exchange.provider_gw.stop()
    begin_maintenance(exchange.provider_gw.config, "upgrading")
    restarted = RunningGateway(exchange.provider.config_path)
    try:
        reply = _call(exchange)
        assert reply.header("X-Road-Error") == CODE and "upgrading" in reply.json()["message"]
        assert exchange.backend.requests == []
    finally:
        restarted.stop()
