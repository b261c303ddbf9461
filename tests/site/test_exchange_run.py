"""``make exchange`` end to end: central, TSA, backends and four gateways as real processes."""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.loopback import free_port
from tunduk.site.exchange.run import DEMO_CLIENT, GRANTED_PATH, REFUSED_PATH, SOCIAL_FUND

pytestmark = pytest.mark.slow
READY_SECONDS = 300


def _processes_of(data_dir: Path) -> set[int]:
    """Every process whose environment names ``data_dir`` (the demo's children carry it)."""
    marker = f"TUNDUK_DATA_DIR={data_dir}".encode()
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker in (entry / "environ").read_bytes().split(b"\0"):
                found.add(int(entry.name))
        except OSError:
            continue
    return found


@dataclass
class RunningExchange:
    """The ``make exchange`` process (a session leader, like a terminal's job) and its output."""

    process: subprocess.Popen[str]
    data_dir: Path
    output: list[str]

    def client_url(self) -> str:
        manifest = json.loads((self.data_dir / "exchange" / "exchange.json").read_text())
        fund = next(g for g in manifest["gateways"] if g["code"] == SOCIAL_FUND)
        return f"http://{fund['client']}"


@pytest.fixture(scope="module")
def exchange(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningExchange]:
    """``python -m tunduk.site.exchange.run`` in a temporary directory, on ports the OS chose.

    One run for the module (starting it takes most of a minute); the test that stops it
    comes last.
    """
    tmp_path = tmp_path_factory.mktemp("exchange")
    data_dir = tmp_path / "var"
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["TUNDUK_DATA_DIR"] = str(data_dir)
    argv = [
        sys.executable,
        "-m",
        "tunduk.site.exchange.run",
        "--data-dir",
        str(data_dir),
        "--central-port",
        str(free_port()),
        "--tsa-port",
        str(free_port()),
        "--any-ports",
    ]
    process = subprocess.Popen(
        argv,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=tmp_path,
        start_new_session=True,
    )
    running = RunningExchange(process, data_dir, [])
    try:
        deadline = time.monotonic() + READY_SECONDS
        assert process.stdout is not None
        for line in process.stdout:
            running.output.append(line)
            if line.startswith(("READY", "RUNNING")) or time.monotonic() > deadline:
                break
        assert running.output and running.output[-1].startswith("READY"), "".join(running.output)
        yield running
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _call(url: str, client: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"X-Road-Client": client})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_a_client_of_another_organisation_is_refused(exchange: RunningExchange) -> None:
    """Attacker: the social fund's gateway serves only the social fund's own subsystems."""
    status, _headers, body = _call(exchange.client_url() + GRANTED_PATH, "KG/GOV/70000003/ehr")
    assert status in (400, 500)
    assert json.loads(body)["type"].startswith(("Client.", "Server.ClientProxy."))
    assert b"field0" not in body


def test_the_printed_evidence_commands_work_and_a_changed_byte_fails(
    exchange: RunningExchange,
) -> None:
    """Issue 9 item 5 and what it must show 4: the demo message's evidence verifies offline."""
    printed = [line.strip() for line in exchange.output]
    export = shlex.split(next(line for line in printed if " evidence export " in line))
    verify = shlex.split(next(line for line in printed if " evidence verify " in line))
    cwd = exchange.data_dir.parent
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}

    def run(argv: list[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)

    # Pasted as printed: the command itself waits for a cosigned checkpoint.
    assert export[export.index("--wait") + 1] == "90"
    exported = run(export)
    assert exported.returncode == 0, exported.stderr
    verified = run(verify)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "KG/GOV/70000004/pension-accounts" in verified.stdout
    container = cwd / export[export.index("-o") + 1]
    data = bytearray(container.read_bytes())
    data[len(data) // 2] ^= 0x01
    container.write_bytes(bytes(data))
    tampered = run(verify)
    assert tampered.returncode != 0
    assert "does not hold" in tampered.stdout + tampered.stderr

    # The administrator's view of the same call, as printed, in Russian.
    traffic = shlex.split(next(line for line in printed if " gateway traffic " in line))
    watched = run([*traffic, "--language", "ru"])
    assert watched.returncode == 0, watched.stderr
    assert re.search(
        r"KG/GOV/70000004/pension-accounts → KG/GOV/70000001/population/person-by-pin:"
        r" запросов \d+; 200×\d+; время: медиана",
        watched.stdout,
    ), watched.stdout


def test_a_message_travels_and_a_refused_one_does_not_and_ctrl_c_stops_all(
    exchange: RunningExchange,
) -> None:
    """Issue 9 item 6: the granted call reaches the backend, the other is AccessDenied, stop ≤ 5 s."""
    fund = exchange.client_url()
    status, headers, body = _call(fund + GRANTED_PATH, DEMO_CLIENT)
    assert status == 200, body
    assert json.loads(body)["field0"] == "ПИН: 22001199000123"
    assert headers["X-Road-Service"] == "KG/GOV/70000001/population/person-by-pin"
    assert headers["X-Road-Id"] and headers["X-Road-Request-Hash"]

    status, headers, body = _call(fund + REFUSED_PATH, DEMO_CLIENT)
    assert status == 500
    assert json.loads(body)["type"] == "Server.ServerProxy.AccessDenied"
    assert headers["X-Road-Error"] == "Server.ServerProxy.AccessDenied"

    printed = "".join(exchange.output)
    assert f"curl -i -H 'X-Road-Client: {DEMO_CLIENT}' {fund}{GRANTED_PATH}" in printed
    assert "evidence verify m.asice --anchor" in printed
    assert "add --language ky or --language ru" in printed

    children = _processes_of(exchange.data_dir)
    assert len(children) >= 8  # TSA, central, worker, backends, four gateways
    started = time.monotonic()
    os.killpg(exchange.process.pid, signal.SIGTERM)
    exchange.process.wait(10)
    while _processes_of(exchange.data_dir) and time.monotonic() - started < 10:
        time.sleep(0.1)
    assert not _processes_of(exchange.data_dir)
    assert time.monotonic() - started < 5
