"""The registered record and a proposed change of it: the one place that tells them apart.

000 §21–24: a record becomes public when the operator registers it; a later change is
entered by the subject (000 §24), reviewed like the first submission (000 §21–23) and only
then replaces the registered record. So, once an element has a registration code:

- its stored ``Element`` row, list rows and non-``proposed`` documents are the registered
  record, read by the public pages, the exports, the API and the Catalog, and changed
  only by ``accept`` (the operator's decision);
- what the subject's employee enters is a ``ProposedChange`` holding the whole proposed
  record, shown beside the registered one to the subject and the staff only. A refused
  change stays there for the employee to correct; it never becomes public.

Which versions of the history hold a proposal rather than the registered record is read
from the (journaled) versions themselves, ``proposal_numbers``: no journaled row is ever
rewritten to say so.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from tunduk.core.audit import Event
from tunduk.registry import snapshot
from tunduk.registry.choices import DocumentKind, SubmissionKind
from tunduk.registry.models import (
    Document,
    Element,
    ElementVersion,
    InformationResource,
    Interaction,
    ProposedChange,
    ProvidedService,
    SoftwareItem,
    Submission,
)
from tunduk.registry.models.elements import ElementListItem

LIST_MODELS: dict[str, type[ElementListItem]] = {
    "software": SoftwareItem,
    "resources": InformationResource,
    "interactions": Interaction,
    "services": ProvidedService,
}


def changes_need_review(element: Element) -> bool:
    """Whether edits of ``element`` go into a proposed change: once it has been registered."""
    return element.registration_code is not None


def open_change(element: Element, *, lock: bool = False) -> ProposedChange | None:
    """The element's open proposed change, if any (locked for update when ``lock``)."""
    changes: QuerySet[ProposedChange] = ProposedChange.objects.filter(
        element_id=element.pk, is_open=True
    )
    if lock:
        changes = changes.select_for_update()
    return changes.first()


def working_record(element: Element) -> dict[str, Any]:
    """The record the subject works on: the open proposed change, else the stored record."""
    change = open_change(element)
    return change.record if change is not None else snapshot.take(element)


def proposed_element(element: Element, record: dict[str, Any]) -> Element:
    """An unsaved copy of ``element`` holding ``record``, readable like a stored element.

    Forms, checklists and record pages take it as they take the element: its lists and
    documents are served from the prefetch cache, so nothing is read or written through it.
    It is never saved (``is_proposal``).
    """
    copy = Element(
        **{
            field.attname: getattr(element, field.attname)
            for field in Element._meta.concrete_fields
        }
    )
    copy._state.adding = False
    copy._state.db = element._state.db
    copy.is_proposal = True
    if Element.subject.is_cached(element):
        copy.subject = element.subject
    for name in snapshot.SCALAR_ATTRIBUTES:
        if name in record:
            setattr(copy, name, record[name])
    cache: dict[str, Any] = {}
    for list_name, model in LIST_MODELS.items():
        cache[list_name] = [
            model(element=copy, position=position, **row)
            for position, row in enumerate(record.get(list_name) or [])
        ]
    cache["documents"] = list(
        Document.objects.filter(element_id=element.pk).order_by("uploaded_at", "id")
    )
    # Django's prefetch cache: ``copy.software.all()`` and the like answer from it.
    vars(copy)["_prefetched_objects_cache"] = cache
    return copy


def replace_rows(proposed: Element, list_name: str, rows: list[Any]) -> None:
    """Put validated, unsaved ``rows`` into a list of a ``proposed_element`` copy."""
    if not proposed.is_proposal:
        raise ValueError("only the unsaved copy of a proposed change takes unsaved rows")
    vars(proposed)["_prefetched_objects_cache"][list_name] = rows


def editable_record(element: Element) -> Element:
    """What the employee's form shows: the open proposed change, else the element itself."""
    if not changes_need_review(element):
        return element
    return proposed_element(element, working_record(element))


# Versions that record an entry of the subject's employee; after the first registration
# every one of them is a state of a proposed change (000 §24).
ENTRY_EVENTS = frozenset({str(Event.ELEMENT_UPDATED), str(Event.DOCUMENT_ATTACHED)})
DECISION_KIND = str(DocumentKind.DECOMMISSIONING_DECISION)


def record_content(record: dict[str, Any]) -> dict[str, Any]:
    """A snapshot without its state, and without decommissioning decisions (000 §28), which
    are filed with a notice rather than entered as a change of the record."""
    content = {
        key: value for key, value in record.items() if key not in ("status", "registration_code")
    }
    content["documents"] = [
        doc for doc in content.get("documents") or [] if doc.get("kind") != DECISION_KIND
    ]
    return content


def proposal_numbers(versions: Iterable[ElementVersion]) -> set[int]:
    """Numbers of the versions that hold a proposed change, not the registered record.

    After a registration (``registry:element:registered``, which also accepts a change),
    a version is a proposal's state when it records an entry of the employee, or when its
    record differs from the registered one (as edits stored before proposed changes
    existed do). Versions before the first registration are drafts, not proposals.
    """
    hidden: set[int] = set()
    registered: dict[str, Any] | None = None
    for version in sorted(versions, key=lambda version: version.number):
        if version.event == Event.ELEMENT_REGISTERED:
            registered = record_content(version.snapshot)
        elif registered is not None and (
            version.event in ENTRY_EVENTS or record_content(version.snapshot) != registered
        ):
            hidden.add(version.number)
    return hidden


def element_proposal_numbers(element: Element) -> set[int]:
    """``proposal_numbers`` of all of ``element``'s versions."""
    return proposal_numbers(
        ElementVersion.objects.filter(element_id=element.pk).only("number", "event", "snapshot")
    )


def accept(element: Element, change: ProposedChange) -> None:
    """Make ``change`` the registered record (the operator accepted it, 000 §21, §24)."""
    record = change.record
    for name in snapshot.SCALAR_ATTRIBUTES:
        if name in record:
            setattr(element, name, record[name])
    element.save()
    for list_name, model in LIST_MODELS.items():
        rows: list[Any] = [
            model(element=element, position=position, **row)
            for position, row in enumerate(record.get(list_name) or [])
        ]
        model.objects.filter(element=element).delete()
        model.objects.bulk_create(rows)
    change.is_open = False
    change.accepted_at = timezone.now()
    change.save(update_fields=["is_open", "accepted_at", "updated_at"])


def submitted_pair(submission: Submission) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The registered and the proposed record of a change submission, as submitted.

    Read from the history, so a decided submission shows what was decided: the registered
    record is the submission's own version, the proposal the last proposed state before it.
    ``None`` for a first registration, which has no registered record to compare with.
    """
    if submission.kind != SubmissionKind.CHANGE:
        return None
    versions = ElementVersion.objects.filter(element_id=submission.element_id)
    registered = versions.filter(number=submission.version_number).first()
    if registered is None:
        return None
    # The proposal of this change, not of an earlier one already accepted.
    last_decision = (
        versions.filter(event=Event.ELEMENT_REGISTERED, number__lt=submission.version_number)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    hidden = proposal_numbers(versions.filter(number__lt=submission.version_number))
    proposed = (
        versions.filter(
            number__in=hidden, number__lt=submission.version_number, number__gt=last_decision or 0
        )
        .order_by("-number")
        .first()
    )
    before = registered.snapshot
    return before, (proposed.snapshot if proposed is not None else before)
