"""``tunduk journal verify``: the whole log, every checkpoint, and the Registry rows it covers.

Beyond the Merkle log's own checks (``tunduk.journal.verify_log``), each leaf names a row
and the digest of its state. The last leaf of every row must match the row as stored now;
a row that a leaf names must exist; every element version must have its leaf; and each
element's current record must equal its latest version. The log is also checked against
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
    failures.extend(_unjournaled_versions(by_type.get("registry.elementversion", {})))
    failures.extend(_elements_match_latest_version())
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


def _unjournaled_versions(journaled: dict[str, Leaf]) -> list[RowFailure]:
    from tunduk.registry.models import ElementVersion

    return [
        RowFailure(
            None, f"element version {pk} (element {element}, v{number}) has no journal entry"
        )
        for pk, element, number in ElementVersion.objects.values_list("pk", "element_id", "number")
        if str(pk) not in journaled
    ]


def _elements_match_latest_version() -> list[RowFailure]:
    from tunduk.registry import snapshot
    from tunduk.registry.models import Element, ElementVersion

    failures = []
    latest = {
        version.element_id: version
        for version in ElementVersion.objects.order_by("element_id", "number").only(
            "element_id", "snapshot", "journal_index"
        )
    }
    elements = Element.objects.prefetch_related(*snapshot.LIST_COLUMNS, "documents")
    for element in elements.iterator(chunk_size=500):
        version = latest.get(element.pk)
        if version is None or snapshot.take(element) != version.snapshot:
            failures.append(
                RowFailure(
                    version.journal_index if version else None,
                    f"element {element.pk} differs from its latest journaled version",
                )
            )
    return failures
