"""The Registry's side of the journal: each stored change becomes one leaf, in the same transaction."""

from __future__ import annotations

from typing import Any

from django.db import models


def journal_change(
    event: object, obj: models.Model, actor: Any, detail: dict[str, Any]
) -> int | None:
    """Append a leaf describing the change; wired to ``tunduk.journal`` by the journal issue (#3)."""
    return None
