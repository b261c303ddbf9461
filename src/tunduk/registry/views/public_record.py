"""How a record and its history are shown: the 17 numbered fields, public or in full.

Used by the public pages and the owner's pages alike; whether non-public fields
(``RecordField.public``) are shown is decided once, by ``can_view_private``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Field
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tunduk.core.audit import Event
from tunduk.registry.choices import DocumentKind, ElementStatus, ElementType, FinancingSource
from tunduk.registry.fields import RECORD_FIELDS, RecordField
from tunduk.registry.models import Element
from tunduk.registry.snapshot import documents_of

PUBLIC_DOCUMENT_KINDS = frozenset(
    f.document_kind for f in RECORD_FIELDS if f.document_kind and f.public
)
CHOICE_LABELS: dict[str, Any] = {
    "element_type": ElementType,
    "financing_source": FinancingSource,
    "status": ElementStatus,
}
EVENT_LABELS = {
    Event.ELEMENT_CREATED: gettext_lazy("Record created"),
    Event.ELEMENT_UPDATED: gettext_lazy("Record changed"),
    Event.ELEMENT_SUBMITTED: gettext_lazy("Submitted to the operator"),
    Event.ELEMENT_REGISTERED: gettext_lazy("Registered"),
    Event.ELEMENT_REFUSED: gettext_lazy("Refused"),
    Event.ELEMENT_DECOMMISSIONED: gettext_lazy("Decommissioning recorded"),
    Event.DOCUMENT_ATTACHED: gettext_lazy("Document attached"),
    Event.DECOMMISSIONING_NOTIFIED: gettext_lazy("Decommissioning notified"),
    Event.DECOMMISSIONING_AGREED: gettext_lazy("Decommissioning decided by the authorised body"),
}
# Keys of a snapshot that are not one of the 17 fields but are shown in the history.
META_LABELS = {
    "status": gettext_lazy("Status"),
    "registration_code": gettext_lazy("Registration code"),
}
FIELD_OF: dict[str, RecordField] = {}
for _field in RECORD_FIELDS:
    for _name in (*_field.attributes, _field.list_name):
        if _name:
            FIELD_OF[_name] = _field


def attribute_label(name: str) -> str:
    """The model's label of a scalar attribute, e.g. "short name"."""
    model_field = Element._meta.get_field(name)
    # Scalar attributes are concrete fields; only a reverse relation would lack a label.
    return str(model_field.verbose_name) if isinstance(model_field, Field) else name


def show(name: str, value: Any) -> str:
    """One value of a record as text: choice labels, yes/no, list rows joined."""
    if value in (None, "", [], {}):
        return "—"
    if name in CHOICE_LABELS:
        try:
            return str(CHOICE_LABELS[name](value).label)
        except ValueError:
            return str(value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return "; ".join(_row_text(row) for row in value)
    return str(value)


def _row_text(row: Any) -> str:
    if not isinstance(row, dict):
        return str(row)
    if "kind" in row and "title" in row:
        return f"{row['title']} ({DocumentKind(row['kind']).label})"
    values = [
        _row_value(key, value)
        for key, value in row.items()
        if key != "counterpart_id" and value not in (None, "", False)
    ]
    return ", ".join(values)


# A yes/no attribute of a list row is named when set and left out when not, never "False".
ROW_FLAGS = {"contains_personal_data": gettext_lazy("personal data")}


def _row_value(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return str(ROW_FLAGS.get(key, _("Yes")))
    return str(value)


@dataclass
class FieldView:
    """One numbered field as shown on the detail page."""

    number: int
    label: Any
    public: bool
    values: list[tuple[str, str]] = field(default_factory=list)
    list_name: str = ""
    rows: list[Any] = field(default_factory=list)
    documents: list[Any] = field(default_factory=list)
    document_kind: str = ""


def record_fields(element: Element, private: bool) -> list[FieldView]:
    """The 17 fields of ``element``; non-public ones only when ``private``.

    Lists and documents must already be prefetched: no query per field.
    """
    documents = documents_of(element)
    result = []
    for record_field in RECORD_FIELDS:
        if not record_field.public and not private:
            continue
        view = FieldView(
            record_field.number,
            record_field.label,
            record_field.public,
            list_name=record_field.list_name,
            document_kind=record_field.document_kind,
        )
        for name in record_field.attributes:
            view.values.append((attribute_label(name), show(name, getattr(element, name))))
        if record_field.list_name:
            view.rows = list(getattr(element, record_field.list_name).all())
        if record_field.document_kind:
            view.documents = [d for d in documents if d.kind == record_field.document_kind]
        result.append(view)
    return result


@dataclass
class DiffRow:
    """One changed field of one version."""

    number: int | None
    label: Any
    old: str
    new: str
    hidden: bool = False


def _visible_documents(value: Any) -> Any:
    if not isinstance(value, list):
        return value
    return [doc for doc in value if doc.get("kind") in PUBLIC_DOCUMENT_KINDS]


def diff_rows(changes: dict[str, dict[str, Any]], private: bool) -> list[DiffRow]:
    """The changed fields of a version, labelled with their 000 §20 number, in field order.

    For the public, values of non-public fields are withheld (the row says the field
    changed, not what to) and only public documents are listed.
    """
    rows = []
    for name, change in changes.items():
        old, new = change.get("old"), change.get("new")
        number: int | None = None
        hidden = False
        if name in FIELD_OF:
            record_field = FIELD_OF[name]
            number = record_field.number
            label = (
                record_field.label
                if record_field.list_name
                else f"{record_field.label}: {attribute_label(name)}"
            )
            hidden = not record_field.public and not private
        elif name == "documents":
            number = 12
            label = _("Documents (fields 12 and 17)")
            if not private:
                old, new = _visible_documents(old), _visible_documents(new)
        elif name in META_LABELS:
            label = META_LABELS[name]
        else:
            continue
        old_text, new_text = show(name, old), show(name, new)
        if old_text == new_text:
            continue
        if hidden:
            old_text = new_text = ""
        rows.append(DiffRow(number, label, old_text, new_text, hidden))
    rows.sort(key=lambda row: (row.number is None, row.number or 0))
    return rows


def event_label(event: str) -> str:
    """A readable name of a version's event."""
    try:
        return str(EVENT_LABELS.get(Event(event), event))
    except ValueError:
        return event


@dataclass
class ComparedField:
    """One numbered field of a registered record beside the same field of a proposed change."""

    number: int
    label: Any
    public: bool
    registered: list[str]
    proposed: list[str]

    @property
    def changed(self) -> bool:
        return self.registered != self.proposed


def _field_lines(record: dict[str, Any], record_field: RecordField) -> list[str]:
    lines = [
        f"{attribute_label(name)}: {show(name, record.get(name))}"
        for name in record_field.attributes
    ]
    if record_field.list_name:
        rows = record.get(record_field.list_name) or []
        lines.extend(_row_text(row) for row in rows)
    if record_field.document_kind:
        lines.extend(
            str(doc.get("title", ""))
            for doc in record.get("documents") or []
            if doc.get("kind") == record_field.document_kind
        )
    return lines


def compare_records(
    registered: dict[str, Any], proposed: dict[str, Any], private: bool
) -> list[ComparedField]:
    """The 17 fields of 000 §20, registered beside proposed, for the review of a change.

    Both records are snapshots (``registry.snapshot.take``); non-public fields are left
    out unless ``private``.
    """
    return [
        ComparedField(
            record_field.number,
            record_field.label,
            record_field.public,
            _field_lines(registered, record_field),
            _field_lines(proposed, record_field),
        )
        for record_field in RECORD_FIELDS
        if record_field.public or private
    ]
