"""Rebuild the registered record of elements changed before proposed changes existed.

Until 0004 an edit of a registered record was written to the element at once. For each
element whose history has states that differ from its last registered record:

- those versions become ``proposed`` (the public no longer reads them, 000 §21, §24);
- when the element's current record is such a state, it becomes the element's open
  ``ProposedChange``, and the element's row, lists and documents go back to the record of
  its last registration (the snapshot of its last ``registry:element:registered`` version).

Nothing is deleted: list rows are replaced by the registered ones exactly as an edit
would, and every earlier state stays in the history.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

REGISTERED = "registry:element:registered"
META_KEYS = ("status", "registration_code")
SCALARS = (
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
    "location",
    "location_responsible",
    "developer",
    "user_count",
    "financing_source",
    "financing_details",
    "commissioning_act_reference",
)
LISTS = {
    "software": "SoftwareItem",
    "resources": "InformationResource",
    "interactions": "Interaction",
    "services": "ProvidedService",
}


DECISION = "decommissioning_decision"


def _content(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The record without its state and without decommissioning decisions (000 §28),
    which are filed with a notice, not entered as a change."""
    content = {key: value for key, value in snapshot.items() if key not in META_KEYS}
    content["documents"] = [
        doc for doc in content.get("documents") or [] if doc.get("kind") != DECISION
    ]
    return content


def rebuild(apps: Any, schema_editor: Any) -> None:
    Element = apps.get_model("registry", "Element")
    ElementVersion = apps.get_model("registry", "ElementVersion")
    Document = apps.get_model("registry", "Document")
    ProposedChange = apps.get_model("registry", "ProposedChange")
    for element in Element.objects.filter(registration_code__isnull=False).iterator():
        registered: dict[str, Any] | None = None
        latest = None
        for version in ElementVersion.objects.filter(element=element).order_by("number"):
            latest = version
            if version.event == REGISTERED:
                registered = version.snapshot
                continue
            if registered is not None and _content(version.snapshot) != _content(registered):
                version.proposed = True
                version.save(update_fields=["proposed"])
        if registered is None or latest is None or not latest.proposed:
            continue
        ProposedChange.objects.create(
            element=element, record=latest.snapshot, created_by_id=element.created_by_id
        )
        for name in SCALARS:
            if name in registered:
                value = registered[name]
                setattr(element, name, "" if value is None and name != "user_count" else value)
        element.save()
        for list_name, model_name in LISTS.items():
            model = apps.get_model("registry", model_name)
            model.objects.filter(element=element).delete()
            model.objects.bulk_create(
                model(element=element, position=position, **row)
                for position, row in enumerate(registered.get(list_name) or [])
            )
        kept = {doc["id"] for doc in registered.get("documents") or []}
        Document.objects.filter(element=element).exclude(pk__in=kept).exclude(
            kind=DECISION
        ).update(proposed=True)


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_proposed_changes_of_registered_records")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
