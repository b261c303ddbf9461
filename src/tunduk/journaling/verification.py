"""``tunduk journal verify``: the whole log, every checkpoint, and the Registry rows it covers.

Beyond the Merkle log's own checks (``tunduk.journal.verify_log``), each leaf names a row
and the digest of its state. The last leaf of every row must match the row as stored now;
a row that a leaf names must exist; and the checks the apps add with
``register_row_check`` hold (the Registry's: every element version has its leaf, and each
element's current record equals its latest version). The log is also checked against
signed checkpoints, in and outside the database (``checkpoint_checks``). The first failure
is named.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings

from tunduk.journal import NoteVerifier, VerifyReport, verify_log
from tunduk.journaling.checkpoint_checks import (
    CheckpointChecks,
    TrustedCheckpoint,
    check_checkpoints,
)
from tunduk.journaling.checkpoints import verify_checkpoint_timestamp
from tunduk.journaling.entries import decode_entry, state_digest
from tunduk.journaling.keys import tsa_roots, verifier
from tunduk.journaling.log import storage
from tunduk.journaling.personal import SaltBook, SaltProblem


@dataclass(frozen=True)
class Leaf:
    """The last leaf naming a row: where, the digest it carries, and its entry version."""

    index: int
    digest: str
    version: int


@dataclass(frozen=True)
class RowFailure:
    """A Registry row that does not hold against the journal."""

    index: int | None
    message: str

    def __str__(self) -> str:
        where = f"entry {self.index}" if self.index is not None else "registry"
        return f"{where}: {self.message}"


# An app's own check of its rows: the last leaf of every journaled row, by model label.
RowCheck = Callable[[dict[str, dict[str, Leaf]]], list[RowFailure]]
_ROW_CHECKS: list[RowCheck] = []


def register_row_check(check: RowCheck) -> None:
    """Add an app's own check to every verification; its ``AppConfig.ready`` calls this.

    The journaling app knows no app's models: each app that journals rows with rules of its
    own (every element version has a leaf, say) contributes the check here, once.
    """
    if check not in _ROW_CHECKS:
        _ROW_CHECKS.append(check)


@dataclass
class RegistryVerifyResult:
    """The log report, the checkpoint checks and the row checks; ``ok`` only when all hold."""

    log: VerifyReport
    rows: list[RowFailure]
    checkpoints: CheckpointChecks = field(default_factory=CheckpointChecks)

    @property
    def ok(self) -> bool:
        return self.log.ok and not self.checkpoints.failures and not self.rows


def verify_registry(
    progress: Callable[[int, int], None] | None = None,
    *,
    trusted: Sequence[TrustedCheckpoint] = (),
    witnesses: Sequence[NoteVerifier] = (),
    max_checkpoint_age: timedelta | None = None,
    now: datetime | None = None,
) -> RegistryVerifyResult:
    """Re-read the log, check it against its checkpoints and the rows it covers.

    ``trusted`` are checkpoints kept outside the database, each to be cosigned by every
    key in ``witnesses``; ``max_checkpoint_age`` defaults to the checkpoint interval.
    """
    last_leaf: dict[tuple[str, str], Leaf] = {}

    def remember(index: int, entry: bytes) -> None:
        data = decode_entry(entry)
        key = (data["object"]["type"], data["object"]["id"])
        last_leaf[key] = Leaf(index, data["state_sha256"], data["v"])

    report = verify_log(
        storage(),
        [verifier()],
        origin=settings.TUNDUK_JOURNAL_ORIGIN,
        progress=progress,
        entry_check=remember,
        timestamp_verifier=verify_checkpoint_timestamp if tsa_roots() else None,
    )
    # Checkpoints are checked even when an entry is bad: a rewrite that also forged entries
    # must still be reported as inconsistent with what outsiders kept.
    checkpoints = check_checkpoints(trusted, witnesses, max_age=max_checkpoint_age, now=now)
    if not report.ok:
        return RegistryVerifyResult(report, [], checkpoints)
    return RegistryVerifyResult(report, _check_rows(last_leaf), checkpoints)


def _check_rows(last_leaf: dict[tuple[str, str], Leaf]) -> list[RowFailure]:
    failures: list[RowFailure] = []
    by_type: dict[str, dict[str, Leaf]] = {}
    for (label, pk), leaf in last_leaf.items():
        by_type.setdefault(label, {})[pk] = leaf
    for label, leaves in sorted(by_type.items()):
        failures.extend(_check_type(label, leaves))
    for check in _ROW_CHECKS:
        failures.extend(check(by_type))
    return sorted(failures, key=lambda failure: (failure.index is None, failure.index or 0))


def _check_type(label: str, leaves: dict[str, Leaf]) -> list[RowFailure]:
    """Each row of one model against the last leaf that names it (salts read, never made)."""
    model = apps.get_model(label)
    found = {str(obj.pk): obj for obj in model._default_manager.filter(pk__in=list(leaves))}
    salts = SaltBook.for_rows(label, leaves)
    failures = []
    for pk, leaf in sorted(leaves.items(), key=lambda item: item[1].index):
        obj = found.get(pk)
        if obj is None:
            failures.append(RowFailure(leaf.index, f"{label} {pk} named by the journal is missing"))
            continue
        try:
            digest = state_digest(obj, salts, leaf.version)
        except SaltProblem as problem:
            failures.append(RowFailure(leaf.index, str(problem)))
            continue
        if digest != leaf.digest:
            failures.append(
                RowFailure(leaf.index, f"{label} {pk} differs from its journaled state")
            )
    return failures
