"""``tunduk journal …``: verify the Registry's journal, publish a checkpoint, export or check proofs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from tunduk.journal import JournalError, Verifier, verify_tlog_proof
from tunduk.journaling.checkpoints import publish_checkpoint
from tunduk.journaling.keys import verifier
from tunduk.journaling.log import registry_log, storage
from tunduk.journaling.monitoring import add_monitor_arguments, run_monitor
from tunduk.journaling.verification import verify_registry


class Command(BaseCommand):
    help = "Verify the Registry's journal, publish a checkpoint, export or check an entry's proof."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        verify = actions.add_parser("verify", help="re-read the whole log and the rows it covers")
        verify.add_argument("--no-progress", action="store_true", help="no progress bar")
        actions.add_parser("checkpoint", help="sign and time-stamp a checkpoint now")
        actions.add_parser("key", help="print the published verifier key")
        proof = actions.add_parser("proof", help="print an entry's C2SP tlog-proof")
        proof.add_argument("index", type=int)
        proof.add_argument("--entry-out", type=Path, help="also write the entry's bytes here")
        check = actions.add_parser("check-proof", help="check a tlog-proof offline")
        check.add_argument("--key", required=True, help="the verifier key (name+keyid+base64)")
        check.add_argument("--entry", type=Path, required=True, help="file with the entry bytes")
        check.add_argument("--proof", type=Path, required=True, help="file with the tlog-proof")
        add_monitor_arguments(actions)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, "_" + action.replace("-", "_"))(**options)

    def _verify(self, no_progress: bool = False, **options: Any) -> None:
        bar = None if no_progress else tqdm(total=0, unit="leaf", desc="journal", leave=False)

        def progress(done: int, total: int) -> None:
            if bar is not None:
                bar.total = total
                bar.n = done
                bar.refresh()

        result = verify_registry(progress)
        if bar is not None:
            bar.close()
        if result.ok:
            size = storage().size()
            checkpoints = len(storage().checkpoints())
            self.stdout.write(
                self.style.SUCCESS(
                    f"journal verified: {size} entries, {checkpoints} checkpoints, rows match"
                )
            )
            return
        failure = result.log.first_failure
        if failure is not None:
            raise CommandError(
                f"journal does not hold: {failure.kind} {failure.index}: {failure.check}: {failure.message}"
            )
        raise CommandError(f"journal does not hold: {result.rows[0]}")

    def _checkpoint(self, **options: Any) -> None:
        stored = publish_checkpoint()
        if stored is None:
            self.stdout.write("the log has not grown since the last checkpoint")
        else:
            self.stdout.write(stored.note)

    def _key(self, **options: Any) -> None:
        self.stdout.write(verifier().to_key())

    def _proof(self, index: int, entry_out: Path | None = None, **options: Any) -> None:
        latest = storage().latest_checkpoint()
        if latest is None or index >= latest.tree_size:
            raise CommandError(f"entry {index} is not yet covered by a published checkpoint")
        log = registry_log()
        if entry_out is not None:
            entry_out.write_bytes(log.entry(index))
        self.stdout.write(log.tlog_proof(index, latest.note), ending="")

    def _monitor(self, **options: Any) -> None:
        run_monitor(self, **options)

    def _check_proof(self, key: str, entry: Path, proof: Path, **options: Any) -> None:
        try:
            signed = verify_tlog_proof(
                proof.read_text(),
                entry.read_bytes(),
                [Verifier.from_key(key)],
                origin=settings.TUNDUK_JOURNAL_ORIGIN,
            )
        except (JournalError, ValueError) as error:
            raise CommandError(f"proof does not hold: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"entry is included in the checkpoint of size {signed.checkpoint.size} signed by {key.split('+')[0]}"
            )
        )
