"""``tunduk journal verify --gateway-config FILE``: audit one gateway's journal.

Runs under ``tunduk.settings.outside`` (see ``tunduk.__main__``): it reads the gateway's
configuration file, its public journal key, the signed configurations it kept and its
journal database, and needs nothing of central's. The output is English (the gateway
speaks English, like its other commands).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from tunduk.gateway.archive import with_journal
from tunduk.gateway.config import ConfigError, load_config
from tunduk.gateway.journal_audit import verify_gateway_journal
from tunduk.journal import JournalError

__all__ = ["verify_gateway"]


def verify_gateway(
    command: BaseCommand,
    config_path: Path,
    *,
    no_progress: bool = False,
    journal_key: str | None = None,
    require_cosignatures: bool = False,
    journal: Path | None = None,
    **options: Any,
) -> None:
    """Verify the gateway's journal; print a summary or raise :class:`CommandError`."""
    try:
        config = load_config(config_path)
    except (ConfigError, OSError) as error:
        raise CommandError(f"cannot read {config_path}: {error}") from error
    if journal is not None:
        if not journal.is_file():
            raise CommandError(f"there is no archive at {journal}")
        config = with_journal(config, journal)
    bar = None if no_progress else tqdm(total=0, unit="leaf", desc="journal", leave=False)

    def progress(done: int, total: int) -> None:
        if bar is not None:
            bar.total, bar.n = total, done
            bar.refresh()

    try:
        audit = verify_gateway_journal(
            config,
            journal_key=journal_key,
            require_cosignature=require_cosignatures,
            progress=progress,
        )
    except JournalError as error:
        raise CommandError(f"journal cannot be verified: {error}") from error
    finally:
        if bar is not None:
            bar.close()
    if not audit.ok:
        raise CommandError("journal does not hold: " + "; ".join(audit.all_failures()))
    report = audit.log
    command.stdout.write(
        command.style.SUCCESS(
            f"gateway journal of {config.server} verified: {report.tree_size} entries, "
            f"{report.checkpoints_checked} checkpoints ({report.timestamps_checked} time-stamped, "
            f"{audit.cosignatures_checked} peer cosignatures), {audit.bodies_checked} bodies "
            f"match their commitments, {audit.bodies_erased} erased"
        )
    )
