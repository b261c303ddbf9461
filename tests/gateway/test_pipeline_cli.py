"""The ``tunduk gateway`` command: init, install-certificate, status, serve, and its errors."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys

import pytest

pytest.importorskip("tunduk.gateway.runtime", exc_type=ImportError)

from tunduk.gateway.cli import main
from tunduk.gateway.status import STATUS_FORMAT, status_ok
from tunduk.trust.ca import certificate_to_pem
from tunduk.trust.certificates import issue_from_csr
from tunduk.trust.csr import ExpectedSubject, load_csr
from tunduk.trust.profiles import CertificateProfile

from ._pipeline_helpers import World


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def test_init_writes_private_keys_and_requests(world: World) -> None:
    """Issue 9 §1: init writes ECDSA P-256 keys with 0600 permissions and the two CSRs."""
    participant = world.add("GOV", "70000009", "Agency", ["app"])
    config = world.write_config(participant)
    status, out = _run("init", "--config", str(config))
    assert status == 0
    for name in ("auth.key", "sign.key", "journal.key", "cosign.key"):
        mode = stat.S_IMODE((participant.keys_dir / name).stat().st_mode)
        assert mode == 0o600, name
    assert str(participant.keys_dir / "auth.csr") in out
    assert "install-certificate" in out


def test_init_never_overwrites_keys(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 9 §1: a second init refuses and leaves the existing key untouched."""
    participant = world.add("GOV", "70000009", "Agency", ["app"])
    config = world.write_config(participant)
    assert _run("init", "--config", str(config))[0] == 0
    before = (participant.keys_dir / "sign.key").read_bytes()
    status, _ = _run("init", "--config", str(config))
    assert status == 1
    assert "tunduk gateway init" in capsys.readouterr().err
    assert (participant.keys_dir / "sign.key").read_bytes() == before


def test_install_certificate_from_the_ca(world: World) -> None:
    """Issue 9 §1: a certificate the CA issued from the CSR is installed next to its key."""
    participant = world.add("GOV", "70000009", "Agency", ["app"])
    config = world.write_config(participant)
    _run("init", "--config", str(config))
    csr = load_csr((participant.keys_dir / "sign.csr").read_bytes())
    certificate = issue_from_csr(
        world.ca,
        csr,
        profile=CertificateProfile.SIGNING,
        expected=ExpectedSubject.for_member(participant.member),
    )
    pem = participant.directory / "issued.pem"
    pem.write_bytes(certificate_to_pem(certificate))
    status, out = _run("install-certificate", "--config", str(config), str(pem))
    assert status == 0
    assert (participant.keys_dir / "sign.crt").read_bytes() == certificate_to_pem(certificate)
    assert "sign.crt" in out


def test_bad_configuration_names_the_key(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    """docs/gateway.md: a configuration error names the file, the key and the rule; exit 2."""
    participant = world.add("GOV", "70000009", "Agency", ["app"])
    config = world.write_config(participant, journal_url="mysql://nowhere")
    status, _ = _run("status", "--config", str(config))
    assert status == 2
    err = capsys.readouterr().err
    assert str(config) in err and "journal.url" in err


def test_status_of_a_provisioned_gateway(world: World) -> None:
    """Issue 9 §1: status shows the configuration version and the certificates."""
    participant = world.add("GOV", "70000009", "Agency", ["app"])
    world.provision(participant)
    world.publish()
    status, out = _run("status", "--config", str(participant.config_path))
    assert "configuration" in out.lower()
    assert "certificate" in out.lower()
    assert status in (0, 1)


def test_status_as_json_for_monitoring_tools(world: World) -> None:
    """Issue 9 §1: ``status --json`` prints the state as data; the exit status follows it.

    The gateway has not run yet, so it holds no global configuration: the data says so
    and the exit status is 1, as in the text form."""
    participant = world.add("GOV", "70000009", "Agency", ["app"])
    world.provision(participant)
    world.publish()

    status, out = _run("status", "--config", str(participant.config_path), "--json")

    document = json.loads(out)
    assert document["format"] == STATUS_FORMAT
    assert document["gateway"].startswith("KG/GOV/70000009/")
    assert document["configuration"]["state"] == "missing"
    assert {name: section["state"] for name, section in document["certificates"].items()} == {
        "auth": "valid",
        "sign": "valid",
    }
    assert not status_ok(document) and status == 1


def test_the_tunduk_command_routes_gateway_without_central(world: World) -> None:
    """Issue 9: ``python -m tunduk gateway`` runs with the outsiders' settings (no database)."""
    participant = world.add("GOV", "70000009", "Agency", ["app"])
    config = world.write_config(participant)
    env = {
        k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")
    }
    result = subprocess.run(
        [sys.executable, "-m", "tunduk", "gateway", "init", "--config", str(config)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "auth.csr" in result.stdout
