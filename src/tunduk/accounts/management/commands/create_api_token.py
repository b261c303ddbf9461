"""``tunduk create_api_token <username> [--name NAME] [--expires-in-days N] [--read-only]``.

Issues an API token and prints it once.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from tunduk.accounts.tokens import ApiToken


class Command(BaseCommand):
    help = "Create an API token for a user and print it; only its hash is stored."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="The user the token acts as.")
        parser.add_argument("--name", default="", help="What the token is for.")
        parser.add_argument(
            "--expires-in-days",
            type=int,
            default=None,
            help="The token stops working this many days from now (default: never).",
        )
        parser.add_argument(
            "--read-only", action="store_true", help="The token may read but not write."
        )

    def handle(
        self,
        *args: Any,
        username: str,
        name: str,
        expires_in_days: int | None,
        read_only: bool,
        **options: Any,
    ) -> None:
        user_model = get_user_model()
        try:
            user = user_model.objects.get(username=username)
        except user_model.DoesNotExist:
            raise CommandError(
                _("There is no user “%(username)s”.") % {"username": username}
            ) from None
        if not user.is_active:
            raise CommandError(_("The user “%(username)s” is inactive.") % {"username": username})
        if expires_in_days is not None and expires_in_days < 1:
            raise CommandError(_("--expires-in-days must be at least 1."))
        expires_at = timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None
        _token, raw = ApiToken.issue(user, name=name, expires_at=expires_at, read_only=read_only)
        # Only the token goes to stdout so scripts can capture it; the warning goes to stderr.
        self.stdout.write(raw)
        self.stderr.write(_("Store this token now: it cannot be shown again."))
