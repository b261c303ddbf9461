"""Witness cosignatures: accepting them from configured witnesses, publishing them.

A witness (``tunduk witness serve``, run by another organisation) posts back the
checkpoint it cosigned with its ``cosignature/v1`` line appended. The journal keeps the
line only when the witness's key is listed in ``TUNDUK_JOURNAL_WITNESSES``, the signature
verifies, and the checkpoint body is exactly one the journal signed and stored.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from django.conf import settings
from django.db import connection
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from tunduk.core.audit import Event, record
from tunduk.core.errors import InvalidInput, NotPermitted
from tunduk.core.services import service
from tunduk.journal import Checkpoint, NoteError, NoteSignature, Verifier
from tunduk.journal._note import split_note
from tunduk.journaling.models import Cosignature

__all__ = ["accept_cosignature", "cosigned_checkpoint", "witness_keys"]


@cache
def _parse_keys(keys: tuple[str, ...]) -> tuple[Verifier, ...]:
    return tuple(Verifier.from_key(key) for key in keys)


def witness_keys() -> tuple[Verifier, ...]:
    """The verifier keys of the configured witnesses (checked when settings load)."""
    return _parse_keys(tuple(settings.TUNDUK_JOURNAL_WITNESSES))


def _stored_note(tree_size: int) -> str | None:
    # One row by primary key; the journal storage only lists every checkpoint.
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM journal_checkpoint WHERE tree_size = %s", [tree_size])
        row = cursor.fetchone()
    return None if row is None else str(row[0])


def _signed_text(note: str) -> tuple[str, int, list[NoteSignature]]:
    """The checkpoint body and size of ``note`` if the journal signed it, and its signatures."""
    try:
        text, signatures = split_note(note)
        size = Checkpoint.parse(text).size
    except NoteError as error:
        raise InvalidInput(
            _("The body is not a signed checkpoint note: %(error)s") % {"error": error},
            field="note",
        ) from error
    stored = _stored_note(size)
    if stored is None or split_note(stored)[0] != text:
        raise InvalidInput(
            _("The journal never signed this checkpoint (tree size %(size)d).") % {"size": size},
            field="note",
            tree_size=size,
        )
    return text, size, signatures


def _witness_signatures(text: str, signatures: list[NoteSignature]) -> list[Cosignature]:
    """Cosignatures by configured witnesses; a configured key whose signature fails refuses all."""
    known = {(key.name, key.key_id): key for key in witness_keys()}
    accepted: list[Cosignature] = []
    for signature in signatures:
        key = known.get((signature.name, signature.key_id))
        if key is None:
            continue  # the journal's own signature, or another party's: not ours to judge
        if not key.verify(text.encode(), signature.signature):
            raise InvalidInput(
                _("The cosignature by witness %(name)s does not verify.") % {"name": key.name},
                field="signature",
                witness=key.name,
            )
        signed_at = dt.datetime.fromtimestamp(
            Verifier.cosignature_time(signature.signature), dt.UTC
        )
        accepted.append(
            Cosignature(
                witness=key.name, key_id=key.key_id, line=signature.line(), signed_at=signed_at
            )
        )
    return accepted


@service
def accept_cosignature(note: str, *, ip_address: str | None = None) -> list[Cosignature]:
    """Keep the configured witnesses' cosignatures on a checkpoint the journal signed.

    Raises ``InvalidInput`` for a malformed note, a checkpoint the journal never signed or
    a cosignature that does not verify, ``NotPermitted`` when no configured witness signed.
    Submitting the same cosignature again changes nothing.
    """
    text, size, signatures = _signed_text(note)
    cosignatures = _witness_signatures(text, signatures)
    if not cosignatures:
        raise NotPermitted(
            _("The note carries no cosignature by a witness this journal is configured to trust."),
            field="signature",
            action="cosign_checkpoint",
        )
    kept = []
    for cosignature in cosignatures:
        stored, created = Cosignature.objects.get_or_create(
            tree_size=size,
            witness=cosignature.witness,
            key_id=cosignature.key_id,
            defaults={"line": cosignature.line, "signed_at": cosignature.signed_at},
        )
        if created:
            record(
                Event.CHECKPOINT_COSIGNED,
                obj=stored,
                ip_address=ip_address,
                tree_size=size,
                witness=stored.witness,
            )
        kept.append(stored)
    return kept


def cosigned_checkpoint() -> str | None:
    """The newest checkpoint cosigned by a configured witness, with every such cosignature."""
    configured = Q(pk__in=[])
    for key in witness_keys():
        configured |= Q(witness=key.name, key_id=key.key_id)
    # A witness dropped from the settings no longer vouches for anything published.
    rows = Cosignature.objects.filter(configured)
    size = rows.aggregate(newest=Max("tree_size"))["newest"]
    note = None if size is None else _stored_note(size)
    if note is None:
        return None
    # Lines are checked again against the stored body, so the published note never carries
    # a cosignature that does not verify, whatever happened to the rows since.
    text = split_note(note)[0]
    lines = [row.line for row in rows.filter(tree_size=size) if _verifies(text, row.line)]
    return note + "".join(lines) if lines else None


def _verifies(text: str, line: str) -> bool:
    try:
        _, (signature,) = split_note(text + "\n" + line)
    except (NoteError, ValueError):
        return False
    keys = {(key.name, key.key_id): key for key in witness_keys()}
    key = keys.get((signature.name, signature.key_id))
    return key is not None and key.verify(text.encode(), signature.signature)
