"""The ``tunduk`` command: Django's management commands for the tunduk project."""

from __future__ import annotations

import os
import sys

# Commands that work from the journal's public URLs and files alone, run by anyone outside
# the operator: they must not need central's secrets, keys or database.
OUTSIDE_COMMANDS = (
    ("witness",),
    ("journal", "monitor"),
    ("journal", "check-proof"),
    # Each organisation's gateway: its own file, keys and journal, nothing of central's.
    ("gateway",),
    # Evidence: exported from a gateway's own journal, verified with the anchor alone.
    ("evidence",),
)


def settings_module(argv: list[str]) -> str:
    """The settings for ``argv`` when none is chosen: the outsiders' tools need no server."""
    words = tuple(argv[1:3])
    if any(words[: len(command)] == command for command in OUTSIDE_COMMANDS):
        return "tunduk.settings.outside"
    # `journal verify --gateway-config FILE` audits one gateway's journal from its own files.
    if words == ("journal", "verify") and any(
        arg.split("=", 1)[0] == "--gateway-config" for arg in argv[3:]
    ):
        return "tunduk.settings.outside"
    return "tunduk.settings.base"


def main() -> None:
    """Run a management command (``tunduk migrate``, ``tunduk journal verify`` …)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module(sys.argv))
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
