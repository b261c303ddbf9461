"""``make bench-gateway``'s parts: wrk's report read right, the bare relay's mutual TLS real."""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import ssl
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _load(name: str) -> ModuleType:
    """A module of bench/ (scripts, not a package)."""
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


bench = _load("gateway_bench")

# wrk 4.1.0's report with --latency, as it printed it here.
WRK_REPORT = """Running 3s test @ http://127.0.0.1:40000/echo/1
  1 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     5.92ms    2.11ms  31.40ms   81.20%
    Req/Sec     8.63k   512.33     9.12k    90.00%
  Latency Distribution
     50%    5.76ms
     75%    6.71ms
     90%    8.02ms
     99%   14.02ms
  25794 requests in 3.00s, 5.07MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:   8598.02
Transfer/sec:      1.69MB
"""


def test_wrk_report_is_read_with_units_and_errors() -> None:
    """The figures the issue asks for (rate, p50, p99) and every failed request counted."""
    result = bench.parse_wrk(WRK_REPORT)
    assert result.requests_per_second == pytest.approx(8598.02)
    assert result.p50_ms == pytest.approx(5.76)
    assert result.p99_ms == pytest.approx(14.02)
    assert result.errors == 4 + 2 + 1
    micro = bench.parse_wrk(WRK_REPORT.replace("5.76ms", "76.00us").replace("14.02ms", "1.20s"))
    assert micro.p50_ms == pytest.approx(0.076)
    assert micro.p99_ms == pytest.approx(1200.0)


def test_an_unreadable_report_is_an_error_not_a_zero() -> None:
    """A wrk that failed must not print a figure (a benchmark cannot silently read 0/s)."""
    with pytest.raises(ValueError, match="unreadable"):
        bench.parse_wrk("unable to connect to 127.0.0.1:1 Connection refused\n")


def test_the_summary_line_has_the_issues_shape() -> None:
    """Issue 9, what it must show 3: the last line's exact form."""
    direct = (bench.Result(18000, 2.0, 4.0, 0), bench.Result(20000, 0.05, 0.1, 0))
    bare = bench.Result(2700, 18.0, 40.0, 0)
    gateway = (bench.Result(2160, 20.0, 50.0, 0), bench.Result(400, 1.05, 2.0, 0))
    last = bench.summary(direct, bare, gateway).splitlines()[-1]
    assert (
        last
        == "gateway: 2160/s; 0.80 of the bare relay; 0.12 of direct; p50 +1.00 ms at one connection"
    )


def test_the_median_round_decides_not_the_luckiest_or_the_slowest() -> None:
    """Alternating rounds: each summary figure is one real round's, the median one."""
    runs = [bench.Result(rate, p50, 0.0, 0) for rate, p50 in ((900, 3.1), (1200, 2.4), (1000, 2.9))]

    assert bench.median_run(runs, lambda run: run.requests_per_second).requests_per_second == 1000
    assert bench.median_run(runs, lambda run: run.p50_ms).p50_ms == 2.9
    assert (
        bench.median_run(runs[:2], lambda run: run.requests_per_second).requests_per_second == 900
    )
    assert bench.rounds_line("gateways", runs) == "gateways: 900, 1200, 1000/s"


@pytest.fixture
def relay() -> Iterator[tuple[str, str, Path]]:
    """The backend and the two relay hops as processes: (front URL, back URL, cert dir)."""
    with bench.workspace() as (work, processes):
        backend = bench.start_backend(processes, work)
        front, back = bench.start_relay(processes, work, backend)
        yield front, back, work / "relay"


@pytest.mark.slow
def test_the_bare_relay_passes_requests_and_requires_a_client_certificate(
    relay: tuple[str, str, Path],
) -> None:
    """The bare relay is mutual TLS (a client without a certificate is refused), else a pipe."""
    front, back, certificates = relay
    with urllib.request.urlopen(front + "/echo/22001199000123", timeout=10) as answer:
        assert answer.status == 200
        assert b"22001199000123" in answer.read()
    context = ssl.create_default_context(cafile=str(certificates / "ca.pem"))
    with pytest.raises((ssl.SSLError, urllib.error.URLError, ConnectionError)):
        urllib.request.urlopen(back + "/echo/1", timeout=10, context=context)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed (bin/setup-wrk)")
def test_wrk_measures_the_relay(relay: tuple[str, str, Path]) -> None:
    """A real wrk run is read: some requests, none failed, p50 ≤ p99."""
    front, _back, _certificates = relay
    args = argparse.Namespace(connections=4, duration=1.0)
    loaded, single = bench.measure("bare relay", front + "/echo/1", args)
    assert loaded.requests_per_second > 0 and loaded.errors == 0
    assert 0 < loaded.p50_ms <= loaded.p99_ms
    assert single.p50_ms > 0


def test_a_hop_that_dies_at_start_is_started_again_and_then_named(tmp_path: Path) -> None:
    """A child whose port was taken meanwhile dies at once: it is started again on a fresh
    port; one that keeps dying is named with its own log, without waiting out the timeout."""
    processes = bench.Processes(tmp_path)
    tries: list[int] = []

    def dies_once() -> str:
        port = bench.free_port()
        code = "print('address already in use'); raise SystemExit(3)"
        argv = [sys.executable, "-c", code]
        if tries:
            argv = [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port)]
        tries.append(port)
        processes.start("hop", argv, {"PYTHONUNBUFFERED": "1"})
        return f"http://127.0.0.1:{port}/"

    try:
        bench.start_until_up(processes, ("hop",), dies_once)
        assert len(tries) == 2 and tries[0] != tries[1]
    finally:
        processes.stop()

    def always_dies() -> str:
        code = "print('address already in use'); raise SystemExit(3)"
        processes.start("hop", [sys.executable, "-c", code])
        return f"http://127.0.0.1:{bench.free_port()}/"

    try:
        with pytest.raises(bench.ChildExited, match=r"(?s)hop exit 3.*address already in use"):
            bench.start_until_up(processes, ("hop",), always_dies, timeout=60)
    finally:
        processes.stop()
