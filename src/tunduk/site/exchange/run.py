"""``make exchange``: the demo's central, TSA, backends and gateways, with ready commands.

``python -m tunduk.site.exchange.run`` (what ``bin/exchange`` runs) starts the TSA,
migrates and loads the demo, prepares a gateway per active participant
(``tunduk exchange_prepare``), starts central (``runserver``) with its background worker,
the demo backends and one ``tunduk gateway serve`` per gateway, waits until each answers,
makes one granted call, prints the ``curl`` and evidence commands, and runs until Ctrl-C
or SIGTERM, which stop everything within five seconds. No Django in this process: every
Django step is a child ``tunduk`` command.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import signal
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from types import FrameType

from tunduk.site.exchange.supervisor import (
    ChildFailed,
    Supervisor,
    http_answers,
    tcp_accepts,
)

__all__ = ["DEMO_CLIENT", "GRANTED_PATH", "REFUSED_PATH", "Exchange", "Manifest", "main"]

# The demo's story: the social fund's pension system reads a person from the population
# register (granted), and asks e-health for vaccinations (no grant: access denied).
DEMO_CLIENT = "KG/GOV/70000004/pension-accounts"
GRANTED_PATH = "/r1/KG/GOV/70000001/population/person-by-pin/22001199000123"
REFUSED_PATH = "/r1/KG/GOV/70000003/ehr/vaccinations/22001199000123"
SOCIAL_FUND = "70000004"
START_SECONDS = 120.0
# The printed export waits for a checkpoint that covers the call: signed every few seconds,
# then time-stamped and cosigned by the peer gateway; without --wait a newcomer pasting the
# command right after the start reads "no checkpoint yet" (docs/evidence.md, exit code 3).
EVIDENCE_WAIT_SECONDS = 90


@dataclass(frozen=True)
class Exchange:
    """Where the demo lives and listens."""

    data_dir: Path
    central_port: int = 8000
    tsa_port: int = 8318
    any_ports: bool = False

    @property
    def directory(self) -> Path:
        """``<data dir>/exchange``: the gateways' directories, the anchor, the manifest."""
        return self.data_dir / "exchange"

    @property
    def central_url(self) -> str:
        """Central's base URL."""
        return f"http://127.0.0.1:{self.central_port}"

    @property
    def tsa_url(self) -> str:
        """The demo TSA's URL."""
        return f"http://127.0.0.1:{self.tsa_port}/"

    def environment(self, *, django: bool) -> dict[str, str]:
        """The children's environment: central's settings for Django commands, none for gateways."""
        env = dict(os.environ)
        env["TUNDUK_DATA_DIR"] = str(self.data_dir)
        env.setdefault("TUNDUK_DEBUG", "1")
        env["TUNDUK_TSA_URL"] = self.tsa_url
        env["TUNDUK_TSA_ROOTS"] = str(self.data_dir / "tsa" / "root.pem")
        env["PYTHONUNBUFFERED"] = "1"
        if django:
            env["DJANGO_SETTINGS_MODULE"] = "tunduk.settings.base"
        else:
            # `tunduk gateway …` picks the outside settings when none is forced.
            env.pop("DJANGO_SETTINGS_MODULE", None)
        return env


@dataclass(frozen=True)
class GatewayEntry:
    """One gateway of ``exchange.json``."""

    member: str
    code: str
    name: str
    client: str
    server: str
    config: Path


@dataclass(frozen=True)
class Manifest:
    """What ``tunduk exchange_prepare`` wrote to ``exchange.json``."""

    gateways: tuple[GatewayEntry, ...]
    backends: tuple[tuple[str, int], ...]

    @classmethod
    def read(cls, path: Path) -> Manifest:
        """Read ``exchange.json`` (relative paths resolve against its directory)."""
        data = json.loads(path.read_text())
        return cls(
            tuple(
                GatewayEntry(
                    g["member"],
                    g["code"],
                    g["name"],
                    g["client"],
                    g["server"],
                    path.parent / g["config"],
                )
                for g in data["gateways"]
            ),
            tuple((b["name"], int(b["port"])) for b in data["backends"]),
        )

    def gateway(self, code: str) -> GatewayEntry:
        """The gateway of the member with ``code``."""
        return next(g for g in self.gateways if g.code == code)


class Stopping:
    """Set by SIGINT or SIGTERM; every wait loop checks it."""

    def __init__(self) -> None:
        self.requested = False

    def __call__(self) -> bool:
        return self.requested

    def install(self) -> None:
        """Catch SIGINT and SIGTERM from now on."""

        def handler(number: int, frame: FrameType | None) -> None:
            self.requested = True

        signal.signal(signal.SIGINT, handler)
        signal.signal(signal.SIGTERM, handler)


def _tunduk() -> str:
    return str(Path(sys.executable).with_name("tunduk"))


