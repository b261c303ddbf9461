"""The Registry's log on Django's own database connection."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection, models

from tunduk.core.actors import Actor
from tunduk.journal import Log, PostgresStorage, SQLiteStorage, Storage
from tunduk.journaling.entries import encode_entry


def storage() -> Storage:
    """A journal storage over the raw connection beneath Django's (same transaction)."""
    connection.ensure_connection()
    raw = connection.connection
    if connection.vendor == "postgresql":
        return PostgresStorage(raw)
    return SQLiteStorage(raw)


def registry_log() -> Log:
    """The Registry's Merkle log."""
    return Log(storage(), origin=settings.TUNDUK_JOURNAL_ORIGIN)


def append_change(
    event: object, obj: models.Model, actor: Actor | None, detail: dict[str, Any]
) -> int:
    """Append one leaf for a stored change; must run inside the change's transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("journal leaves are written only inside the change's transaction")
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    return registry_log().append(encode_entry(str(event), obj, actor_id, detail))
