"""``tunduk journal verify --gateway-config FILE``: audit one gateway's journal.

Runs under ``tunduk.settings.outside`` (see ``tunduk.__main__``): it reads the gateway's
configuration file, its public journal key, the signed configurations it kept and its
journal database, and needs nothing of central's. It reports in the auditor's language
(``--language ky|ru|en``, as the gateway's commands do).
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

from .words import say

__all__ = ["verify_gateway"]


def verify_gateway(
    command: BaseCommand,
    config_path: Path,
    *,
    no_progress: bool = False,
    journal_key: str | None = None,
    require_cosignatures: bool = False,
    journal: Path | None = None,
    language: str = "en",
    **options: Any,
) -> None:
    """Verify the gateway's journal; print a summary or raise :class:`CommandError`."""
    try:
        config = load_config(config_path)
    except (ConfigError, OSError) as error:
        reason = error.told(language) if isinstance(error, ConfigError) else str(error)
        raise CommandError(
            say(language, "cannot read %(path)s: %(reason)s", path=config_path, reason=reason)
        ) from error
    if journal is not None:
        if not journal.is_file():
            raise CommandError(say(language, "there is no archive at %(path)s", path=journal))
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
        raise CommandError(
            say(language, "journal cannot be verified: %(error)s", error=error)
        ) from error
    finally:
        if bar is not None:
            bar.close()
    if not audit.ok:
        failures = "; ".join(audit.all_failures())
        raise CommandError(say(language, "journal does not hold: %(failures)s", failures=failures))
    report = audit.log
    summary = say(
        language,
        "gateway journal of %(server)s verified: %(entries)s entries, %(checkpoints)s "
        "checkpoints (%(stamped)s time-stamped, %(cosigned)s peer cosignatures), %(bodies)s "
        "bodies match their commitments, %(erased)s erased",
        server=config.server,
        entries=report.tree_size,
        checkpoints=report.checkpoints_checked,
        stamped=report.timestamps_checked,
        cosigned=audit.cosignatures_checked,
        bodies=audit.bodies_checked,
        erased=audit.bodies_erased,
    )
    command.stdout.write(command.style.SUCCESS(summary))
