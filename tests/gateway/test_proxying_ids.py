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
