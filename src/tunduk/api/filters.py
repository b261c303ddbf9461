"""The base of every list's filter: one class per list, read by the API and the pages alike.

A list's filter is a ``ListFilter``: its fields are the query parameters (django-ninja reads
them with ``Query[...]``; a page builds the same class from its validated form). ``q``
searches ``search_fields``; every other parameter that is set narrows the list by its
lookup in ``lookups`` (the field of the same name when it has none).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar, TypeVar

from django.db.models import Model, Q, QuerySet
from ninja import Schema

M = TypeVar("M", bound=Model)

__all__ = ["ListFilter", "search"]


def search(queryset: QuerySet[M], fields: Iterable[str], text: str | None) -> QuerySet[M]:
    """The rows where any of ``fields`` contains ``text`` (case and surrounding spaces ignored)."""
    text = (text or "").strip()
    if not text:
        return queryset
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": text})
    return queryset.filter(condition)


class ListFilter(Schema):
    """Query parameters of a list and what each one matches."""

    search_fields: ClassVar[tuple[str, ...]] = ()  # what ``q`` searches
    lookups: ClassVar[Mapping[str, str]] = {}  # parameter -> ORM lookup, when named otherwise

    def apply(self, queryset: QuerySet[M]) -> QuerySet[M]:
        """``queryset`` narrowed by every parameter that was sent (an empty one is ignored)."""
        for name, value in self.model_dump(exclude_none=True).items():
            if name == "q":
                queryset = search(queryset, self.search_fields, value)
            elif value or isinstance(value, bool):
                queryset = queryset.filter(**{self.lookups.get(name, name): value})
        return queryset
