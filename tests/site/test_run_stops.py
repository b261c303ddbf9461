"""``make run`` stops within five seconds: server, worker and their children (issue 11, defect 9)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.loopback import free_port

pytestmark = pytest.mark.slow
REPOSITORY = Path(__file__).resolve().parents[2]
READY_SECONDS = 300
STOP_SECONDS = 5.0


def _descendants(root: int) -> set[int]:
    """Every living process below ``root`` (by parent id, whatever its session or group)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[-1].split()
        if fields[0] != "Z":
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found: set[int] = set()
    pending = [root]
    while pending:
        for child in children.get(pending.pop(), []):
            if child not in found:
                found.add(child)
                pending.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _holding(path: Path) -> set[int]:
    """Processes with ``path`` (or its journal files) open."""
    holders = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            for descriptor in (entry / "fd").iterdir():
                if os.readlink(descriptor).startswith(str(path)):
                    holders.add(int(entry.name))
        except OSError:
            continue
    return holders


def _serving(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


@pytest.mark.parametrize(
    "signal_number", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"]
)
def test_make_run_stops_everything_within_five_seconds(tmp_path: Path, signal_number) -> None:
    """Ctrl-C or SIGTERM to bin/run's process group: no server, worker or database holder after 5 s."""
    data_dir = tmp_path / "var"
    port = free_port()
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "TUNDUK_SITE_URL"}
    }
    environment.update(TUNDUK_DATA_DIR=str(data_dir), PORT=str(port))
    log = (tmp_path / "run.log").open("wb")
    # A session of its own, like a terminal's job: the signal goes to the whole group.
    process = subprocess.Popen(
        [str(REPOSITORY / "bin" / "run")],
        cwd=REPOSITORY,
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    started: set[int] = set()
    try:
        deadline = time.monotonic() + READY_SECONDS
        while not _serving(f"http://127.0.0.1:{port}/"):
            assert process.poll() is None, (tmp_path / "run.log").read_text()
            assert time.monotonic() < deadline, "bin/run did not start serving"
            time.sleep(0.5)
        worker_log = data_dir / "qcluster.log"
        while not worker_log.exists() or not worker_log.read_text():
            assert time.monotonic() < deadline, "the worker did not start"
            time.sleep(0.2)
        started = _descendants(process.pid) | {process.pid}
        assert len(started) >= 3, "bin/run should run a server and a worker"
        assert _holding(data_dir / "tunduk.sqlite3"), "the test should see the database open"

        os.killpg(process.pid, signal_number)
        stopped_by = time.monotonic() + STOP_SECONDS
        while any(_alive(pid) for pid in started) and time.monotonic() < stopped_by:
            time.sleep(0.05)
        process.poll()
        left = {pid for pid in started if _alive(pid)}
        assert not left, f"still running {STOP_SECONDS} s after the signal: {left}"
        assert not _holding(data_dir / "tunduk.sqlite3")
    finally:
        # Whatever a failed run leaves behind (reparented processes included) is killed.
        for pid in _descendants(process.pid) | started | {process.pid}:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        process.wait()
        log.close()
