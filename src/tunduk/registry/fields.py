"""The 17 fields of an element record (000 §20): labels, completeness, public visibility.

One place says which model attributes make up each numbered field, which fields are
shown to the public, and which are still missing before a record may be submitted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tunduk.registry.choices import DocumentKind


@dataclass(frozen=True)
class RecordField:
    """One numbered field of 000 §20 and the attributes or lists that hold it."""

    number: int
    label: Promise
    attributes: tuple[str, ...] = ()
    list_name: str = ""
    document_kind: str = ""
    public: bool = True


RECORD_FIELDS: tuple[RecordField, ...] = (
    RecordField(1, _("Full and short name"), ("full_name", "full_name_ru", "short_name")),
    RecordField(2, _("Type"), ("element_type",)),
    RecordField(3, _("Operator of the element"), ("operated_by_owner", "operator_name")),
    RecordField(4, _("Purpose, main functions and area of use"), ("purpose",)),
    RecordField(5, _("Normative legal acts"), ("legal_acts",)),
    RecordField(
        6, _("Responsible unit and officials"), ("responsible_unit", "responsible_officials")
    ),
    RecordField(7, _("Architecture"), ("architecture",), public=False),
    RecordField(8, _("Software used"), list_name="software", public=False),
    RecordField(9, _("Information resources"), list_name="resources"),
    RecordField(10, _("Interacting systems' resources"), list_name="interactions"),
    RecordField(11, _("Information services provided"), list_name="services"),
    RecordField(12, _("Technical documents"), document_kind=DocumentKind.TECHNICAL, public=False),
    RecordField(
        13, _("Location and who keeps it"), ("location", "location_responsible"), public=False
    ),
    RecordField(14, _("Developer (supplier)"), ("developer",)),
    RecordField(15, _("Number of users"), ("user_count",)),
    RecordField(16, _("Source of financing"), ("financing_source", "financing_details")),
    RecordField(
        17,
        _("Act of commissioning"),
        ("commissioning_act_reference",),
        document_kind=DocumentKind.COMMISSIONING_ACT,
    ),
)
FIELDS_BY_NUMBER = {field.number: field for field in RECORD_FIELDS}
FIELDS_BY_LIST = {field.list_name: field for field in RECORD_FIELDS if field.list_name}
LIST_NAMES = tuple(field.list_name for field in RECORD_FIELDS if field.list_name)
PUBLIC_ATTRIBUTES = frozenset(
    attribute for field in RECORD_FIELDS if field.public for attribute in field.attributes
) | {"registration_code", "status", "subject", "registered_at", "decommissioned_at"}
PUBLIC_LISTS = frozenset(
    field.list_name for field in RECORD_FIELDS if field.public and field.list_name
)


def _present(value: object) -> bool:
    return value not in (None, "", [], {})


def field_is_complete(snapshot: dict[str, Any], number: int) -> bool:
    """Whether the numbered field is filled in a record snapshot (see ``snapshot.take``)."""
    if number == 1:
        return _present(snapshot.get("full_name")) and _present(snapshot.get("short_name"))
    if number == 3:
        return bool(snapshot.get("operated_by_owner")) or _present(snapshot.get("operator_name"))
    if number == 6:
        return _present(snapshot.get("responsible_unit")) and _present(
            snapshot.get("responsible_officials")
        )
    if number == 13:
        return _present(snapshot.get("location")) and _present(snapshot.get("location_responsible"))
    if number == 16:
        return _present(snapshot.get("financing_source"))
    field = FIELDS_BY_NUMBER[number]
    if field.document_kind:
        return any(doc["kind"] == field.document_kind for doc in snapshot.get("documents", []))
    if field.list_name:
        return _present(snapshot.get(field.list_name))
    return all(_present(snapshot.get(attribute)) for attribute in field.attributes)


def missing_fields(snapshot: dict[str, Any]) -> list[int]:
    """Numbers of the 000 §20 fields still missing from a record, in order."""
    return [
        field.number for field in RECORD_FIELDS if not field_is_complete(snapshot, field.number)
    ]


def describe_missing(numbers: list[int]) -> str:
    """A human list like "5 (Normative legal acts), 17 (Act of commissioning)"."""
    return ", ".join(f"{number} ({FIELDS_BY_NUMBER[number].label})" for number in numbers)
