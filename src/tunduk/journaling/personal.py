"""Salted commitments to personal fields in journal entries (issue 7, finding 2).

An entry publishes a digest of the row it records. Where the row holds personal data (an
employee's name, position, e-mail) the rest of the row is often known or guessable, so a
plain digest would let anyone confirm a guessed name. Rows therefore declare their
personal fields in ``journal_personal_fields`` (a column name, or ``column.key`` inside a
JSON column); before hashing the row, each such value is replaced by
``{"salted_sha256": SHA-256(salt ‖ canonical value)}`` with a random 32-byte salt kept in
:class:`FieldSalt` beside the row. Whoever holds the row and the salt can check it; erasing
one salt (retention) erases only that field's link to the journal, and no proof breaks.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable
from typing import Any

from django.db import models
from django.utils import timezone

from tunduk.journaling.models import FieldSalt

SALT_BYTES = 32
ERASED_VALUES = (None, "")
Canonical = Callable[[Any], bytes]


class SaltProblem(ValueError):
    """A personal field cannot be checked: its salt is missing, or erased while the value is not."""


def personal_fields(obj: models.Model) -> tuple[str, ...]:
    """The personal fields ``obj``'s model declares for the journal."""
    return tuple(getattr(type(obj), "journal_personal_fields", ()))


def commitment(salt: bytes | memoryview, value: Any, canonical: Canonical) -> str:
    """SHA-256 (hex) of the salt followed by the value's canonical JSON."""
    return hashlib.sha256(bytes(salt) + canonical(value)).hexdigest()


def _locate(state: dict[str, Any], path: str) -> tuple[dict[str, Any], str] | None:
    """The dict holding ``path``'s value and its key, or None when the value is absent."""
    *parents, key = path.split(".")
    holder: Any = state
    for part in parents:
        holder = holder.get(part) if isinstance(holder, dict) else None
    if not isinstance(holder, dict) or key not in holder:
        return None
    return holder, key


class SaltBook:
    """The salts of some rows: creates missing ones when recording, only reads when checking."""

    def __init__(self, salts: Iterable[FieldSalt] = (), *, create: bool = False) -> None:
        self.create = create
        self._salts = {(s.object_type, s.object_id, s.field): s for s in salts}

    @classmethod
    def for_rows(cls, label: str, pks: Iterable[str]) -> SaltBook:
        """Every stored salt of the rows ``pks`` of model ``label`` (read-only)."""
        return cls(FieldSalt.objects.filter(object_type=label, object_id__in=list(pks)))

    def commit(self, obj: models.Model, state: dict[str, Any], canonical: Canonical) -> None:
        """Replace each personal value in ``state`` (the row's plain state) by its commitment."""
        label, pk = obj._meta.label_lower, str(obj.pk)
        for path in personal_fields(obj):
            found = _locate(state, path)
            if found is None:
                continue
            holder, key = found
            holder[key] = {
                "salted_sha256": self._commitment(label, pk, path, holder[key], canonical)
            }

    def _commitment(self, label: str, pk: str, path: str, value: Any, canonical: Canonical) -> str:
        stored = self._salts.get((label, pk, path))
        if stored is None and self.create:
            stored = FieldSalt.objects.filter(object_type=label, object_id=pk, field=path).first()
        if self.create:
            return self._record(stored, label, pk, path, value, canonical)
        if stored is None:
            raise SaltProblem(f"{label} {pk}: the salt of {path} is missing")
        if stored.salt is None:
            if value not in ERASED_VALUES:
                raise SaltProblem(
                    f"{label} {pk}: the salt of {path} was erased but its value was not"
                )
            return stored.commitment
        return commitment(stored.salt, value, canonical)

    def _record(
        self,
        stored: FieldSalt | None,
        label: str,
        pk: str,
        path: str,
        value: Any,
        canonical: Canonical,
    ) -> str:
        if stored is None or stored.salt is None:
            # A field written again after its salt was erased gets a fresh salt.
            salt = secrets.token_bytes(SALT_BYTES)
            stored, _ = FieldSalt.objects.update_or_create(
                object_type=label,
                object_id=pk,
                field=path,
                defaults={"salt": salt, "commitment": "", "erased_at": None},
            )
            self._salts[label, pk, path] = stored
        assert stored.salt is not None  # just made when it was missing or erased
        digest = commitment(stored.salt, value, canonical)
        if stored.commitment != digest:
            stored.commitment = digest
            stored.save(update_fields=["commitment"])
        return digest


def erase_salt(obj: models.Model, path: str) -> bool:
    """Erase the salt of one personal field of ``obj`` (retention); returns whether one was erased.

    The caller erases the field's value in the same transaction: a row whose salt is gone
    but whose value is not fails ``journal verify``.
    """
    erased = FieldSalt.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), field=path, salt__isnull=False
    ).update(salt=None, erased_at=timezone.now())
    return erased > 0
