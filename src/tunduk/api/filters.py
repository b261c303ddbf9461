"""The base of every list's filter: one class per list, read by the API and the pages alike.

A list's filter is a ``ListFilter``: its fields are the query parameters (django-ninja reads
them with ``Query[...]``; a page builds the same class from its validated form). ``q``
searches ``search_fields``; every other parameter that is set narrows the list by its
lookup in ``lookups`` (the field of the same name when it has none).

A search is folded (``core.search.fold``: case, ``ё``/``е`` and spaces ignored) on both
engines; a list with a stored search column overrides ``ListFilter.search``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar, TypeVar

from django.db.models import Model, Q, QuerySet
from ninja import Schema

from tunduk.core.search import Folded, fold

M = TypeVar("M", bound=Model)

__all__ = ["ListFilter", "search"]


def search(queryset: QuerySet[M], fields: Iterable[str], text: str | None) -> QuerySet[M]:
    """The rows where any of ``fields`` contains ``text``, both folded (``core.search``).

    The text is a literal: ``%``, ``_``, quotes and the like match themselves.
    """
    needle = fold(text)
    if not needle:
        return queryset
    folded = {f"search_{index}": Folded(name) for index, name in enumerate(fields)}
    condition = Q()
    for alias in folded:
        condition |= Q(**{f"{alias}__contains": needle})
    matching: QuerySet[M] = queryset.alias(**folded).filter(condition)
    return matching


class ListFilter(Schema):
    """Query parameters of a list and what each one matches."""

    search_fields: ClassVar[tuple[str, ...]] = ()  # what ``q`` searches
    lookups: ClassVar[Mapping[str, str]] = {}  # parameter -> ORM lookup, when named otherwise

    def apply(self, queryset: QuerySet[M]) -> QuerySet[M]:
        """``queryset`` narrowed by every parameter that was sent (an empty one is ignored)."""
        for name, value in self.model_dump(exclude_none=True).items():
            if name == "q":
                queryset = self.search(queryset, value)
            elif value or isinstance(value, bool):
                queryset = queryset.filter(**{self.lookups.get(name, name): value})
        return queryset

    def search(self, queryset: QuerySet[M], text: str) -> QuerySet[M]:
        """The rows ``q`` finds: any of ``search_fields`` contains it, folded."""
        return search(queryset, self.search_fields, text)
