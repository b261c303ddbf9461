"""The health check a load balancer asks (``listen.health``): 200 ``OK`` while the gateway
can carry messages, 500 naming each problem otherwise.

Issue 9 "who uses it" (the administrator runs the gateway, watches errors) and §3/§4: a
gateway whose configuration expired, whose certificates are not trusted, that is in
maintenance or cannot journal refuses every exchange, so it must not get traffic."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest

pytest.importorskip("tunduk.gateway.runtime", exc_type=ImportError)

from tunduk.gateway import health
from tunduk.gateway.config import ConfigError, load_config
from tunduk.gateway.maintenance import begin_maintenance, end_maintenance

from ._clients import Reply, http_call
from ._pipeline_helpers import RunningGateway, World
from .conftest import Backend, build_exchange


@pytest.fixture
def provider_gw(
    world: World,
    backend: Backend,
    journal_url: Callable[[str], str],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[RunningGateway]:
    """The population registry's gateway with its health listener on a free port."""
    monkeypatch.setattr(health, "VERDICT_SECONDS", 0.0)  # every request checks afresh
    _, provider = build_exchange(world, backend, journal_url)
    world.write_config(provider, listen_health="127.0.0.1:0")
    running = RunningGateway(provider.config_path)
    try:
        yield running
    finally:
        running.stop()


def _ask(running: RunningGateway, method: str = "GET", path: str = "/health") -> Reply:
    return http_call(f"http://127.0.0.1:{running.runtime.health_port}", method, path)


def test_a_healthy_gateway_answers_ok(provider_gw: RunningGateway) -> None:
    assert provider_gw.runtime.health_port > 0
    for path in ("/health", "/"):
        reply = _ask(provider_gw, path=path)
        assert (reply.status, reply.body) == (200, b"OK\n")
        assert (reply.header("Content-Type") or "").startswith("text/plain")
    assert _ask(provider_gw, "HEAD").status == 200


def test_maintenance_takes_the_gateway_out_of_rotation(provider_gw: RunningGateway) -> None:
    """A balancer stops sending to a gateway in maintenance, and sends again after it."""
    begin_maintenance(provider_gw.config, "disk swap until 18:00")
    provider_gw.runtime.maintenance.check()

    reply = _ask(provider_gw)
    assert reply.status == 500
    assert reply.body.decode().startswith("maintenance: in maintenance since ")
    assert "disk swap until 18:00" in reply.body.decode()

    end_maintenance(provider_gw.config)
    provider_gw.runtime.maintenance.check()
    assert _ask(provider_gw).status == 200


def test_an_expired_configuration_is_named(provider_gw: RunningGateway) -> None:
    """Once the global configuration expires the gateway refuses every exchange: unhealthy."""
    configurations = provider_gw.runtime.configurations
    later = datetime.now(UTC) + timedelta(days=1)
    configurations.clock = lambda: later

    reply = _ask(provider_gw)

    assert reply.status == 500
    lines = reply.body.decode().splitlines()
    assert lines[0].startswith("global configuration: ")
    assert "expired" in lines[0]


def test_a_stopped_journal_is_named(provider_gw: RunningGateway) -> None:
    """No answer can leave without its journal leaves: a stopped writer is unhealthy."""
    log = provider_gw.runtime.log
    assert log is not None and log.writing
    log.close()

    reply = _ask(provider_gw)

    assert reply.status == 500
    assert reply.body == b"journal: the writer is not running\n"


def test_other_paths_and_methods_are_refused(provider_gw: RunningGateway) -> None:
    """Attacker's side: the listener answers the health question only, nothing else."""
    assert _ask(provider_gw, path="/admin").status == 404
    assert _ask(provider_gw, "POST").status == 405
    flood = http_call(
        f"http://127.0.0.1:{provider_gw.runtime.health_port}",
        "GET",
        "/health",
        body=b"x" * 5000,
    )
    assert flood.status in (200, 413)  # the body is never read or kept
    assert _ask(provider_gw).status == 200  # and the gateway is still healthy


def test_the_health_listener_must_not_share_a_port(world: World) -> None:
    participant = world.add("GOV", "70000009", "Agency", ["app"])
    config = world.write_config(
        participant, listen_client="127.0.0.1:18080", listen_health="127.0.0.1:18080"
    )

    with pytest.raises(ConfigError) as error:
        load_config(config)

    assert error.value.field == "listen.health"
    assert "must differ from listen.client and listen.server" in str(error.value)


def test_the_health_listener_is_off_unless_configured(world: World) -> None:
    participant = world.add("GOV", "70000009", "Agency", ["app"])
    assert load_config(world.write_config(participant)).health_listen is None
