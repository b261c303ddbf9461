"""``tunduk evidence …``: a thin shell over :func:`tunduk.gateway.evidence.cli` (no Django needed).

``export`` reads a gateway's own file, keys and journal; ``verify`` reads one evidence file
and the configuration anchor. Neither touches a Django database: ``python -m tunduk
evidence`` runs with the outsiders' settings (``tunduk.settings.outside``).
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Export one message's evidence from a gateway, or verify an evidence file offline."
    requires_system_checks: list[str] = []  # an auditor's machine has no database

    def run_from_argv(self, argv: list[str]) -> None:
        """Hand everything after ``evidence`` to the evidence tool's own parser."""
        from tunduk.gateway.evidence import cli

        sys.exit(cli(argv[2:]))

    def handle(self, *args: Any, **options: Any) -> None:
        """``call_command("evidence", ...)`` passes its positional arguments through."""
        from tunduk.gateway.evidence import cli

        status = cli([str(arg) for arg in args])
        if status:
            sys.exit(status)
