"""Who sees what in the Registry: one set of rules for the pages, the exports and the API.

The public sees only elements that have been registered (drafts and first submissions
stay with their subject) and only the fields of 000 §20 marked public; a subject's own
employees and the staff see everything they may act on.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from tunduk.accounts.choices import Role
from tunduk.core.actors import Actor
from tunduk.registry.choices import ElementStatus
from tunduk.registry.fields import PUBLIC_ATTRIBUTES, PUBLIC_LISTS, RECORD_FIELDS
from tunduk.registry.lifecycle import PUBLIC_STATUSES
from tunduk.registry.models import Element, ElementVersion
from tunduk.registry.proposals import element_proposal_numbers

# Only documents that are themselves one of the public fields (the commissioning act,
# field 17) are public; technical documents and decommissioning decisions are not.
PUBLIC_DOCUMENT_KINDS = frozenset(
    field.document_kind for field in RECORD_FIELDS if field.document_kind and field.public
)
# Keys of a version snapshot the public may read (see ``registry.snapshot.take``).
PUBLIC_SNAPSHOT_KEYS = PUBLIC_ATTRIBUTES | PUBLIC_LISTS | {"subject_id", "documents"}


def is_staff(user: Actor) -> bool:
    """The operator and the authorised body see every element."""
    return user.is_authenticated and user.role in (
        Role.OPERATOR,
        Role.AUTHORISED_BODY,
    )


def published() -> Q:
    """Elements the public may see: registered at least once (then never hidden again)."""
    return Q(status__in=PUBLIC_STATUSES)


def public_elements() -> QuerySet[Element]:
    """Elements that are or were registered: the only ones the public may see (the public
    list and its exports show only these, whoever asks)."""
    return Element.objects.filter(published())


def visible_elements(user: Actor) -> QuerySet[Element]:
    """Elements ``user`` may read, in the registry's stable order."""
    elements = Element.objects.select_related("subject").order_by("full_name", "id")
    if is_staff(user):
        return elements
    if user.is_authenticated and user.subject_id:
        return elements.filter(published() | Q(subject_id=user.subject_id))
    return elements.filter(published())


def public_document(document: dict[str, Any]) -> bool:
    """Whether a document (as a snapshot entry) may be shown to the public."""
    return document.get("kind") in PUBLIC_DOCUMENT_KINDS


def public_snapshot(snapshot: dict[str, Any]) -> dict[str, Any]:
    """A version snapshot without the non-public fields and documents."""
    shown = {key: value for key, value in snapshot.items() if key in PUBLIC_SNAPSHOT_KEYS}
    if "documents" in shown:
        shown["documents"] = [doc for doc in shown["documents"] or [] if public_document(doc)]
    return shown


def public_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """A version diff without the non-public fields and documents."""
    shown = {key: value for key, value in changes.items() if key in PUBLIC_SNAPSHOT_KEYS}
    if "documents" in shown:
        shown["documents"] = {
            side: [doc for doc in (shown["documents"].get(side) or []) if public_document(doc)]
            for side in ("old", "new")
        }
        if shown["documents"]["old"] == shown["documents"]["new"]:
            del shown["documents"]
    return shown


def can_view_private(user: Actor, element: Element) -> bool:
    """Staff and the subject's own employees see non-public fields; the public does not."""
    if not user.is_authenticated:
        return False
    if user.role in (Role.OPERATOR, Role.AUTHORISED_BODY):
        return True
    return bool(user.role == Role.SUBJECT_EMPLOYEE and user.subject_id == element.subject_id)


def can_read(user: Actor, element: Element) -> bool:
    """Whether ``user`` may know the element exists: registered once, or private to them.

    Any action on an element the user cannot read answers 404, as if it did not exist,
    so that a refusal (403) never confirms another subject's unannounced draft.
    """
    return element.status in PUBLIC_STATUSES or can_view_private(user, element)


def readable_versions(user: Actor, element: Element) -> QuerySet[ElementVersion]:
    """The versions of ``element`` that ``user`` may read, in no particular order.

    Staff and the subject's employees read every version; the public reads the record
    from its first registration on, never the drafts and submissions before it nor the
    states of a proposed change, on the web pages and through the API alike.
    """
    versions = ElementVersion.objects.filter(element=element)
    if can_view_private(user, element):
        return versions
    # A proposed change is not the registered record until accepted (000 §21, §24).
    versions = versions.exclude(number__in=element_proposal_numbers(element))
    first = (
        versions.filter(status=ElementStatus.REGISTERED)
        .order_by("number")
        .values_list("number", flat=True)
        .first()
    )
    return versions.filter(number__gte=first) if first else versions.none()


__all__ = [
    "PUBLIC_DOCUMENT_KINDS",
    "can_read",
    "can_view_private",
    "is_staff",
    "public_changes",
    "public_document",
    "public_elements",
    "public_snapshot",
    "published",
    "readable_versions",
    "visible_elements",
]