def _step(
    supervisor: Supervisor, stopping: Stopping, name: str, argv: list[str], env: dict[str, str]
) -> None:
    """Run one setup command to its end (its output in the log), stopping on a signal."""
    print(f"  {name} …", flush=True)
    child = supervisor.start(name, argv, env)
    while child.running():
        if stopping():
            raise ChildFailed("stopped while starting")
        time.sleep(0.1)
    supervisor.children.remove(child)
    if child.process.returncode != 0:
        raise ChildFailed(
            f"{name} failed (status {child.process.returncode}); its log ({child.log}) ends:\n{child.tail()}"
        )


def _gateway_up(gateway: GatewayEntry) -> bool:
    """Both sides listen: the client side answers HTTP, the server side accepts TLS peers."""
    return http_answers(f"http://{gateway.client}/listClients") and tcp_accepts(gateway.server)


def prepare(exchange: Exchange, supervisor: Supervisor, stopping: Stopping) -> Manifest:
    """The TSA up, the demo loaded, the gateways prepared; the manifest they wrote."""
    tunduk, django = _tunduk(), exchange.environment(django=True)
    state = str(exchange.data_dir / "tsa")
    argv = [sys.executable, "-m", "tunduk.trust.tsa", "--port", str(exchange.tsa_port)]
    tsa = supervisor.start("tsa", [*argv, "--state-dir", state], exchange.environment(django=False))
    supervisor.wait_ready(tsa, partial(http_answers, exchange.tsa_url), 30, stopping)
    _step(supervisor, stopping, "migrate", [tunduk, "migrate", "--no-input"], django)
    _step(supervisor, stopping, "load_demo", [tunduk, "load_demo"], django)
    _step(supervisor, stopping, "schedule_tasks", [tunduk, "schedule_tasks"], django)
    argv = [tunduk, "exchange_prepare", "--dir", str(exchange.directory)]
    argv += ["--central-url", exchange.central_url, "--tsa-url", exchange.tsa_url]
    argv += ["--any-ports"] if exchange.any_ports else []
    _step(supervisor, stopping, "exchange_prepare", argv, django)
    return Manifest.read(exchange.directory / "exchange.json")


def start_all(exchange: Exchange, supervisor: Supervisor, stopping: Stopping) -> Manifest:
    """Everything up and answering; returns the manifest ``exchange_prepare`` wrote."""
    manifest = prepare(exchange, supervisor, stopping)
    tunduk, django = _tunduk(), exchange.environment(django=True)
    outside = exchange.environment(django=False)
    address = f"127.0.0.1:{exchange.central_port}"
    central = supervisor.start("central", [tunduk, "runserver", address, "--noreload"], django)
    supervisor.start("qcluster", [tunduk, "qcluster"], django)
    configuration = f"{exchange.central_url}/globalconf/configuration"
    supervisor.wait_ready(central, partial(http_answers, configuration), START_SECONDS, stopping)
    argv = [sys.executable, "-m", "tunduk.site.exchange.backend"]
    argv += ["--manifest", str(exchange.directory / "exchange.json")]
    backends = supervisor.start("backends", argv, outside, tier=1)
    for _name, port in manifest.backends:
        up = partial(http_answers, f"http://127.0.0.1:{port}/")
        supervisor.wait_ready(backends, up, 30, stopping)
    for gateway in manifest.gateways:
        argv = [tunduk, "gateway", "serve", "--config", str(gateway.config)]
        child = supervisor.start(f"gateway-{gateway.code}", argv, outside, tier=2)
        supervisor.wait_ready(child, partial(_gateway_up, gateway), START_SECONDS, stopping)
    return manifest


def granted_call(
    client_url: str, stopping: Stopping, timeout: float = 60
) -> tuple[int, str, bytes]:
    """Make the demo's granted call until it succeeds; (status, X-Road-Id, body).

    The gateways may need a moment after start: the first configuration download, the
    first connection to the peer.
    """
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(
        client_url + GRANTED_PATH, headers={"X-Road-Client": DEMO_CLIENT}
    )
    while True:
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return answer.status, answer.headers.get("X-Road-Id", ""), answer.read()
        except urllib.error.HTTPError as error:
            result = (error.code, error.headers.get("X-Road-Id", ""), error.read())
        except OSError as error:
            result = (0, "", str(error).encode())
        if stopping() or time.monotonic() > deadline:
            return result
        time.sleep(1)


def _shown(path: Path) -> str:
    """A path relative to the working directory when it is below it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _operator_sign_in(exchange: Exchange) -> str:
    """The demo operator's sign-in, as ``load_demo`` printed it (its log keeps every run)."""
    try:
        text = (exchange.directory / "logs" / "load_demo.log").read_text(errors="replace")
    except OSError:
        return ""
    block = text[text.rfind("Demo sign-in") :].splitlines()
    password = next((line for line in block[:1] if "password" in line), "")
    logins = (re.search(r"\S+@\S+", line) for line in block if "Tunduk operator" in line)
    operator = next((found.group(0) for found in logins if found), "")
    if not (password and operator):
        return ""
    return f"(operator {operator}, {password.partition('(')[2].rstrip(')')})"


