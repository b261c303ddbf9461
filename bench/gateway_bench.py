"""Gateway benchmark: wrk against the backend directly, a bare relay and two gateways.

Three paths to the same demo backend, measured in one run on this machine:

- **direct**: wrk → backend;
- **bare relay**: wrk → relay front → (mutual TLS) → relay back → backend
  (``bench/_bare_relay.py``: the transport's own limit, nothing else);
- **gateways**: wrk → client gateway → (mutual TLS, signed) → provider gateway → backend,
  with signing, verification, authorisation and durable journaling
  (``bench/_gateway_setup.py`` builds standalone gateways: a CA, a signed global
  configuration served from a loopback HTTP server, no central).

Each path is loaded by wrk at 50 connections (requests/s, p50, p99) and at one connection
(p50 latency). The relay and the gateways are measured in alternating rounds (three by
default) and each figure is the median round's, so a slow moment of the machine does not
decide the ratio. The last line reads
``gateway: <n>/s; <r> of the bare relay; <q> of direct; p50 +<ms> ms at one connection``.

    .venv/bin/python bench/gateway_bench.py [--duration 10] [--connections 50] [--rounds 3]
                                            [--quick]
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _bench_tls import write_relay_certificates  # noqa: E402  # after the sys.path line
from _gateway_setup import CLIENT_SUBSYSTEM, SERVICE_PATH, build_gateways  # noqa: E402

PYTHON = sys.executable
BENCH_DOCUMENT = """{"openapi":"3.0.3","info":{"title":"bench","version":"1"},
"paths":{"/echo/{id}":{"get":{"parameters":[{"name":"id","in":"path","required":true,
"schema":{"type":"string"}}],"responses":{"200":{"description":"OK","content":
{"application/json":{"schema":{"type":"object","properties":{"id":{"type":"string",
"description":"id"},"name":{"type":"string","description":"name"}}}}}}}}}}}"""
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}


@dataclass(frozen=True)
class Result:
    """What one wrk run measured."""

    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int = 0
    cpu_ms: float | None = None
    """CPU time (user + system, all threads) of the path's own processes per request."""


_HANDED_OUT: set[int] = set()


def free_port() -> int:
    """A port the OS reports free on 127.0.0.1, never one this process handed out before.

    The probe socket is released at once, so the OS may offer the same port to the next
    probe; remembering what was handed out keeps two hops from being given one port.
    """
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
        if port not in _HANDED_OUT:
            _HANDED_OUT.add(port)
            return port


class ChildExited(RuntimeError):
    """A child process ended while it was expected to come up (its log tail is the message)."""


def wait_until_up(
    url: str, timeout: float = 30, processes: Processes | None = None, names: Sequence[str] = ()
) -> None:
    """Poll ``url`` until it answers 2xx (a relay hop whose next hop is not up answers 500).

    When one of the children ``names`` ends meanwhile, raise ``ChildExited`` with its log
    rather than waiting out the timeout; on timeout the children's logs are in the error too.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if processes is not None:
                processes.raise_if_exited(names)
            if time.monotonic() > deadline:
                logs = processes.log_tails(names) if processes is not None else ""
                raise RuntimeError(f"{url} did not come up in {timeout:.0f} s{logs}") from None
            time.sleep(0.1)


class Processes:
    """Child processes, each in its own session, stopped together at the end."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.children: list[subprocess.Popen[bytes]] = []
        self.by_name: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, argv: Sequence[str], env: dict[str, str] | None = None) -> None:
        """Start ``argv`` with its output in ``logs/<name>.log``."""
        log = (self.logs / f"{name}.log").open("wb")
        child = subprocess.Popen(
            list(argv),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, **(env or {})},
        )
        self.children.append(child)
        self.by_name[name] = child

    def log_tails(self, names: Sequence[str]) -> str:
        """The last lines each of ``names`` wrote, for an error message."""
        return "".join(
            f"\n--- {name} ---\n{(self.logs / f'{name}.log').read_text(errors='replace')[-2000:]}"
            for name in names
        )

    def raise_if_exited(self, names: Sequence[str]) -> None:
        """``ChildExited`` with the logs if any of ``names`` has ended."""
        ended = [n for n in names if self.by_name[n].poll() is not None]
        if ended:
            codes = ", ".join(f"{n} exit {self.by_name[n].returncode}" for n in ended)
            raise ChildExited(codes + self.log_tails(names))

    def stop_some(self, names: Sequence[str]) -> None:
        """Stop the children ``names`` only (a start to be tried again on other ports)."""
        chosen = [self.by_name.pop(n) for n in names]
        self._stop(chosen)
        self.children = [c for c in self.children if c not in chosen]

    def cpu_seconds(self, names: Sequence[str]) -> float:
        """User + system CPU time so far of the processes called ``names`` (Linux /proc)."""
        ticks = 0
        for name in names:
            fields = Path(f"/proc/{self.by_name[name].pid}/stat").read_text().rsplit(")", 1)[1]
            utime, stime = fields.split()[11:13]
            ticks += int(utime) + int(stime)
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        """SIGTERM every child, SIGKILL what is still there after 5 s."""
        self._stop(self.children)

    @staticmethod
    def _stop(children: Sequence[subprocess.Popen[bytes]]) -> None:
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGTERM)
        deadline = time.monotonic() + 5
        for child in children:
            try:
                child.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.pid, signal.SIGKILL)
                child.wait()


