"""Canonical journal entries: what changed, who, when, and a digest of the stored row.

An entry carries a SHA-256 digest of the row's state rather than the row itself, so entries
can be published without disclosing non-public fields, while anyone holding the row can
check it against the journal. From entry version 2 on, personal fields enter that digest
only as salted commitments (``tunduk.journaling.personal``), so the digest cannot confirm a
guessed name or e-mail; version-1 entries (written before) keep their plain digest.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from tunduk.journaling.personal import SaltBook

ENTRY_VERSION = 2
ENTRY_VERSIONS = frozenset({1, 2})  # 1: plain row digest; 2: personal fields salted
# Columns that change without being a change of the Registry's record.
UNJOURNALED_COLUMNS = frozenset({"reminded_at", "updated_at", "journal_index", "version_number"})


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    # BinaryField: bytes on SQLite, memoryview on PostgreSQL.
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def canonical_json(data: Any) -> bytes:
    """Deterministic UTF-8 JSON: sorted keys, no spaces."""
    return json.dumps(
        _plain(data), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()


def object_type(obj: models.Model) -> str:
    return obj._meta.label_lower


def row_state(obj: models.Model, salts: SaltBook | None = None) -> dict[str, Any]:
    """The journaled columns of a row, as plain data; with ``salts``, personal values committed."""
    state = {
        field.attname: _plain(getattr(obj, field.attname))
        for field in obj._meta.concrete_fields
        if field.attname not in UNJOURNALED_COLUMNS
    }
    if salts is not None:
        salts.commit(obj, state, canonical_json)
    return state


def state_digest(
    obj: models.Model, salts: SaltBook | None = None, version: int = ENTRY_VERSION
) -> str:
    """SHA-256 (hex) of the row's canonical state as an entry of ``version`` records it.

    Version 2 needs the row's salts: ``salts`` (read-only when checking), or the stored
    ones, created where missing, when none are given.
    """
    if version >= 2 and salts is None:
        salts = SaltBook(create=True)
    state = row_state(obj, salts if version >= 2 else None)
    return hashlib.sha256(canonical_json(state)).hexdigest()


def encode_entry(
    event: str, obj: models.Model, actor_id: int | None, detail: dict[str, Any]
) -> bytes:
    """The leaf's bytes for one stored change of ``obj``."""
    return canonical_json(
        {
            "v": ENTRY_VERSION,
            "time": timezone.now(),
            "event": event,
            "object": {"type": object_type(obj), "id": str(obj.pk)},
            "state_sha256": state_digest(obj),
            "actor": actor_id,
            "detail": detail,
        }
    )


def decode_entry(entry: bytes) -> dict[str, Any]:
    """Parse an entry; raises ``ValueError`` when it is not a journal entry of a known version."""
    data = json.loads(entry.decode())
    if not isinstance(data, dict) or data.get("v") not in ENTRY_VERSIONS or "object" not in data:
        raise ValueError("not a Registry journal entry of a known version")
    return data
