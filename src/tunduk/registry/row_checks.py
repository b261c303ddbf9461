"""The Registry's own checks of ``tunduk journal verify``: versions and records against the log.

Every element version must have its leaf, and each element's current record must equal its
latest version. ``RegistryConfig.ready`` adds both to ``journaling.verification``, so the
journaling app checks them without importing the Registry.
"""

from __future__ import annotations

from tunduk.journaling.verification import Leaf, RowFailure
from tunduk.registry import snapshot
from tunduk.registry.models import Element, ElementVersion
from tunduk.registry.proposals import proposal_numbers


def unjournaled_versions(journaled: dict[str, dict[str, Leaf]]) -> list[RowFailure]:
    """Every element version whose row no leaf of the journal names."""
    leaves = journaled.get("registry.elementversion", {})
    return [
        RowFailure(
            None, f"element version {pk} (element {element}, v{number}) has no journal entry"
        )
        for pk, element, number in ElementVersion.objects.values_list("pk", "element_id", "number")
        if str(pk) not in leaves
    ]


def _latest_of_record(versions: list[ElementVersion]) -> ElementVersion | None:
    """The latest version holding the element's stored record (not a proposed change's),
    with the element's latest status (``registry.proposals``)."""
    if not versions:
        return None
    hidden = proposal_numbers(versions)
    record = [version for version in versions if version.number not in hidden]
    if not record:
        return None
    latest = record[-1]
    latest.snapshot = {**latest.snapshot, "status": versions[-1].snapshot.get("status")}
    return latest


def elements_match_latest_version(journaled: dict[str, dict[str, Leaf]]) -> list[RowFailure]:
    """Every element whose current record differs from its latest (journaled) version.

    For a registered element with a proposed change, the record is compared with the
    latest version of its registered record (a proposal's states are not the element's).
    """
    failures = []
    by_element: dict[int, list[ElementVersion]] = {}
    for version in ElementVersion.objects.order_by("element_id", "number").only(
        "element_id", "number", "event", "snapshot", "journal_index"
    ):
        by_element.setdefault(version.element_id, []).append(version)
    elements = Element.objects.prefetch_related(
        *snapshot.LIST_COLUMNS, "documents", snapshot.OPEN_CHANGES
    )
    for element in elements.iterator(chunk_size=500):
        latest = _latest_of_record(by_element.get(element.pk, []))
        if latest is None or snapshot.take(element) != snapshot.recorded(latest.snapshot):
            failures.append(
                RowFailure(
                    latest.journal_index if latest else None,
                    f"element {element.pk} differs from its latest journaled version",
                )
            )
    return failures
