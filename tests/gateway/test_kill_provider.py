"""The kill test (issue 9, "What bad input and faults get"): SIGKILL the provider mid-load.

Several client threads load the social fund's gateway; the population registry's gateway
runs as a real ``tunduk gateway serve`` process and is killed with SIGKILL in the middle
of the load, then restarted. Every response a client received must have its request and
response leaves in both journals, and both journals must verify completely.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

pytest.importorskip("tunduk.gateway.runtime", exc_type=ImportError)

from tunduk.journal import Verifier

from ._backend import Backend
from ._clients import http_call
from ._pipeline_helpers import Participant, RunningGateway, World
from .conftest import CLIENT_SUBSYSTEM, PROVIDER_SUBSYSTEM, SERVICE_CODE, build_exchange

pytestmark = pytest.mark.slow


class ServeProcess:
    """``python -m tunduk gateway serve --config F`` as a child process."""

    def __init__(self, config: Path) -> None:
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tunduk", "gateway", "serve", "--config", str(config)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=env,
            text=True,
        )
        self.output: list[str] = []
        deadline = time.monotonic() + 60
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)
            if "clients on port" in line:
                break
            if time.monotonic() > deadline:
                break
        else:
            raise AssertionError("the gateway exited:\n" + "".join(self.output))
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)

    def kill(self) -> None:
        """SIGKILL: no shutdown, no final checkpoint, nothing flushed."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def terminate(self) -> None:
        """SIGTERM: graceful shutdown."""
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(60)


class Load:
    """Client threads calling the service until stopped; keeps the ids of the 200 answers."""

    def __init__(self, client_url: str, path: str, client_id: str, threads: int = 4) -> None:
        self.answered: list[str] = []
        self.failures = 0
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._run, args=(client_url, path, client_id, n), daemon=True)
            for n in range(threads)
        ]
        for thread in self._threads:
            thread.start()

    def _run(self, url: str, path: str, client_id: str, number: int) -> None:
        sequence = 0
        while not self._stop.is_set():
            sequence += 1
            message_id = f"kill-{number}-{sequence}"
            body = f'{{"n": {sequence}}}'.encode()
            try:
                reply = http_call(
                    url,
                    "POST",
                    path,
                    {"X-Road-Client": client_id, "X-Road-Id": message_id},
                    body,
                    timeout=15,
                )
            except OSError:
                self.failures += 1
                continue
            if reply.status == 200:
                self.answered.append(message_id)
            else:
                self.failures += 1

    def stop(self) -> None:
        """Stop every thread and wait for it."""
        self._stop.set()
        for thread in self._threads:
            thread.join(30)


def _verify(participant: Participant, message_ids: list[str], side: str) -> None:
    """Both leaves of every message are in this journal, and the journal verifies."""
    from tunduk.gateway.journal_audit import verify_journal
    from tunduk.gateway.keys import journal_origin
    from tunduk.gateway.messagelog import MessageLog

    journal = MessageLog.open(participant.journal_url, journal_origin(participant.server))
    try:
        for message_id in message_ids:
            leaves = [leaf for _, leaf, _ in journal.find(message_id) if leaf.error is None]
            kinds = sorted(leaf.kind for leaf in leaves)
            assert kinds == ["request", "response"], (side, message_id, kinds)
            assert all(leaf.side == side for leaf in leaves)
        key = Verifier.from_key((participant.keys_dir / "journal.vkey").read_text().strip())
        audit = verify_journal(journal, [key])
        assert audit.ok, audit.all_failures()
    finally:
        journal.close()


def test_sigkill_of_the_provider_loses_no_answered_message(
    world: World, backend: Backend, journal_url: Callable[[str], str]
) -> None:
    """Issue 9: after SIGKILL mid-load, every answered exchange is in both journals, which verify."""
    client, provider = build_exchange(world, backend, journal_url)
    provider_process = ServeProcess(provider.config_path)
    client_gw = RunningGateway(client.config_path)
    path = f"/r1/{provider.service(PROVIDER_SUBSYSTEM, SERVICE_CODE)}/search"
    load = Load(client_gw.client_url, path, client.subsystem(CLIENT_SUBSYSTEM))
    try:
        _wait_for_answers(load, 20)
        provider_process.kill()
        before_kill = len(load.answered)
        time.sleep(0.5)
        provider_process = ServeProcess(provider.config_path)
        _wait_for_answers(load, before_kill + 20)
    finally:
        load.stop()
        client_gw.stop()
        provider_process.terminate()
    assert load.failures > 0, "the kill happened while requests were in flight"
    assert len(load.answered) > before_kill
    _verify(client, load.answered, "client")
    _verify(provider, load.answered, "provider")


def _wait_for_answers(load: Load, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while len(load.answered) < count:
        assert time.monotonic() < deadline, f"only {len(load.answered)} answers"
        time.sleep(0.05)
