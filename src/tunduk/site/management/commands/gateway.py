"""``tunduk gateway …``: a thin shell over :func:`tunduk.gateway.cli.main` (no Django needed).

The gateway is not a Django program: this command only gives it a place in ``tunduk``;
``python -m tunduk gateway`` runs it with the outsiders' settings (no central database).
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run and administer this organisation's Tunduk gateway (init, install-certificate, serve, status)."
    requires_system_checks: list[str] = []  # a gateway host has no central database

    def run_from_argv(self, argv: list[str]) -> None:
        """Hand everything after ``gateway`` to the gateway's own parser."""
        from tunduk.gateway.cli import main

        sys.exit(main(argv[2:]))

    def handle(self, *args: Any, **options: Any) -> None:
        """``call_command("gateway", ...)`` passes its positional arguments through."""
        from tunduk.gateway.cli import main

        status = main([str(arg) for arg in args])
        if status:
            sys.exit(status)
