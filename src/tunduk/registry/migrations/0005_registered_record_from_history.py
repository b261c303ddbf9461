"""Rebuild the registered record of elements changed before proposed changes existed.

Until 0004 an edit of a registered record was written to the element at once. When an
element's latest version differs from its last registered record (the snapshot of its last
``registry:element:registered`` version), that latest record becomes the element's open
``ProposedChange``, and the element's row and lists go back to the registered record; the
documents attached since are the change's. The history is read as it was journaled:
``registry.proposals.proposal_numbers`` tells the public which versions to leave out, so
no journaled row is rewritten.

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
        versions = ElementVersion.objects.filter(element=element)
        registered_version = versions.filter(event=REGISTERED).order_by("-number").first()
        latest = versions.order_by("-number").first()
        if registered_version is None or latest is None:
            continue
        registered = registered_version.snapshot
        if _content(latest.snapshot) == _content(registered):
            continue
        kept = {doc["id"] for doc in registered.get("documents") or []}
        added = (
            Document.objects.filter(element=element)
            .exclude(pk__in=kept)
            .exclude(kind=DECISION)
            .values_list("pk", flat=True)
        )
        ProposedChange.objects.create(
            element=element,
            record=latest.snapshot,
            added_documents=sorted(added),
            created_by_id=element.created_by_id,
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


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_proposed_changes_of_registered_records")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
