"""``tunduk journal monitor URL``: anyone checks the published journal against what they saw.

Kept apart from the ``journal`` command's own module so that command only gains one
sub-parser and one method. No database is used: only the public URLs.
"""

from __future__ import annotations

import argparse
import os
import re
import urllib.parse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tunduk.journal import JournalError, Verifier
from tunduk.journal.monitor import ForkError, LogMonitor, pin_log_key
from tunduk.journal.remote import PublishedLog

__all__ = ["add_monitor_arguments", "default_state_file", "run_monitor"]


def default_state_file(url: str) -> Path:
    """``$XDG_STATE_HOME/tunduk/monitor/<host and path>.checkpoint`` for the log at ``url``."""
    parts = urllib.parse.urlsplit(url)
    name = re.sub(r"[^A-Za-z0-9.-]+", "_", f"{parts.netloc}{parts.path}".rstrip("/"))
    base = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    return base / "tunduk" / "monitor" / f"{name}.checkpoint"


def add_monitor_arguments(actions: Any) -> None:
    """Add the ``monitor`` sub-command to the ``journal`` command's sub-parsers."""
    monitor: argparse.ArgumentParser = actions.add_parser(
        "monitor", help="check the published journal against the last checkpoint you kept"
    )
    monitor.add_argument("url", help="the journal's base URL, e.g. https://registry.kg/journal")
    monitor.add_argument("--state", type=Path, help="file keeping the last checkpoint seen")
    monitor.add_argument("--log-vkey", help="the journal's verifier key (else pinned on first use)")
    monitor.add_argument(
        "--witness-key",
        action="append",
        default=[],
        help="require this witness's cosignature (checks the cosigned checkpoint); repeatable",
    )
    monitor.add_argument("--timeout", type=float, default=10, help="HTTP timeout in seconds")


def run_monitor(
    command: BaseCommand,
    *,
    url: str,
    state: Path | None,
    log_vkey: str | None,
    witness_key: list[str],
    timeout: float,
    **options: Any,
) -> None:
    """Check once; print what was checked; raise ``CommandError`` on a fork or bad signature."""
    state_file = state if state is not None else default_state_file(url)
    key_file = state_file.with_name(state_file.name + ".vkey")
    try:
        log = PublishedLog(url, timeout=timeout)
        log_key, pinned = pin_log_key(log, key_file, log_vkey)
        witnesses = [Verifier.from_key(key) for key in witness_key]
        report = LogMonitor(log, state_file, log_key, witnesses=witnesses).check()
    except ForkError as error:
        raise CommandError(
            f"THE JOURNAL IS NOT CONSISTENT WITH WHAT YOU SAW: {error}. "
            f"Both signed checkpoints are kept as evidence: {state_file} and "
            f"{state_file.with_name(state_file.name + '.fork')}"
        ) from error
    except (JournalError, OSError) as error:
        raise CommandError(f"journal check failed: {error}") from error
    if pinned:
        command.stdout.write(f"pinned the log key {log_key.to_key()} in {key_file}")
    command.stdout.write(command.style.SUCCESS(report.describe()))
    command.stdout.write(f"kept in {state_file}")
