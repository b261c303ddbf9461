"""The supervisor of ``make exchange``: every child stopped within five seconds, whatever it does."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from tunduk.site.exchange.supervisor import STOP_SECONDS, ChildFailed, Supervisor

STUBBORN = """
import signal, subprocess, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
grandchild = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
print(grandchild.pid, flush=True)
time.sleep(120)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie waiting for its parent counts as gone.
    try:
        status = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return status != "Z"


def test_a_child_ignoring_sigterm_and_its_own_children_are_gone_in_time(tmp_path: Path) -> None:
    """Ctrl-C stops everything within 5 s: SIGKILL to the group once the grace ends."""
    supervisor = Supervisor(tmp_path)
    stubborn = supervisor.start("stubborn", [sys.executable, "-c", STUBBORN], os.environ, tier=2)
    polite = supervisor.start(
        "polite", [sys.executable, "-c", "import time; time.sleep(120)"], os.environ
    )
    deadline = time.monotonic() + 30
    while not stubborn.log.read_text().strip() and time.monotonic() < deadline:
        time.sleep(0.05)
    grandchild = int(stubborn.log.read_text().split()[0])
    started = time.monotonic()
    supervisor.stop()
    elapsed = time.monotonic() - started
    assert elapsed < STOP_SECONDS
    assert stubborn.process.returncode is not None and polite.process.returncode is not None
    deadline = time.monotonic() + 2
    while _alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(grandchild)


def test_a_child_that_dies_while_starting_is_reported_with_its_log(tmp_path: Path) -> None:
    """A failed start names the process and shows the end of its log, not a hang."""
    supervisor = Supervisor(tmp_path)
    argv = [sys.executable, "-c", "import sys; print('port 8000 is taken'); sys.exit(3)"]
    child = supervisor.start("central", argv, os.environ)
    with pytest.raises(ChildFailed, match="central exited with status 3") as raised:
        supervisor.wait_ready(child, lambda: False, 30, lambda: False)
    assert "port 8000 is taken" in str(raised.value)
    supervisor.stop()


def test_a_child_that_never_gets_ready_times_out(tmp_path: Path) -> None:
    """A child that runs but never answers is reported after its timeout, and stopped."""
    supervisor = Supervisor(tmp_path)
    child = supervisor.start(
        "gateway", [sys.executable, "-c", "import time; time.sleep(60)"], os.environ
    )
    with pytest.raises(ChildFailed, match="gateway was not ready after 1 s"):
        supervisor.wait_ready(child, lambda: False, 1, lambda: False)
    supervisor.stop()
    assert child.process.returncode is not None
