"""The ``tunduk`` command: Django's management commands for the tunduk project."""

from __future__ import annotations

import os
import sys


def main() -> None:
    """Run a management command (``tunduk migrate``, ``tunduk journal verify`` …)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tunduk.settings.base")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
