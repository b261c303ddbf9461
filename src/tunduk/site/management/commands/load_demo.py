"""``tunduk load_demo``: load the demo registry once and print how to sign in."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation

from tunduk.catalog.configuration import publish_configuration
from tunduk.journaling.checkpoints import publish_checkpoint
from tunduk.registry.demo import DEMO_PASSWORD, load_demo
from tunduk.registry.demo.catalogue import EMPLOYEES, SUBJECTS
from tunduk.registry.demo.loader import STAFF
from tunduk.registry.models import Subject
from tunduk.site.catalog_demo import TUNDUK_OPERATOR, load_catalog_demo


class Command(BaseCommand):
    help = "Load demo subjects, users and elements in every state (skipped if data exists)."

    def handle(self, *args: Any, **options: Any) -> None:
        loaded = load_demo()
        # The catalogue is written in Russian; the Kyrgyz name is its translation.
        subjects = {row[0]: Subject.objects.get(name_ru=row[1]) for row in SUBJECTS}
        if load_catalog_demo(subjects) or loaded:
            publish_configuration(force=True)
            publish_checkpoint()
            self.stdout.write(
                self.style.SUCCESS(
                    "Demo data loaded; global configuration and journal checkpoint signed."
                )
            )
        else:
            self.stdout.write("Demo data already present; nothing loaded.")
        # The console speaks one language, English, like the rest of the command's output
        # (the role labels would otherwise follow the site's default language).
        with translation.override("en"):
            self.print_accounts()

    def print_accounts(self) -> None:
        """Every demo account, its role and the password."""
        self.stdout.write(f"\nDemo sign-in (password for every account: {DEMO_PASSWORD})")
        for login, name, _position, role in STAFF:
            self.stdout.write(f"  {role.label:<35} {login}  ({name})")
        login, name, _position = TUNDUK_OPERATOR
        self.stdout.write(f"  {'Tunduk operator':<35} {login}  ({name})")
        for key, login, name, _position in EMPLOYEES[:4]:
            self.stdout.write(f"  {'Subject employee (' + key + ')':<35} {login}  ({name})")
        self.stdout.write(f"  … and {len(EMPLOYEES) - 4} more subject employees (see the admin).")
