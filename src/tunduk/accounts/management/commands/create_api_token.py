"""``tunduk create_api_token <username> [--name NAME]``: issue an API token and print it once."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tunduk.accounts.tokens import ApiToken


class Command(BaseCommand):
    help = "Create an API token for a user and print it; only its hash is stored."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="The user the token acts as.")
        parser.add_argument("--name", default="", help="What the token is for.")

    def handle(self, *args: Any, username: str, name: str, **options: Any) -> None:
        user_model = get_user_model()
        try:
            user = user_model.objects.get(username=username)
        except user_model.DoesNotExist:
            raise CommandError(
                _("There is no user “%(username)s”.") % {"username": username}
            ) from None
        if not user.is_active:
            raise CommandError(_("The user “%(username)s” is inactive.") % {"username": username})
        _token, raw = ApiToken.issue(user, name=name)
        # Only the token goes to stdout so scripts can capture it; the warning goes to stderr.
        self.stdout.write(raw)
        self.stderr.write(_("Store this token now: it cannot be shown again."))
