"""``tunduk load_demo``: load the demo registry once and print how to sign in."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tunduk.journaling.checkpoints import publish_checkpoint
from tunduk.registry.demo import DEMO_PASSWORD, load_demo
from tunduk.registry.demo.catalogue import EMPLOYEES
from tunduk.registry.demo.loader import STAFF


class Command(BaseCommand):
    help = "Load demo subjects, users and elements in every state (skipped if data exists)."

    def handle(self, *args: Any, **options: Any) -> None:
        if load_demo():
            publish_checkpoint()
            self.stdout.write(self.style.SUCCESS("Demo data loaded; journal checkpoint signed."))
        else:
            self.stdout.write("Demo data already present; nothing loaded.")
        self.stdout.write(f"\nDemo sign-in (password for every account: {DEMO_PASSWORD})")
        for login, name, _position, role in STAFF:
            self.stdout.write(f"  {role.label:<35} {login}  ({name})")
        for key, login, name, _position in EMPLOYEES[:4]:
            self.stdout.write(f"  {'Subject employee (' + key + ')':<35} {login}  ({name})")
        self.stdout.write(f"  … and {len(EMPLOYEES) - 4} more subject employees (see the admin).")
