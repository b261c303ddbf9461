"""One definition per list of what its search and filters match: pages, exports and API alike.

``ElementFilter`` is the query of ``GET /api/elements`` (django-ninja reads it from the query
string) and of the public list and its exports (``forms.filters.ElementFilterForm`` renders
and validates the same parameters, then builds an ``ElementFilter``). Searching ``q`` covers
the same fields in both, the subject's names included.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.db.models import Model, Q, QuerySet
from ninja import Schema

from tunduk.api.types import ObjectId, Text
from tunduk.registry.choices import ElementStatus, ElementType, SubjectKind
from tunduk.registry.models import Element, Subject

M = TypeVar("M", bound=Model)

# What ``q`` searches, case-insensitively, anywhere in the text.
ELEMENT_SEARCH = (
    "full_name",
    "short_name",
    "registration_code",
    "subject__name",
    "subject__short_name",
)
SUBJECT_SEARCH = ("name", "short_name")

# The orderings of the element list; the API lists by name, the first of them.
ORDERINGS = {
    "name": ("full_name", "id"),
    "-name": ("-full_name", "-id"),
    "code": ("registration_code",),
    "-code": ("-registration_code",),
    "registered": ("registered_at", "id"),
    "-registered": ("-registered_at", "-id"),
}

__all__ = ["ELEMENT_SEARCH", "ORDERINGS", "ElementFilter", "SubjectFilter", "search"]


def search(queryset: QuerySet[M], fields: Iterable[str], text: str | None) -> QuerySet[M]:
    """The rows where any of ``fields`` contains ``text`` (surrounding spaces ignored)."""
    text = (text or "").strip()
    if not text:
        return queryset
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": text})
    return queryset.filter(condition)


class ElementFilter(Schema):
    """Search and filters of the element list: ``q``, ``type``, ``status``, ``subject``."""

    q: Text | None = None
    type: ElementType | None = None
    status: ElementStatus | None = None
    subject: ObjectId | None = None

    def apply(self, queryset: QuerySet[Element], ordering: str = "name") -> QuerySet[Element]:
        """``queryset`` narrowed to the matching elements, in ``ordering`` (a key of ORDERINGS)."""
        queryset = search(queryset, ELEMENT_SEARCH, self.q)
        if self.type:
            queryset = queryset.filter(element_type=self.type)
        if self.status:
            queryset = queryset.filter(status=self.status)
        if self.subject:
            queryset = queryset.filter(subject_id=self.subject)
        return queryset.order_by(*ORDERINGS[ordering])


class SubjectFilter(Schema):
    """Search and filter of the subject list: ``q`` (full or short name) and ``kind``."""

    q: Text | None = None
    kind: SubjectKind | None = None

    def apply(self, queryset: QuerySet[Subject]) -> QuerySet[Subject]:
        """``queryset`` narrowed to the matching subjects, by name."""
        queryset = search(queryset, SUBJECT_SEARCH, self.q)
        if self.kind:
            queryset = queryset.filter(kind=self.kind)
        return queryset.order_by("name", "id")
