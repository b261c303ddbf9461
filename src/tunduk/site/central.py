"""``make run``: the central server and its background worker, stopped together.

Both run under the exchange demo's :class:`~tunduk.site.exchange.supervisor.Supervisor`:
each in a session of its own that the kernel ends when this process dies, so Ctrl-C
(SIGINT) or SIGTERM, to this process or to its whole process group, stops the server and
every worker process within :data:`STOP_SECONDS`; a worker that ignores SIGTERM is killed,
and none is left holding the database (issue 11, defect 9). No Django.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from tunduk.site.exchange.supervisor import STOP_SECONDS, Supervisor

__all__ = ["STOP_SECONDS", "main"]


def _tunduk() -> str:
    return str(Path(sys.executable).with_name("tunduk"))


def run(address: str, log_dir: Path) -> int:
    """Start the worker and the server; run until a signal or until either exits."""
    requested: list[int] = []

    def handler(number: int, frame: FrameType | None) -> None:
        requested.append(number)

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)
    supervisor = Supervisor(log_dir)
    environment = dict(os.environ)
    try:
        supervisor.start("qcluster", [_tunduk(), "qcluster"], environment)
        print(
            f"Serving on http://{address}/ (background worker log: {log_dir / 'qcluster.log'})",
            flush=True,
        )
        supervisor.start("server", [_tunduk(), "runserver", address], environment, to_terminal=True)
        while not requested:
            exited = supervisor.exited()
            if exited is not None:
                print(
                    f"{exited.name} stopped (status {exited.process.returncode})", file=sys.stderr
                )
                return 1
            time.sleep(0.1)
        return 0
    finally:
        supervisor.stop()


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the options and serve until stopped."""
    parser = argparse.ArgumentParser(prog="make run", description="Serve the Registry on loopback.")
    parser.add_argument("--address", default="127.0.0.1:8000")
    parser.add_argument("--log-dir", type=Path, default=Path("var"))
    args = parser.parse_args(argv)
    return run(args.address, args.log_dir)


if __name__ == "__main__":
    raise SystemExit(main())
