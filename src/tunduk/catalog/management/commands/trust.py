"""``tunduk trust init``: create the central server's keys explicitly, before the first start.

Creates what is missing of: the CA issuing participants' certificates, the self-signed
global-configuration signer (a separate key, never issued by that CA) and the journal's
signing key. Key files are owner-only from their first byte; existing keys are kept.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tunduk.catalog.trust import (
    ca_files,
    create_central_ca,
    create_configuration_signer,
    signer_files,
)
from tunduk.journaling.keys import create_signer_file


class Command(BaseCommand):
    help = "Create the keys the central server signs with (trust init)."
    # The start-up checks fail exactly when keys are missing, which is when this runs.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("init", help="Create the keys that do not exist yet; keep the others.")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        ca, signer = ca_files(), signer_files()
        self._create([ca.key, ca.certificate], create_central_ca)
        self._create([signer.key, signer.certificate], create_configuration_signer)
        if settings.TUNDUK_JOURNAL_SIGNING_KEY:
            self.stdout.write(_("The journal signs with TUNDUK_JOURNAL_SIGNING_KEY."))
        else:
            self._create([Path(settings.TUNDUK_JOURNAL_KEY_FILE)], create_signer_file)
        self.stdout.write(
            _("Gateways trust the configuration signer through the anchor %(url)s.")
            % {"url": f"{settings.SITE_URL}/globalconf/anchor.json"}
        )

    def _create(self, paths: list[Path], create: Callable[[], object]) -> None:
        """Create the files with ``create`` when none exists; keep them when all exist."""
        present = [path for path in paths if path.exists()]
        if len(present) == len(paths):
            for path in paths:
                self.stdout.write(_("Kept %(path)s (it already exists).") % {"path": path})
            return
        if present:
            raise CommandError(
                _(
                    "%(present)s exists but %(missing)s does not. Restore the missing file, or"
                    " move the other aside, and run the command again."
                )
                % {
                    "present": ", ".join(map(str, present)),
                    "missing": ", ".join(str(p) for p in paths if p not in present),
                }
            )
        create()
        for path in paths:
            self.stdout.write(_("Created %(path)s.") % {"path": path})
