"""``tunduk witness …``: run an independent witness of a published journal.

The witness needs no database: it reads the journal over HTTP and keeps its own key and
state in a directory (see :mod:`tunduk.journal.cosigning`), so another organisation can
run it. Nothing here touches Django's database.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tunduk.journal import JournalError, NoteError, Verifier, WitnessError
from tunduk.journal.cosigning import REFUSED_FILE, WitnessRunner, init_witness
from tunduk.journal.remote import PublishedLog, RemoteLogError

logger = logging.getLogger("tunduk.witness")


class Command(BaseCommand):
    help = "Run an independent witness that cosigns the journal's consistent checkpoints."
    requires_system_checks: list[str] = []  # a witness host has no database to check

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        init = actions.add_parser("init", help="create a witness key; prints its verifier key")
        init.add_argument("--state", type=Path, required=True, help="the witness directory")
        init.add_argument("--name", required=True, help="the key name, e.g. witness.example.kg")
        serve = actions.add_parser("serve", help="poll the journal and cosign its checkpoints")
        serve.add_argument("--state", type=Path, required=True, help="the witness directory")
        serve.add_argument("--log-url", required=True, help="e.g. https://registry.kg/journal")
        serve.add_argument("--log-vkey", required=True, help="the journal's verifier key")
        serve.add_argument("--origin", default="", help="the log origin (default: key name)")
        serve.add_argument("--interval", type=float, default=60, help="seconds between polls")
        serve.add_argument("--timeout", type=float, default=10, help="HTTP timeout in seconds")
        serve.add_argument("--once", action="store_true", help="poll once; non-zero on refusal")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, "_" + action)(**options)

    def _init(self, state: Path, name: str, **options: Any) -> None:
        try:
            cosigner = init_witness(state, name)
        except (WitnessError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(cosigner.verifier().to_key())

    def _serve(
        self,
        state: Path,
        log_url: str,
        log_vkey: str,
        origin: str,
        interval: float,
        timeout: float,
        once: bool,
        **options: Any,
    ) -> None:
        try:
            runner = WitnessRunner(
                state,
                PublishedLog(log_url, timeout=timeout),
                Verifier.from_key(log_vkey),
                origin=origin,
            )
        except (NoteError, WitnessError, RemoteLogError) as error:
            raise CommandError(str(error)) from error
        while True:
            ok = self._round(runner)
            if once:
                if not ok:
                    raise CommandError("the witness did not cosign; see the log above")
                return
            time.sleep(interval)

    def _round(self, runner: WitnessRunner) -> bool:
        """One poll; says what happened. A refusal is logged loudly, never swallowed."""
        try:
            result = runner.step()
        except WitnessError as error:
            logger.critical(
                "WITNESS REFUSED to cosign %s: %s. The refused checkpoint is kept in %s as "
                "evidence; the log may have forked or rewritten its history.",
                runner.origin,
                error,
                runner.directory / REFUSED_FILE,
            )
            self.stderr.write(f"refused: {error}")
            return False
        except JournalError as error:
            logger.error("witness could not check %s: %s", runner.origin, error)
            self.stderr.write(f"error: {error}")
            return False
        size = result.checkpoint.size
        if result.cosigned:
            self.stdout.write(f"cosigned and published the checkpoint of size {size}")
        else:
            self.stdout.write(f"checkpoint of size {size} already cosigned")
        return True
