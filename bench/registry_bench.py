"""Registry page latency with 100,000 elements, on SQLite and PostgreSQL.

Prints p50/p95 of the public list, filtered searches (Latin, and Cyrillic in another case
with ``ё``) and an element's page with its history, each also as a ratio to a bare
request through the same stack (a 404), measured in the same run. The searches are also
measured through the old path (``icontains`` over five columns, before docs/search.md)
and their p95 printed as a ratio to it. Target: p95 of a search at most 50 ms.
Run: ``.venv/bin/python bench/registry_bench.py [--elements N]``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/tunduk_bench")


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]


def _seed(count: int) -> None:
    """Bulk-insert ``count`` registered elements with two versions each (bench data only)."""
    from django.utils import timezone

    from tunduk.accounts.choices import Role
    from tunduk.accounts.models import User
    from tunduk.core.search import searchable
    from tunduk.registry.choices import ElementStatus, ElementType, SubjectKind
    from tunduk.registry.models import Element, ElementVersion, Subject

    subjects = Subject.objects.bulk_create(
        Subject(
            name=f"Бенч мекемеси {i}",
            name_ru=f"Bench body {i}",
            short_name=f"BB{i}",
            kind=SubjectKind.STATE_BODY,
            address="Bishkek",
        )
        for i in range(200)
    )
    author = User.objects.create_user("bench@gov.kg", role=Role.OPERATOR)
    types = list(ElementType.values)
    now = timezone.now()
    batch = 5000
    for start in range(0, count, batch):
        elements = Element.objects.bulk_create(
            Element(
                search_text=searchable(
                    f"Information system number {i}", f"Информационная система номер {i}", f"IS{i}"
                ),
                subject=subjects[i % len(subjects)],
                created_by=author,
                status=ElementStatus.REGISTERED if i % 10 else ElementStatus.DECOMMISSIONED,
                registration_code=f"IS-2026-{i:06d}",
                full_name=f"Information system number {i}",
                full_name_ru=f"Информационная система номер {i}",
                short_name=f"IS{i}",
                element_type=types[i % 4],
                purpose="Bench purpose",
                registered_at=now,
                version_number=2,
            )
            for i in range(start, min(start + batch, count))
        )
        ElementVersion.objects.bulk_create(
            ElementVersion(
                element=element,
                number=number,
                status=ElementStatus.REGISTERED,
                event="registry:element:updated",
                actor=author,
                snapshot={"full_name": element.full_name, "user_count": number},
                changes={"user_count": {"old": number - 1, "new": number}},
            )
            for element in elements
            for number in (1, 2)
        )


def _analyze() -> None:
    """Refresh the planner's statistics, as autovacuum (or SQLite's ANALYZE) would in production."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


SEARCHES = ("filtered search", "Cyrillic search")


def _old_search(self: Any, queryset: Any, text: str) -> Any:
    """The search before docs/search.md: ``icontains`` over five columns and a join."""
    from django.db.models import Q

    fields = (
        "full_name",
        "short_name",
        "registration_code",
        "subject__name",
        "subject__short_name",
    )
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": text.strip()})
    return queryset.filter(condition)


def _measure_old(rounds: int) -> dict[str, list[float]]:
    """The searches again, through the old path (the bench's own copy of it)."""
    from tunduk.registry.filters import ElementFilter

    new_search = ElementFilter.search
    ElementFilter.search = _old_search  # type: ignore[method-assign]
    try:
        return _measure(rounds, only=SEARCHES)
    finally:
        ElementFilter.search = new_search  # type: ignore[method-assign]


