"""``tunduk journal …``: verify the Registry's journal, publish a checkpoint, export or check proofs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from tunduk.journal import JournalError, Verifier, verify_tlog_proof
from tunduk.journaling.checkpoint_checks import TrustedCheckpoint
from tunduk.journaling.checkpoints import publish_checkpoint
from tunduk.journaling.gateway_journal import verify_gateway
from tunduk.journaling.keys import verifier
from tunduk.journaling.log import registry_log, storage
from tunduk.journaling.monitoring import add_monitor_arguments, run_monitor
from tunduk.journaling.verification import RegistryVerifyResult, verify_registry
from tunduk.journaling.words import LANGUAGES, say

# Sub-commands that use only the journal's public URLs and files (tunduk.settings.outside).
OUTSIDE_ACTIONS = frozenset({"monitor", "check-proof"})


def _read_trusted(path: Path, language: str) -> TrustedCheckpoint:
    try:
        return TrustedCheckpoint(str(path), path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(
            say(
                language,
                "cannot read the trusted checkpoint %(path)s: %(error)s",
                path=path,
                error=error,
            )
        ) from error


def _witness(key: str, language: str) -> Verifier:
    try:
        return Verifier.from_key(key)
    except JournalError as error:
        raise CommandError(
            say(
                language,
                "--witness-key %(key)s is not a verifier key: %(error)s",
                key=repr(key),
                error=error,
            )
        ) from error


def _progress(bar: tqdm[Any] | None) -> Callable[[int, int], None]:
    def progress(done: int, total: int) -> None:
        if bar is not None:
            bar.total = total
            bar.n = done
            bar.refresh()

    return progress


def _failures(result: RegistryVerifyResult) -> str:
    """Every way the journal fails: the log's first bad entry, each checkpoint check, the
    first row that differs (an auditor wants all of them, not just the first)."""
    found: list[str] = []
    failure = result.log.first_failure
    if failure is not None:
        found.append(f"{failure.kind} {failure.index}: {failure.check}: {failure.message}")
    found += result.checkpoints.failures
    if result.rows:
        found.append(str(result.rows[0]))
    return "; ".join(found)


class Command(BaseCommand):
    help = "Verify the Registry's journal, publish a checkpoint, export or check an entry's proof."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        verify = actions.add_parser("verify", help="re-read the whole log and the rows it covers")
        verify.add_argument("--no-progress", action="store_true", help="no progress bar")
        verify.add_argument(
            "--trusted-checkpoint",
            type=Path,
            action="append",
            default=[],
            metavar="FILE",
            help="a signed checkpoint kept outside the database; the log must be consistent with it",
        )
        verify.add_argument(
            "--witness-key",
            action="append",
            default=[],
            metavar="VKEY",
            help="a witness's verifier key; each trusted checkpoint must carry its cosignature",
        )
        verify.add_argument(
            "--gateway-config",
            type=Path,
            metavar="FILE",
            help="verify the journal of the gateway this configuration file describes "
            "(no central database needed)",
        )
        verify.add_argument(
            "--journal",
            type=Path,
            metavar="ARCHIVE",
            help="with --gateway-config: verify this archived copy (tunduk gateway archive) "
            "instead of the live journal",
        )
        verify.add_argument(
            "--journal-key",
            metavar="VKEY",
            help="with --gateway-config: the gateway's published journal verifier key "
            "(default: journal.vkey in its keys directory)",
        )
        verify.add_argument(
            "--require-cosignatures",
            action="store_true",
            help="with --gateway-config: every checkpoint after the first must be peer-cosigned",
        )
        verify.add_argument(
            "--max-checkpoint-age",
            type=int,
            metavar="SECONDS",
            help="fail when the newest checkpoint is older while later entries exist "
            "(default: TUNDUK_JOURNAL_CHECKPOINT_INTERVAL)",
        )
        verify.add_argument(
            "--language",
            choices=LANGUAGES,
            default="en",
            help="the language it reports in: ky (Kyrgyz), ru (Russian) or en (English, the "
            "default); the details of a failed check stay English",
        )
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

    def execute(self, *args: Any, **options: Any) -> str | None:
        # Checking central's keys and TSA means nothing to someone monitoring from outside,
        # nor to a gateway's auditor.
        if options.get("action") in OUTSIDE_ACTIONS or options.get("gateway_config"):
            options["skip_checks"] = True
        return super().execute(*args, **options)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, "_" + action.replace("-", "_"))(**options)

    def _verify(
        self,
        no_progress: bool = False,
        trusted_checkpoint: list[Path] | None = None,
        witness_key: list[str] | None = None,
        max_checkpoint_age: int | None = None,
        gateway_config: Path | None = None,
        language: str = "en",
        **options: Any,
    ) -> None:
        if gateway_config is not None:
            verify_gateway(
                self, gateway_config, no_progress=no_progress, language=language, **options
            )
            return
        trusted = [_read_trusted(path, language) for path in trusted_checkpoint or []]
        witnesses = [_witness(key, language) for key in witness_key or []]
        if max_checkpoint_age is not None and max_checkpoint_age < 0:
            raise CommandError(say(language, "--max-checkpoint-age must not be negative"))
        bar = None if no_progress else tqdm(total=0, unit="leaf", desc="journal", leave=False)
        result = verify_registry(
            _progress(bar),
            trusted=trusted,
            witnesses=witnesses,
            max_checkpoint_age=None
            if max_checkpoint_age is None
            else timedelta(seconds=max_checkpoint_age),
        )
        if bar is not None:
            bar.close()
        for line in result.checkpoints.checked:
            self.stdout.write(say(language, "checked against %(checkpoint)s", checkpoint=line))
        if result.ok:
            summary = say(
                language,
                "journal verified: %(entries)s entries, %(checkpoints)s checkpoints, rows match",
                entries=storage().size(),
                checkpoints=len(storage().checkpoints()),
            )
            self.stdout.write(self.style.SUCCESS(summary))
            return
        raise CommandError(
            say(language, "journal does not hold: %(failures)s", failures=_failures(result))
        )

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
