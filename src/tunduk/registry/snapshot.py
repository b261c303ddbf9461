"""Snapshots of an element's record and the differences between two of them."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from tunduk.registry.models import Document, Element, ProposedChange

SCALAR_ATTRIBUTES = (
    "full_name",
    "full_name_ru",
    "short_name",
    "element_type",
    "operated_by_owner",
    "operator_name",
    "purpose",
    "legal_acts",
    "responsible_unit",
    "responsible_officials",
    "architecture",
    "location",
    "location_responsible",
    "developer",
    "user_count",
    "financing_source",
    "financing_details",
    "commissioning_act_reference",
)
# Attributes added after versions were recorded, with the value they had then: a snapshot
# without one is read with it (``recorded``), so older versions still match their record.
ADDED_LATER: dict[str, Any] = {"full_name_ru": ""}
LIST_COLUMNS: dict[str, tuple[str, ...]] = {
    "software": ("name", "version", "licence"),
    "resources": ("full_name", "description", "contains_personal_data"),
    "interactions": ("resource_name", "system_name", "counterpart_id"),
    "services": ("name", "recipients"),
}


def take(element: Element) -> dict[str, Any]:
    """The whole record of an element as plain JSON-able data."""
    data: dict[str, Any] = {name: getattr(element, name) for name in SCALAR_ATTRIBUTES}
    data["subject_id"] = element.subject_id
    data["registration_code"] = element.registration_code
    data["status"] = element.status
    for list_name, columns in LIST_COLUMNS.items():
        rows = getattr(element, list_name).all()
        data[list_name] = [{column: getattr(row, column) for column in columns} for row in rows]
    data["documents"] = [
        {"id": doc.pk, "kind": doc.kind, "title": doc.title, "sha256": doc.sha256}
        for doc in documents_of(element)
    ]
    return data


def documents_of(element: Element) -> list[Document]:
    """The documents of the record ``element`` holds, in upload order.

    A stored element holds the registered record: documents attached as part of a change
    not yet accepted are left out. The unsaved copy showing a proposed change
    (``registry.proposals.proposed_element``) holds them all.
    """
    documents = element.documents.all()
    if element.is_proposal or element.registration_code is None:
        return list(documents)
    prefetched = vars(element).get("_prefetched_objects_cache", {})
    if OPEN_CHANGES.to_attr in vars(element):
        changes = vars(element)[OPEN_CHANGES.to_attr]
    elif "proposed_changes" in prefetched:
        changes = [change for change in prefetched["proposed_changes"] if change.is_open]
    else:
        changes = list(ProposedChange.objects.filter(element_id=element.pk, is_open=True))
    added = {pk for change in changes for pk in change.added_documents}
    return [doc for doc in documents if doc.pk not in added]


# Prefetch this with the documents to read many elements' records without a query each.
OPEN_CHANGES = Prefetch(
    "proposed_changes",
    queryset=ProposedChange.objects.filter(is_open=True),
    to_attr="open_changes",
)


def recorded(stored: dict[str, Any]) -> dict[str, Any]:
    """A stored snapshot with the attributes added since it was taken, at their value then."""
    return {**ADDED_LATER, **stored}


def diff(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Fields whose value differs, as ``{name: {"old": ..., "new": ...}}``."""
    old = recorded(old) if old else {}
    return {
        name: {"old": old.get(name), "new": value}
        for name, value in new.items()
        if old.get(name) != value
    }
