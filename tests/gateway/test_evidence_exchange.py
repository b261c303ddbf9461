"""Evidence of a message that really travelled through two gateways: export, then verify."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytest.importorskip("tunduk.gateway.runtime", exc_type=ImportError)

from tests.loopback import ConfigurationServer
from tunduk.gateway.evidence import Check, EvidenceError, cli, verify_evidence
from tunduk.globalconf import ConfigurationAnchor
from tunduk.trust.ca import CertificateAuthority
from tunduk.trust.tsa import TimeStampAuthority, serve_tsa

from ._backend import Backend
from ._clients import http_call
from ._pipeline_helpers import ConfigurationSigner, RunningGateway, World
from .conftest import CLIENT_SUBSYSTEM, build_exchange


@pytest.fixture(scope="module")
def tsa() -> Iterator[tuple[str, TimeStampAuthority]]:
    """A time-stamping authority on 127.0.0.1 that the configuration approves."""
    authority = TimeStampAuthority.create(name="Tunduk Test TSA")
    server, url = serve_tsa(authority)
    yield url, authority
    server.shutdown()
    server.server_close()


@pytest.fixture
def travelled(
    tmp_path: Path,
    ca: CertificateAuthority,
    conf_signer: ConfigurationSigner,
    central: ConfigurationServer,
    backend: Backend,
    journal_url: Callable[[str], str],
    tsa: tuple[str, TimeStampAuthority],
) -> Iterator[tuple[World, RunningGateway, RunningGateway, str]]:
    """Two running gateways, one message sent through them, both journals checkpointed."""
    url, authority = tsa
    world = World(
        tmp_path / "world", ca, conf_signer, central, tsa=(url, authority.root_certificate)
    )
    client, provider = build_exchange(world, backend, journal_url)
    provider_gw = RunningGateway(provider.config_path)
    client_gw = RunningGateway(client.config_path)
    try:
        service = provider.service("population", "person-by-pin")
        reply = http_call(
            client_gw.client_url,
            "GET",
            f"/r1/{service}/22001199000123?full=1",
            {"X-Road-Client": client.subsystem(CLIENT_SUBSYSTEM)},
        )
        assert reply.status == 200, reply.body
        message_id = dict((k.lower(), v) for k, v in reply.headers)["x-road-id"]
        for gateway in (client_gw, provider_gw):
            gateway.call(gateway.runtime.checkpointer.step())
        yield world, client_gw, provider_gw, message_id
    finally:
        client_gw.stop()
        provider_gw.stop()


def export(
    gateway: RunningGateway, message_id: str, output: Path, *options: str
) -> tuple[int, str]:
    err = io.StringIO()
    status = cli(
        ["export", message_id, "--config", str(gateway.config.path), "-o", str(output), *options],
        out=io.StringIO(),
        err=err,
    )
    return status, err.getvalue()


def load_anchor(world: World) -> ConfigurationAnchor:
    return ConfigurationAnchor.from_bytes(world.anchor_path.read_bytes())


@pytest.mark.parametrize("side", ["client", "provider"])
def test_evidence_exported_from_either_gateway_verifies_offline(travelled, tmp_path, side):
    """Issue 9 §5 and "What it must show" §4: evidence of a real exchange verifies offline."""
    world, client_gw, provider_gw, message_id = travelled
    gateway = client_gw if side == "client" else provider_gw
    evidence = tmp_path / f"{side}.asice"

    status, err = export(gateway, message_id, evidence)
    assert status == 0, err
    out, err_out = io.StringIO(), io.StringIO()
    status = cli(
        ["verify", str(evidence), "--anchor", str(world.anchor_path)], out=out, err=err_out
    )

    assert status == 0, err_out.getvalue()
    text = out.getvalue()
    assert f"Evidence for message {message_id}" in text
    assert "Who asked:  KG/GOV/70000004/pension-accounts (Social fund" in text
    assert (
        "What:       GET /r1/KG/GOV/70000001/population/person-by-pin/22001199000123?full=1" in text
    )
    assert "Of whom:    KG/GOV/70000001/population/person-by-pin (Population registry" in text
    assert "Answer:     HTTP status 200" in text
    peer = "KG/GOV/70000001" if side == "client" else "KG/GOV/70000004"
    assert f"Cosigned:   by {peer}'s gateway" in text


def test_export_of_an_unknown_message_says_so(travelled, tmp_path):
    """Export names what is missing instead of writing an empty file."""
    _, client_gw, _, _ = travelled

    status, err = export(client_gw, "no-such-message", tmp_path / "x.asice")

    assert status == 1
    assert "holds no request and no response of message no-such-message" in err
    assert not (tmp_path / "x.asice").exists()


def test_export_of_an_unknown_message_says_so_in_russian(travelled, tmp_path):
    """The administrator's language (--language ru): the same refusal, the same exit status."""
    _, client_gw, _, _ = travelled

    status, err = export(client_gw, "no-such-message", tmp_path / "x.asice", "--language", "ru")

    assert status == 1
    assert err == (
        "не удаётся экспортировать доказательство no-such-message: в журнале этого шлюза нет"
        " ни запроса, ни ответа сообщения no-such-message, прошедшего обмен (у отклонённого"
        " сообщения нет доказательства для экспорта)\n"
    )
    assert not (tmp_path / "x.asice").exists()


