"""``tunduk exchange_prepare``: a gateway directory per active demo participant (make exchange)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tunduk.site.exchange.prepare import prepare_exchange


class Command(BaseCommand):
    help = (
        "Create keys, certificates (through the Catalog) and gateway.toml for every active"
        " participant under DIR/<member code>/, the anchor and DIR/exchange.json."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", type=Path, default=Path("var/exchange"), help="var/exchange")
        parser.add_argument("--central-url", default="http://127.0.0.1:8000")
        parser.add_argument("--tsa-url", default="http://127.0.0.1:8318/")
        parser.add_argument(
            "--any-ports",
            action="store_true",
            help="let the OS choose every port (the social fund's 8080 included)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        plan = prepare_exchange(
            options["dir"],
            central_url=options["central_url"],
            tsa_url=options["tsa_url"],
            fixed_ports=not options["any_ports"],
        )
        self.stdout.write(f"Gateways prepared under {plan.directory}:")
        for gateway in plan.gateways:
            self.stdout.write(
                f"  {gateway.member:<18} client http://127.0.0.1:{gateway.client_port}"
                f"  server 127.0.0.1:{gateway.server_port}  {gateway.config}"
            )
        for backend in plan.backends:
            self.stdout.write(f"  backend {backend.name:<30} http://127.0.0.1:{backend.port}/")
