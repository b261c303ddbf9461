"""Snapshots of an element's record and the differences between two of them."""

from __future__ import annotations

from typing import Any

from tunduk.registry.models import Element

SCALAR_ATTRIBUTES = (
    "full_name",
    "short_name",
    "element_type",
    "operated_by_owner",
    "operator_name",
    "purpose",
    "legal_acts",
    "responsible_unit",
    "responsible_officials",
    "architecture",
    "no_interactions",
    "no_services",
    "location",
    "location_responsible",
    "developer",
    "user_count",
    "financing_source",
    "financing_details",
    "commissioning_act_reference",
)
# Attributes added to the record after versions were first stored, with the value an older
# snapshot means by leaving them out; older versions are read as if they held it.
ADDED_LATER: dict[str, Any] = {"no_interactions": False, "no_services": False}
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
        for doc in element.documents.all()
    ]
    return data


def upgraded(stored: dict[str, Any]) -> dict[str, Any]:
    """A stored snapshot with the attributes added later at the value it implies."""
    return {**ADDED_LATER, **stored}


def diff(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Fields whose value differs, as ``{name: {"old": ..., "new": ...}}``."""
    old = upgraded(old) if old else {}
    return {
        name: {"old": old.get(name), "new": value}
        for name, value in new.items()
        if old.get(name) != value
    }
