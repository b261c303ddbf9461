"""Journal benchmark: appends per second (memory, SQLite, PostgreSQL; single and
batched) and inclusion proofs made and verified per second on a 1,000,000-leaf log.

Every figure is also printed as a ratio to the bare ``hashlib`` RFC 6962 node-hash
rate measured in the same run, so results compare across machines.

    .venv/bin/python bench/journal_bench.py [--quick] [--no-pg]

PostgreSQL: 127.0.0.1:5432 as ``postgres`` (or ``TUNDUK_PG_DSN``); a throwaway
database is created and dropped.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import secrets
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tunduk.journal import (
    Log,
    MemoryStorage,
    PostgresStorage,
    SQLiteStorage,
    create_schema,
    leaf_hash,
    verify_inclusion,
)

PG_DSN = os.environ.get("TUNDUK_PG_DSN", "host=127.0.0.1 port=5432 user=postgres dbname=postgres")


def rate(count: int, fn: Callable[[], None]) -> float:
    """Run ``fn`` once and return ``count`` per elapsed second."""
    start = time.perf_counter()
    fn()
    return count / (time.perf_counter() - start)


def bare_node_hash_rate(n: int) -> float:
    """The reference: SHA-256(0x01 ‖ l ‖ r) with hashlib in a plain loop."""
    sha = hashlib.sha256
    a, b = b"a" * 32, b"b" * 32

    def run() -> None:
        for _ in range(n):
            sha(b"\x01" + a + b).digest()

    return max(rate(n, run) for _ in range(3))


def entries(n: int, tag: str) -> list[bytes]:
    """Entries of about 100 bytes, like a small journal record."""
    return [b"%s %08d " % (tag.encode(), i) + b"x" * 84 for i in range(n)]


def bench_appends(
    log_factory: Callable[[], tuple[Log, Callable[[], None]]], single: int, batched: int, batch: int
) -> tuple[float, float]:
    """Return (single appends/s with a commit each, batched appends/s)."""
    log, commit = log_factory()
    one = entries(single, "s")

    def run_single() -> None:
        for e in one:
            log.append(e)
            commit()

    many = entries(batched, "b")

    def run_batched() -> None:
        for i in range(0, batched, batch):
            log.append_many(many[i : i + batch])
            commit()

    return rate(single, run_single), rate(batched, run_batched)


def memory_factory() -> tuple[Log, Callable[[], None]]:
    """A log in memory; nothing to commit."""
    return Log(MemoryStorage()), lambda: None


def sqlite_factory(folder: Path) -> Callable[[], tuple[Log, Callable[[], None]]]:
    """A log in a WAL SQLite file, committed after each append call."""

    def make() -> tuple[Log, Callable[[], None]]:
        conn = sqlite3.connect(folder / f"j{secrets.token_hex(4)}.sqlite3")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        create_schema(conn)
        conn.commit()
        return Log(SQLiteStorage(conn)), conn.commit

    return make


def pg_factory(dsn: str) -> Callable[[], tuple[Log, Callable[[], None]]]:
    """A log in PostgreSQL, committed after each append call."""
    import psycopg

    def make() -> tuple[Log, Callable[[], None]]:
        conn = psycopg.connect(dsn)
        schema = f"b_{secrets.token_hex(4)}"
        conn.execute(f"CREATE SCHEMA {schema}")
        conn.execute(f"SET search_path TO {schema}")
        create_schema(conn)
        conn.commit()
        return Log(PostgresStorage(conn)), conn.commit

    return make


def bench_proofs(size: int, count: int) -> tuple[float, float, float]:
    """Build a log of ``size`` leaves; return (build/s, proofs made/s, proofs verified/s)."""
    log = Log(MemoryStorage())
    data = entries(size, "p")

    def fill() -> None:
        for i in range(0, size, 10_000):
            log.append_many(data[i : i + 10_000])

    build = rate(size, fill)
    root = log.root()
    rng = random.Random(1)
    indices = [rng.randrange(size) for _ in range(count)]
    proofs: list[list[bytes]] = []

    def make() -> None:
        for i in indices:
            proofs.append(log.inclusion_proof(i, size))

    made = rate(count, make)
    hashes = [leaf_hash(data[i]) for i in indices]

    def check() -> None:
        for i, h, p in zip(indices, hashes, proofs, strict=True):
            verify_inclusion(h, i, size, p, root)

    verified = max(rate(count, check) for _ in range(3))
    return build, made, verified


def with_pg_database(fn: Callable[[str], Any]) -> Any:
    """Run ``fn(dsn)`` on a throwaway database, dropped afterwards."""
    import psycopg

    name = f"journal_bench_{secrets.token_hex(4)}"
    with psycopg.connect(PG_DSN, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        return fn(psycopg.conninfo.make_conninfo(PG_DSN, dbname=name))
    finally:
        with psycopg.connect(PG_DSN, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def main() -> None:
    """Run the benchmark and print one line per figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller run (100,000-leaf log)")
    parser.add_argument("--no-pg", action="store_true", help="skip PostgreSQL")
    args = parser.parse_args()
    q = args.quick
    tree = 100_000 if q else 1_000_000
    ref = bare_node_hash_rate(200_000 if q else 1_000_000)
    rows: list[tuple[str, float]] = []

    rows += zip(
        ("memory: appends/s, single", "memory: appends/s, batched (1000)"),
        bench_appends(memory_factory, 20_000 if q else 100_000, 100_000 if q else 500_000, 1000),
        strict=True,
    )
    with tempfile.TemporaryDirectory() as tmp:
        rows += zip(
            ("SQLite: appends/s, single + commit", "SQLite: appends/s, batched (1000) + commit"),
            bench_appends(
                sqlite_factory(Path(tmp)), 1_000 if q else 5_000, 20_000 if q else 100_000, 1000
            ),
            strict=True,
        )
    if not args.no_pg:
        try:
            pg = with_pg_database(
                lambda dsn: bench_appends(
                    pg_factory(dsn), 300 if q else 2_000, 20_000 if q else 100_000, 1000
                )
            )
            rows += zip(
                (
                    "PostgreSQL: appends/s, single + commit",
                    "PostgreSQL: appends/s, batched (1000) + commit",
                ),
                pg,
                strict=True,
            )
        except Exception as exc:  # report and carry on: PG is optional for a local run
            print(f"PostgreSQL skipped: {exc}")
    build, made, verified = bench_proofs(tree, 20_000 if q else 100_000)
    rows += [
        (f"memory: build {tree:,}-leaf log, leaves/s", build),
        (f"inclusion proofs generated/s ({tree:,} leaves)", made),
        (f"inclusion proofs verified/s ({tree:,} leaves)", verified),
    ]

    print(f"reference: bare hashlib RFC 6962 node hashes/s: {ref:,.0f}")
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value:>12,.0f}   ratio to node-hash rate {value / ref:.4f}")
    batched = dict(rows)["memory: appends/s, batched (1000)"]
    print(
        f"target batched memory appends >= 100,000/s: {'met' if batched >= 100_000 else 'NOT met'}"
    )
    print(f"target proof verifications >= 50,000/s: {'met' if verified >= 50_000 else 'NOT met'}")


if __name__ == "__main__":
    main()