def _measure(rounds: int, only: tuple[str, ...] = ()) -> dict[str, list[float]]:
    from django.test import Client

    from tunduk.registry.models import Element

    # Production settings redirect plain HTTP; the bench stands behind the TLS proxy.
    client = Client(headers={"X-Forwarded-Proto": "https"})
    last = Element.objects.order_by("-pk").values_list("pk", flat=True).first()
    targets = {
        "bare request (404)": lambda i: "/no-such-page/",
        "public list": lambda i: f"/elements/?page={1 + i % 20}",
        "filtered search": lambda i: f"/elements/?q=number+{1000 + i}&type=software",
        # Another case and ``ё`` where the name has ``е``: the old path finds nothing here.
        "Cyrillic search": lambda i: f"/elements/?q=СИСТЁМА+НОМЕР+{1000 + i}&type=software",
        "element page": lambda i: f"/elements/{last - i}/",
        "element history": lambda i: f"/elements/{last - i}/history/",
    }
    if only:
        targets = {name: url for name, url in targets.items() if name in only}
    results: dict[str, list[float]] = {name: [] for name in targets}
    for name, url in targets.items():
        client.get(url(0))  # warm caches and connections
        for i in range(rounds):
            began = time.perf_counter()
            response = client.get(url(i))
            results[name].append(time.perf_counter() - began)
            if name != "bare request (404)" and response.status_code != 200:
                raise SystemExit(f"{name}: {url(i)} answered {response.status_code}")
    return results


def _child(count: int, rounds: int) -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("trust", "init", stdout=io.StringIO())
    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    _seed(count)
    _analyze()
    seeded = time.perf_counter() - began
    samples, old = _measure(rounds), _measure_old(rounds)
    print(json.dumps({"seed_seconds": seeded, "samples": samples, "old": old}))


def _run_engine(label: str, database_url: str, count: int, rounds: int, data_dir: str) -> dict:
    # Production refuses to start without a TSA; the bench signs no checkpoint, so an
    # unreachable loopback address and a placeholder anchor file satisfy the start-up check.
    tsa_root = Path(data_dir, f"{label}-tsa-root.pem")
    tsa_root.write_text("-----BEGIN CERTIFICATE-----\n")
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "TUNDUK_DATA_DIR": f"{data_dir}/{label}",
        "DJANGO_SETTINGS_MODULE": "tunduk.settings.base",
        "TUNDUK_DEBUG": "false",
        "TUNDUK_SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdef",
        "TUNDUK_ALLOWED_HOSTS": "testserver",
        "TUNDUK_SITE_URL": "https://testserver",
        "TUNDUK_TSA_URL": "http://127.0.0.1:9/tsr",
        "TUNDUK_TSA_ROOTS": str(tsa_root),
    }
    out = subprocess.run(
        [sys.executable, __file__, "--child", "--elements", str(count), "--rounds", str(rounds)],
        env=env,
        check=False,
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        raise SystemExit(f"{label} run failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _recreate_pg() -> None:
    import psycopg

    admin_url = PG_URL.rsplit("/", 1)[0] + "/postgres"
    name = PG_URL.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--elements", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="10,000 elements, 20 rounds")
    args = parser.parse_args()
    if args.quick:
        args.elements, args.rounds = 10_000, 20
    sys.path.insert(0, str(ROOT / "src"))
    if args.child:
        _child(args.elements, args.rounds)
        return
    with tempfile.TemporaryDirectory() as tmp:
        engines = {"SQLite": f"sqlite:///{tmp}/bench.sqlite3"}
        _recreate_pg()
        engines["PostgreSQL"] = PG_URL
        print(f"Registry pages with {args.elements:,} elements, {args.rounds} requests each")
        for label, url in engines.items():
            result = _run_engine(label, url, args.elements, args.rounds, tmp)
            samples = result["samples"]
            base_p50, _ = _percentiles(samples["bare request (404)"])
            print(f"\n{label} (seeded in {result['seed_seconds']:.1f} s)")
            print(f"  {'page':<20} {'p50 ms':>8} {'p95 ms':>8} {'p50 / bare':>11}")
            for name, values in samples.items():
                p50, p95 = _percentiles(values)
                print(f"  {name:<20} {p50 * 1000:8.2f} {p95 * 1000:8.2f} {p50 / base_p50:11.1f}x")
            print(f"  {'search, old path':<20} {'p95 ms':>8} {'new p95':>8} {'new / old':>11}")
            for name, values in result["old"].items():
                _, old_p95 = _percentiles(values)
                _, new_p95 = _percentiles(samples[name])
                print(
                    f"  {name:<20} {old_p95 * 1000:8.2f} {new_p95 * 1000:8.2f} "
                    f"{new_p95 / old_p95:10.2f}x"
                )


if __name__ == "__main__":
    main()
