"""``tunduk send_reminders``: send the overdue-deadline reminders now (the daily job by hand)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tunduk.registry.tasks import send_overdue_reminders


class Command(BaseCommand):
    help = "E-mail operators and the authorised body about steps past their deadline."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", help="Count overdue items as of this day (YYYY-MM-DD); default today."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(f"--date must be YYYY-MM-DD, got {options['date']!r}") from error
        sent = send_overdue_reminders(today)
        self.stdout.write(self.style.SUCCESS(f"{sent} reminder e-mail(s) sent."))
