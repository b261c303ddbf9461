"""Page-number pagination: ``?page=&page_size=`` → ``{"count", "page", "page_size", "pages", "items"}``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# Far beyond any real registry; keeps the SQL offset inside a 64-bit integer.
MAX_PAGE = 1_000_000


@dataclass(frozen=True)
class Paged:
    """What a paginated view returns: an ordered queryset and how to present one item."""

    queryset: QuerySet[Any]
    present: Callable[[Any], Any]


class PagePagination(PaginationBase):
    """Pages of a ``Paged`` queryset the view has already put in a stable order.

    Only the requested page is loaded and presented, and the count is one ``COUNT`` query.
    """

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
        page_size: int = Field(
            DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Items per page (≤ 200)."
        )

    class Output(Schema):
        count: int = Field(description="Items on all pages.")
        page: int
        page_size: int
        pages: int = Field(description="Number of pages (0 when there are no items).")
        items: list[Any]

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        if not isinstance(queryset, Paged):
            raise TypeError("A view paginated with PagePagination must return a Paged.")
        count = queryset.queryset.count()
        size = pagination.page_size
        offset = (pagination.page - 1) * size
        return {
            "count": count,
            "page": pagination.page,
            "page_size": size,
            "pages": (count + size - 1) // size,
            "items": [queryset.present(item) for item in queryset.queryset[offset : offset + size]],
        }