def test_export_before_a_cosigned_checkpoint_advises_waiting(travelled, tmp_path):
    """Issue 9 §5: no checkpoint covers the message yet: non-zero, with advice."""
    _, client_gw, _, _ = travelled
    service = "KG/GOV/70000001/population/person-by-pin"
    reply = http_call(
        client_gw.client_url,
        "GET",
        f"/r1/{service}/22001199000123",
        {"X-Road-Client": f"KG/GOV/70000004/{CLIENT_SUBSYSTEM}"},
    )
    assert reply.status == 200
    message_id = dict((k.lower(), v) for k, v in reply.headers)["x-road-id"]

    status, err = export(client_gw, message_id, tmp_path / "later.asice")

    assert status == 3
    assert "no checkpoint covering entry" in err and "--wait" in err


def test_evidence_of_one_message_does_not_verify_under_another_anchor(travelled, tmp_path):
    """The anchor is the root of trust: another operator's anchor refuses it."""
    _, client_gw, _, message_id = travelled
    evidence = tmp_path / "m.asice"
    assert export(client_gw, message_id, evidence)[0] == 0
    other = CertificateAuthority.create("Another operator")

    with pytest.raises(EvidenceError) as raised:
        verify_evidence(evidence.read_bytes(), ConfigurationAnchor("KG", [other.certificate_pem]))
    assert raised.value.check is Check.CONFIGURATION


def test_export_with_wait_takes_the_next_checkpoint(travelled, tmp_path):
    """Issue 9 §5: `--wait` waits for the checkpoint that will cover the message."""
    world, client_gw, _, _ = travelled
    reply = http_call(
        client_gw.client_url,
        "GET",
        "/r1/KG/GOV/70000001/population/person-by-pin/22001199000123",
        {"X-Road-Client": f"KG/GOV/70000004/{CLIENT_SUBSYSTEM}"},
    )
    message_id = dict((k.lower(), v) for k, v in reply.headers)["x-road-id"]
    evidence = tmp_path / "waited.asice"
    result: list[tuple[int, str]] = []
    exporter = threading.Thread(
        target=lambda: result.append(export(client_gw, message_id, evidence, "--wait", "120"))
    )
    exporter.start()
    client_gw.call(client_gw.runtime.checkpointer.step())
    exporter.join(150)

    assert result and result[0][0] == 0, result
    assert verify_evidence(evidence.read_bytes(), load_anchor(world)).message_id == message_id
