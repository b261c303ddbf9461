"""Ids the gateway makes (request ids, message ids a client did not send, error details)."""

from __future__ import annotations

import uuid

from tunduk.gateway._proxying import new_id, rfc3339


def test_new_ids_are_distinct_random_uuid4_in_canonical_form() -> None:
    ids = {new_id() for _ in range(2000)}
    assert len(ids) == 2000
    for value in ids:
        parsed = uuid.UUID(value)
        assert (parsed.version, parsed.variant) == (4, uuid.RFC_4122)
        assert str(parsed) == value


def test_receive_times_are_rfc3339_utc_with_microseconds() -> None:
    from datetime import UTC, datetime

    before = datetime.now(UTC)
    stamp = rfc3339()
    after = datetime.now(UTC)
    parsed = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    assert before <= parsed <= after
    assert rfc3339(datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC)) == "2026-01-02T03:04:05.000006Z"


def test_pooled_random_bytes_are_never_handed_out_twice() -> None:
    """Salts and ids come from 4 KiB kernel draws, sliced: across several refills no two
    values repeat (a slice handed out twice would make two salts equal)."""
    from tunduk.gateway._random import random_bytes

    values = [random_bytes(32) for _ in range(1000)]  # about 8 refills
    assert len(set(values)) == 1000
    assert all(len(value) == 32 for value in values)


def test_random_bytes_refuses_sizes_outside_the_pool() -> None:
    import pytest

    from tunduk.gateway._random import random_bytes

    for size in (0, -1, 4097):
        with pytest.raises(ValueError, match="1 to 4096"):
            random_bytes(size)


def test_a_forked_child_does_not_reuse_the_parents_pooled_bytes() -> None:
    """After fork() the child draws afresh: it must not hand out the bytes the parent will."""
    import os

    from tunduk.gateway._random import random_bytes

    random_bytes(16)  # the parent's pool now holds unread bytes
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read)
        os.write(write, random_bytes(64))
        os._exit(0)
    os.close(write)
    child = os.read(read, 64)
    os.close(read)
    os.waitpid(pid, 0)
    assert len(child) == 64
    assert child != random_bytes(64)