def commands(exchange: Exchange, manifest: Manifest, message_id: str) -> str:
    """The ready-to-paste commands of the running demo."""
    fund = f"http://{manifest.gateway(SOCIAL_FUND).client}"
    header = shlex.quote(f"X-Road-Client: {DEMO_CLIENT}")
    population = "/r1/KG/GOV/70000001/population"
    config = _shown(exchange.directory / SOCIAL_FUND / "gateway.toml")
    anchor = _shown(exchange.directory / "anchor.json")
    tunduk = _shown(Path(_tunduk()))
    lines = [
        "",
        f"Central      {exchange.central_url}/   {_operator_sign_in(exchange)}",
        f"TSA          {exchange.tsa_url}",
    ]
    for gateway in manifest.gateways:
        lines.append(
            f"Gateway      {gateway.member:<17} client http://{gateway.client:<17}"
            f" server {gateway.server:<16} {gateway.name}"
        )
    for name, port in manifest.backends:
        lines.append(f"Backend      {name:<34} http://127.0.0.1:{port}/")
    lines += [
        "",
        "A granted call: the social fund reads a person from the population register",
        f"  curl -i -H {header} {fund}{GRANTED_PATH}",
        "A call without a grant (X-Road's Server.ServerProxy.AccessDenied)",
        f"  curl -i -H {header} {fund}{REFUSED_PATH}",
        "Metadata",
        f"  curl -H 'Accept: application/json' {fund}/listClients",
        f"  curl -H {header} {fund}{population}/listMethods",
        f"  curl -H {header} {fund}{population}/allowedMethods",
        f"  curl -H {header} '{fund}{population}/getOpenAPI?serviceCode=person-by-pin'",
        f"Evidence of the call made at start (X-Road-Id {message_id or '<X-Road-Id>'}; any other",
        "call's id is in its X-Road-Id header). The export waits up to "
        f"{EVIDENCE_WAIT_SECONDS} s for a checkpoint",
        "that covers the call, signed, time-stamped and cosigned by the peer gateway",
        f"  {tunduk} evidence export {message_id or '<X-Road-Id>'} --config {config} -o m.asice"
        f" --wait {EVIDENCE_WAIT_SECONDS}",
        f"  {tunduk} evidence verify m.asice --anchor {anchor}",
        "The report in Kyrgyz or Russian, for a court: add --language ky or --language ru",
        "The social fund's gateway: its state, then what went through it and how long it took",
        f"  {tunduk} gateway status --config {config}",
        f"  {tunduk} gateway traffic --config {config}",
        "",
        f"Logs in {_shown(exchange.directory / 'logs')}/. Ctrl-C stops everything.",
    ]
    return "\n".join(lines)


def run(exchange: Exchange) -> int:
    """Start everything, print the commands, run until a signal; the exit status."""
    stopping = Stopping()
    stopping.install()
    supervisor = Supervisor(exchange.directory / "logs")
    print(f"Starting the Tunduk exchange demo in {_shown(exchange.data_dir)} …", flush=True)
    try:
        manifest = start_all(exchange, supervisor, stopping)
        fund = manifest.gateway(SOCIAL_FUND)
        status, message_id, body = granted_call(f"http://{fund.client}", stopping)
        if status != 200:
            print(
                f"The granted call answered {status}: {body[:500]!r}", file=sys.stderr, flush=True
            )
            message_id = ""
        print(commands(exchange, manifest, message_id), flush=True)
        print("READY" if status == 200 else "RUNNING (the granted call failed)", flush=True)
        while not stopping():
            exited = supervisor.exited()
            if exited is not None:
                print(
                    f"{exited.name} stopped (status {exited.process.returncode}); its log ends:\n{exited.tail()}",
                    file=sys.stderr,
                )
                return 1
            time.sleep(0.2)
        return 0
    except ChildFailed as error:
        if not stopping():
            print(f"make exchange: {error}", file=sys.stderr)
            return 1
        return 0
    finally:
        print("Stopping …", flush=True)
        supervisor.stop()
        print("Stopped.", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the options and run the demo."""
    parser = argparse.ArgumentParser(
        prog="make exchange", description="Run the Tunduk exchange demo on loopback."
    )
    parser.add_argument(
        "--data-dir", type=Path, default=Path(os.environ.get("TUNDUK_DATA_DIR", "var"))
    )
    parser.add_argument("--central-port", type=int, default=8000)
    parser.add_argument("--tsa-port", type=int, default=8318)
    parser.add_argument(
        "--any-ports",
        action="store_true",
        help="let the OS choose the gateways' and backends' ports",
    )
    args = parser.parse_args(argv)
    exchange = Exchange(args.data_dir.resolve(), args.central_port, args.tsa_port, args.any_ports)
    return run(exchange)


if __name__ == "__main__":
    sys.exit(main())
