"""The Registry's own checks of ``tunduk journal verify``: versions and records against the log.

Every element version must have its leaf, and each element's current record must equal its
latest version. ``RegistryConfig.ready`` adds both to ``journaling.verification``, so the
journaling app checks them without importing the Registry.
"""

from __future__ import annotations

from tunduk.journaling.verification import Leaf, RowFailure
from tunduk.registry import snapshot
from tunduk.registry.models import Element, ElementVersion


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


def elements_match_latest_version(journaled: dict[str, dict[str, Leaf]]) -> list[RowFailure]:
    """Every element whose current record differs from its latest (journaled) version."""
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
        if version is None or snapshot.take(element) != snapshot.upgraded(version.snapshot):
            failures.append(
                RowFailure(
                    version.journal_index if version else None,
                    f"element {element.pk} differs from its latest journaled version",
                )
            )
    return failures