def _milliseconds(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if match is None:
        raise ValueError(f"unreadable wrk latency {text!r}")
    return float(match.group(1)) * UNITS[match.group(2)]


def parse_wrk(output: str) -> Result:
    """Requests/s, p50, p99 and the error count from wrk's ``--latency`` report."""
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)
    if rate is None or p50 is None or p99 is None:
        raise ValueError(f"unreadable wrk output:\n{output}")
    errors = 0
    for match in re.finditer(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        errors += int(match.group(1))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    total = re.search(r"(\d+) requests in", output)
    return Result(
        float(rate.group(1)),
        _milliseconds(p50.group(1)),
        _milliseconds(p99.group(1)),
        errors,
        int(total.group(1)) if total else 0,
    )


def run_wrk(url: str, connections: int, seconds: float, headers: dict[str, str]) -> Result:
    """Run wrk (one thread: the servers need the other core) and parse its report."""
    # wrk takes whole seconds only.
    duration = max(1, round(seconds))
    argv = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    for name, value in headers.items():
        argv += ["-H", f"{name}: {value}"]
    done = subprocess.run([*argv, url], capture_output=True, text=True, check=True)
    return parse_wrk(done.stdout)


def measure(
    name: str,
    url: str,
    args: argparse.Namespace,
    headers: dict[str, str] | None = None,
    cpu_of: tuple[Processes, Sequence[str]] | None = None,
) -> tuple[Result, Result]:
    """(at ``--connections``, at one connection), after a short warm-up.

    ``cpu_of`` names the path's own processes: their CPU time per request during the
    loaded run is reported too. Unlike the rates it hardly depends on what else the
    machine runs, so it shows where a change helped even on a busy machine.
    """
    headers = headers or {}
    run_wrk(url, args.connections, 1, headers)
    before = cpu_of[0].cpu_seconds(cpu_of[1]) if cpu_of else 0.0
    loaded = run_wrk(url, args.connections, args.duration, headers)
    if cpu_of and loaded.requests:
        spent = cpu_of[0].cpu_seconds(cpu_of[1]) - before
        loaded = dataclasses.replace(loaded, cpu_ms=1000 * spent / loaded.requests)
    single = run_wrk(url, 1, max(2.0, args.duration / 2), headers)
    cpu = f"  CPU {loaded.cpu_ms:.3f} ms/request" if loaded.cpu_ms is not None else ""
    print(
        f"{name:<11} {loaded.requests_per_second:>9.0f}/s  p50 {loaded.p50_ms:7.2f} ms"
        f"  p99 {loaded.p99_ms:7.2f} ms  errors {loaded.errors:<5}"
        f"  | 1 connection: p50 {single.p50_ms:6.3f} ms{cpu}",
        flush=True,
    )
    return loaded, single


ATTEMPTS = 3


def start_until_up(
    processes: Processes, names: Sequence[str], start: Callable[[], str], timeout: float = 30
) -> None:
    """Run ``start`` (it picks ports, starts the children ``names`` and returns a URL to poll)
    until the URL answers; a child that dies at once (its port taken meanwhile) is started
    again on fresh ports, up to ``ATTEMPTS`` times."""
    for attempt in range(1, ATTEMPTS + 1):
        url = start()
        try:
            wait_until_up(url, timeout, processes, names)
            return
        except ChildExited:
            processes.stop_some(names)
            if attempt == ATTEMPTS:
                raise


def start_backend(processes: Processes, work: Path) -> str:
    """The demo backend answering ``GET /echo/{id}``; returns its base URL."""
    document = work / "bench.openapi.json"
    document.write_text(BENCH_DOCUMENT)
    base = ""

    def start() -> str:
        nonlocal base
        port = free_port()
        processes.start(
            "backend",
            [
                PYTHON,
                "-m",
                "tunduk.site.exchange.backend",
                "--listen",
                f"127.0.0.1:{port}",
                "--openapi",
                str(document),
            ],
        )
        base = f"http://127.0.0.1:{port}"
        return base + "/echo/1"

    start_until_up(processes, ("backend",), start)
    return base


def start_relay(processes: Processes, work: Path, backend: str) -> tuple[str, str]:
    """The bare two-hop relay in front of ``backend``; the front's and the back's base URLs."""
    files = write_relay_certificates(work / "relay")
    relay = str(HERE / "_bare_relay.py")
    front = back = 0

    def start() -> str:
        nonlocal front, back
        front, back = free_port(), free_port()
        for role, port, upstream, cert, key in (
            ("back", back, backend, files.server_cert, files.server_key),
            ("front", front, f"https://127.0.0.1:{back}", files.client_cert, files.client_key),
        ):
            processes.start(
                f"relay-{role}",
                [
                    PYTHON,
                    relay,
                    role,
                    "--listen",
                    f"127.0.0.1:{port}",
                    "--upstream",
                    upstream,
                    "--cert",
                    str(cert),
                    "--key",
                    str(key),
                    "--ca",
                    str(files.ca),
                ],
            )
        return f"http://127.0.0.1:{front}/echo/1"

    start_until_up(processes, ("relay-back", "relay-front"), start)
    return f"http://127.0.0.1:{front}", f"https://127.0.0.1:{back}"


def start_gateways(processes: Processes, work: Path, backend: str) -> str:
    """Two real gateways in front of ``backend``; returns the client side's base URL."""
    gateways = build_gateways(work / "gateways", backend, free_port)
    tunduk = str(Path(PYTHON).with_name("tunduk"))
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    for name, config in (
        ("provider", gateways.provider_config),
        ("client", gateways.client_config),
    ):
        processes.start(
            f"gateway-{name}", [tunduk, "gateway", "serve", "--config", str(config)], env
        )
    url = gateways.client_url + SERVICE_PATH + "/1"
    deadline = time.monotonic() + 60
    while True:
        try:
            request = urllib.request.Request(url, headers={"X-Road-Client": CLIENT_SUBSYSTEM})
            with urllib.request.urlopen(request, timeout=5):
                return gateways.client_url
        except (OSError, urllib.error.HTTPError) as error:
            if time.monotonic() > deadline:
                logs = "\n".join(p.read_text()[-2000:] for p in processes.logs.glob("gateway-*"))
                raise RuntimeError(f"the gateways did not answer: {error}\n{logs}") from None
            time.sleep(0.5)


@contextlib.contextmanager
def workspace() -> Iterator[tuple[Path, Processes]]:
    """A temporary directory and the processes started in it, both gone at the end."""
    with tempfile.TemporaryDirectory(prefix="tunduk-gw-bench-") as name:
        work = Path(name)
        (work / "logs").mkdir()
        processes = Processes(work / "logs")
        try:
            yield work, processes
        finally:
            processes.stop()


def median_run(results: Sequence[Result], key: Callable[[Result], float]) -> Result:
    """The run whose ``key`` is the median (the lower middle one of an even number)."""
    ordered = sorted(results, key=key)
    return ordered[(len(ordered) - 1) // 2]


def rounds_line(name: str, runs: Sequence[Result]) -> str:
    """``name: 2923, 3066, 3400/s`` in the order measured."""
    return f"{name}: " + ", ".join(f"{run.requests_per_second:.0f}" for run in runs) + "/s"


def summary(direct: tuple[Result, Result], bare: Result, gateway: tuple[Result, Result]) -> str:
    """The ratios, and the last line in the form the issue fixes."""
    rate = gateway[0].requests_per_second
    of_relay = rate / bare.requests_per_second
    of_direct = rate / direct[0].requests_per_second
    added = gateway[1].p50_ms - direct[1].p50_ms
    lines = [
        f"bare relay / direct: {bare.requests_per_second / direct[0].requests_per_second:.2f}",
        f"gateways / bare relay: {of_relay:.2f}; gateways / direct: {of_direct:.2f}",
    ]
    if bare.cpu_ms and gateway[0].cpu_ms:
        lines.append(
            f"CPU per request, both hops: bare relay {bare.cpu_ms:.3f} ms,"
            f" gateways {gateway[0].cpu_ms:.3f} ms ({bare.cpu_ms / gateway[0].cpu_ms:.2f} of it)"
        )
    lines.append(
        f"gateway: {rate:.0f}/s; {of_relay:.2f} of the bare relay; {of_direct:.2f} of direct;"
        f" p50 +{added:.2f} ms at one connection"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Measure the three paths and print the figures and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument(
        "--rounds", type=int, default=3, help="alternate the relay and the gateways this often"
    )
    parser.add_argument("--quick", action="store_true", help="3-second runs, one round")
    args = parser.parse_args(argv)
    if args.quick:
        args.duration, args.rounds = 3.0, 1
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if shutil.which("wrk") is None:
        print("wrk is not installed: run bin/setup-wrk (Debian package wrk)", file=sys.stderr)
        return 2
    with workspace() as (work, processes):
        backend = start_backend(processes, work)
        relay, _ = start_relay(processes, work, backend)
        client = start_gateways(processes, work, backend)
        path = "/echo/22001199000123"
        print(f"wrk, {args.connections} connections, {args.duration:g} s per path:", flush=True)
        direct = measure("direct", backend + path, args)
        headers = {"X-Road-Client": CLIENT_SUBSYSTEM}
        relays: list[Result] = []
        gateways: list[tuple[Result, Result]] = []
        for number in range(1, args.rounds + 1):
            if args.rounds > 1:
                print(f"round {number} of {args.rounds}:", flush=True)
            relay_run, _ = measure(
                "bare relay", relay + path, args, cpu_of=(processes, ("relay-front", "relay-back"))
            )
            relays.append(relay_run)
            gateways.append(
                measure(
                    "gateways",
                    client + SERVICE_PATH + "/22001199000123",
                    args,
                    headers,
                    cpu_of=(processes, ("gateway-client", "gateway-provider")),
                )
            )
        errors = sum(loaded.errors for loaded, _ in gateways)
        if errors:
            print(f"the gateways answered {errors} errors", file=sys.stderr)
        if args.rounds > 1:
            print(f"rounds, {rounds_line('bare relay', relays)}")
            print(f"rounds, {rounds_line('gateways', [loaded for loaded, _ in gateways])}")
            print("the figures below are each the median round's")
        bare = median_run(relays, lambda run: run.requests_per_second)
        gateway = (
            median_run([loaded for loaded, _ in gateways], lambda run: run.requests_per_second),
            median_run([single for _, single in gateways], lambda run: run.p50_ms),
        )
        print(summary(direct, bare, gateway))
    return 0


if __name__ == "__main__":
    sys.exit(main())
