"""One filter per Registry list: the pages, the exports and the API search the same fields.

``ElementFilter`` is the query of ``GET /api/elements`` and of the public list and its
exports (``forms.filters.ElementFilterForm`` renders and validates the same parameters,
then builds an ``ElementFilter``): ``q`` covers the same fields in both, the subject's
names included. ``SubjectFilter`` is the query of ``GET /api/subjects``. A search is
folded (case, ``ё``/``е``, spaces) and covers both languages' names (docs/search.md).
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet

from tunduk.api.filters import ListFilter
from tunduk.api.types import ObjectId, SearchText
from tunduk.core.search import fold
from tunduk.registry.choices import ElementStatus, ElementType, SubjectKind
from tunduk.registry.models import Element
from tunduk.registry.search import SUBJECT_SEARCH_FIELDS, element_condition

# The orderings of the element list; the API lists by name, the first of them.
ORDERINGS = {
    "name": ("full_name", "id"),
    "-name": ("-full_name", "-id"),
    "code": ("registration_code",),
    "-code": ("-registration_code",),
    "registered": ("registered_at", "id"),
    "-registered": ("-registered_at", "-id"),
}

__all__ = ["ORDERINGS", "ElementFilter", "SubjectFilter"]

M = TypeVar("M", bound=Model)


class ElementFilter(ListFilter):
    """Search and filters of the element list: ``q``, ``type``, ``status``, ``subject``."""

    lookups = {"type": "element_type", "subject": "subject_id"}

    q: SearchText | None = None
    type: ElementType | None = None
    status: ElementStatus | None = None
    subject: ObjectId | None = None

    def search(self, queryset: QuerySet[M], text: str) -> QuerySet[M]:
        """Elements whose names or code, or whose subject's names, contain ``text``."""
        needle = fold(text)
        return queryset.filter(element_condition(needle)) if needle else queryset

    def ordered(self, queryset: QuerySet[Element], ordering: str = "name") -> QuerySet[Element]:
        """The matching elements in ``ordering`` (a key of ``ORDERINGS``)."""
        return self.apply(queryset).order_by(*ORDERINGS[ordering])


class SubjectFilter(ListFilter):
    """Search and filter of the subject list: ``q`` (either full name or short) and ``kind``."""

    search_fields = SUBJECT_SEARCH_FIELDS

    q: SearchText | None = None
    kind: SubjectKind | None = None
