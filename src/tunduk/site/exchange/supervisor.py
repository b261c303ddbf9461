"""Child processes of ``make exchange``: started, waited for, and all stopped together.

Each child runs in its own session (so a terminal's Ctrl-C reaches only the supervisor,
which then stops the children in order) and is asked by the kernel to die with its
parent (``PR_SET_PDEATHSIG``), so even a supervisor killed outright leaves nothing behind.
:meth:`Supervisor.stop` sends SIGTERM to every child's process group and SIGKILL to any
still there when the grace period ends: everything is gone within :data:`STOP_SECONDS`.
No Django.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

__all__ = ["STOP_SECONDS", "Child", "ChildFailed", "Supervisor", "http_answers", "tcp_accepts"]

STOP_SECONDS = 5.0
# SIGTERM tier by tier, the last started first (gateways sign a final checkpoint at the
# TSA and their peers, so these must outlive them); each tier waits at most this long,
# and whatever is left after the last gets SIGKILL, well within STOP_SECONDS.
TIER_GRACE_SECONDS = (1.4, 0.3, 1.8)  # tier 0 (central, TSA), 1 (backends), 2 (gateways)
_PR_SET_PDEATHSIG = 1


class ChildFailed(RuntimeError):
    """A child exited, or did not become ready in time; the message names it and its log."""


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """In the child: a new session, and SIGTERM when the supervisor dies (Linux)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class Child:
    """One started process, its log file and the check that says it is ready."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path
    tier: int = 0

    def running(self) -> bool:
        """Whether the process has not exited yet."""
        return self.process.poll() is None

    def tail(self, lines: int = 15) -> str:
        """The end of its log, for an error message."""
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


class Supervisor:
    """Starts children with their output in ``log_dir/<name>.log`` and stops them all."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.children: list[Child] = []
        log_dir.mkdir(parents=True, exist_ok=True)

    def start(
        self,
        name: str,
        argv: Sequence[str],
        env: Mapping[str, str],
        *,
        tier: int = 0,
        to_terminal: bool = False,
    ) -> Child:
        """Start ``argv`` in its own session; its output goes to its log file (or, with
        ``to_terminal``, to the supervisor's own output).

        :meth:`stop` stops the highest ``tier`` first.
        """
        log = self.log_dir / f"{name}.log"
        handle: IO[bytes] = log.open("ab")
        try:
            process = subprocess.Popen(
                list(argv),
                stdin=subprocess.DEVNULL,
                stdout=None if to_terminal else handle,
                stderr=None if to_terminal else subprocess.STDOUT,
                env=dict(env),
                start_new_session=True,
                preexec_fn=_die_with_parent,  # only prctl, no locks taken
            )
        finally:
            handle.close()
        child = Child(name, process, log, tier)
        self.children.append(child)
        return child

    def wait_ready(
        self, child: Child, ready: Callable[[], bool], timeout: float, stopping: Callable[[], bool]
    ) -> None:
        """Poll ``ready`` until true; raise :class:`ChildFailed` if the child exits or times out."""
        deadline = time.monotonic() + timeout
        while not ready():
            if stopping():
                raise ChildFailed("stopped while starting")
            if not child.running():
                raise ChildFailed(
                    f"{child.name} exited with status {child.process.returncode};"
                    f" its log ({child.log}) ends:\n{child.tail()}"
                )
            if time.monotonic() > deadline:
                raise ChildFailed(
                    f"{child.name} was not ready after {timeout:.0f} s;"
                    f" its log ({child.log}) ends:\n{child.tail()}"
                )
            time.sleep(0.2)

    def exited(self) -> Child | None:
        """A child that has exited on its own, if any."""
        return next((child for child in self.children if not child.running()), None)

    def stop(self) -> None:
        """SIGTERM tier by tier (highest first), SIGKILL what is left; wait for all."""
        for tier in sorted({child.tier for child in self.children}, reverse=True):
            members = [child for child in self.children if child.tier == tier]
            for child in members:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(child.process.pid, signal.SIGTERM)
            grace = TIER_GRACE_SECONDS[min(tier, len(TIER_GRACE_SECONDS) - 1)]
            deadline = time.monotonic() + grace
            for child in members:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    child.process.wait(max(0.01, deadline - time.monotonic()))
        for child in self.children:
            # The group too: a child's own children (qcluster's workers) may outlive it.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(child.process.pid, signal.SIGKILL)
        for child in self.children:
            child.process.wait()


def http_answers(url: str, headers: Mapping[str, str] | None = None) -> bool:
    """Whether ``url`` answers with any HTTP status (a gateway's error is an answer too)."""
    request = urllib.request.Request(url, headers=dict(headers or {}))
    try:
        with urllib.request.urlopen(request, timeout=2):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def tcp_accepts(address: str) -> bool:
    """Whether ``host:port`` accepts a TCP connection."""
    host, _, port = address.rpartition(":")
    try:
        with socket.create_connection((host, int(port)), timeout=1):
            return True
    except OSError:
        return False
