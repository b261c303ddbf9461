"""What ``journal verify`` checks the log against: signed checkpoints, in and outside the database.

A log re-read from the database proves only that the database agrees with itself: whoever
runs it can rebuild the log and re-sign it. So verify also demands that

- a signed checkpoint exists (deleting them all must not pass as "0 checkpoints");
- the newest one is not older than the checkpoint interval while later entries exist
  (entries not under a checkpoint are the only ones that can be rewritten unnoticed, so
  checkpoints that stop coming are a finding);
- the log is consistent with every checkpoint the verifier kept from outside (a file it
  saved earlier, or a witness's cosigned checkpoint), cosigned by each witness key given.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from tunduk.journal import (
    JournalError,
    NoteVerifier,
    SignedCheckpoint,
    StoredCheckpoint,
    open_checkpoint,
    verify_trusted_checkpoint,
)
from tunduk.journaling.checkpoints import verify_checkpoint_timestamp
from tunduk.journaling.keys import tsa_roots, verifier
from tunduk.journaling.log import registry_log, storage


@dataclass(frozen=True)
class TrustedCheckpoint:
    """A checkpoint note the verifier holds from outside the database, and where it came from."""

    source: str
    note: str


@dataclass
class CheckpointChecks:
    """What the log was checked against (``checked``) and what did not hold (``failures``)."""

    checked: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def _describe(checkpoint: SignedCheckpoint) -> str:
    root = base64.b64encode(checkpoint.checkpoint.root_hash).decode()
    return f"size {checkpoint.checkpoint.size}, root {root}"


def checkpoint_time(stored: StoredCheckpoint) -> tuple[datetime | None, str]:
    """When a checkpoint was made: its time-stamp's time when it has one, else the row's."""
    if stored.timestamp_token is not None and tsa_roots():
        body = open_checkpoint(stored.note, [verifier()]).note.text.encode()
        return verify_checkpoint_timestamp(body, stored.timestamp_token), "time-stamped"
    return stored.created_at, "stored (no time-stamp)"


def check_checkpoints(
    trusted: Sequence[TrustedCheckpoint] = (),
    witnesses: Sequence[NoteVerifier] = (),
    *,
    max_age: timedelta | None = None,
    now: datetime | None = None,
) -> CheckpointChecks:
    """Check the newest signed checkpoint and every trusted one; the log itself must hold."""
    checks = CheckpointChecks()
    stored = storage().latest_checkpoint()
    if stored is None:
        checks.failures.append(
            "there is no signed checkpoint: nothing vouches for the log outside the database "
            "(every checkpoint may have been deleted); publish one with `tunduk journal checkpoint`"
        )
        return checks
    try:
        latest = open_checkpoint(stored.note, [verifier()], origin=settings.TUNDUK_JOURNAL_ORIGIN)
        made_at, how = checkpoint_time(stored)
    except JournalError as error:
        checks.failures.append(f"the newest checkpoint does not hold: {error}")
        return checks
    checks.checked.append(f"the newest signed checkpoint: {_describe(latest)}, {how} {made_at}")
    if stored.timestamp_token is None and tsa_roots():
        # Its only time would be the row's own, which the operator writes.
        checks.failures.append(
            f"the newest signed checkpoint (size {stored.tree_size}) carries no time-stamp "
            "although a time-stamping authority is configured"
        )
    _check_age(checks, stored, made_at, max_age, now or timezone.now())
    for kept in trusted:
        _check_trusted(checks, kept, latest, witnesses)
    return checks


def _check_age(
    checks: CheckpointChecks,
    stored: StoredCheckpoint,
    made_at: datetime | None,
    max_age: timedelta | None,
    now: datetime,
) -> None:
    if max_age is None:
        max_age = timedelta(seconds=settings.TUNDUK_JOURNAL_CHECKPOINT_INTERVAL)
    limit = max_age
    later = storage().size() - stored.tree_size
    if later <= 0 or made_at is None or now - made_at <= limit:
        return
    age = int((now - made_at).total_seconds())
    checks.failures.append(
        f"the newest signed checkpoint (size {stored.tree_size}) is {age} s old, more than the "
        f"allowed {int(limit.total_seconds())} s, while {later} later entries exist: checkpoints "
        "have stopped, and entries after the last one could have been rewritten"
    )


def _check_trusted(
    checks: CheckpointChecks,
    kept: TrustedCheckpoint,
    latest: SignedCheckpoint,
    witnesses: Sequence[NoteVerifier],
) -> None:
    try:
        opened = verify_trusted_checkpoint(
            kept.note,
            [verifier()],
            latest.checkpoint,
            registry_log(),
            origin=settings.TUNDUK_JOURNAL_ORIGIN,
            witnesses=witnesses,
        )
    except JournalError as error:
        checks.failures.append(f"trusted checkpoint {kept.source}: {error}")
        return
    cosigned = ", ".join(f"{w.name} ({w.key_id:08x})" for w in witnesses) or "no witness asked"
    checks.checked.append(
        f"trusted checkpoint {kept.source}: {_describe(opened)}, signed by the log's key, "
        f"cosigned by {cosigned}; the log is consistent with it"
    )
