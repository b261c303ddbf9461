"""Concurrent appends on PostgreSQL form one gap-free, duplicate-free sequence."""

from __future__ import annotations

import threading

import psycopg

from tunduk.journal import Log, PostgresStorage, generate_signer, verify_log

THREADS = 6
BATCHES = 15


def test_concurrent_writers_on_postgres(pg_dsn: str) -> None:
    """Several connections appending at once get distinct contiguous indices; the log verifies."""
    results: dict[bytes, int] = {}
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def writer(n: int) -> None:
        try:
            with psycopg.connect(pg_dsn) as conn:
                log = Log(PostgresStorage(conn))
                start.wait()
                for b in range(BATCHES):
                    batch = [b"w%d-b%d-%d" % (n, b, i) for i in range(1 + (n + b) % 4)]
                    if b % 3 == 0:
                        first = log.append(batch[0])
                        batch = batch[:1]
                    else:
                        first = log.append_many(batch)
                    conn.commit()
                    with lock:
                        results.update({e: first + i for i, e in enumerate(batch)})
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    indices = sorted(results.values())
    assert indices == list(range(len(results)))
    with psycopg.connect(pg_dsn) as conn:
        storage = PostgresStorage(conn)
        assert storage.size() == len(results)
        for entry, index in list(results.items())[:50]:
            assert storage.get_entry(index) == entry
        report = verify_log(storage, [generate_signer("x").verifier()])
        assert report.ok, report.failures
