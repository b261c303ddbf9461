"""Lists never answer a page number with 404: ``?page=abc`` is page 1 and a page out of range
the last one, as Django's ``Paginator.get_page`` does for the views that paginate by hand."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import Model
from django.views.generic import ListView

if TYPE_CHECKING:
    from django.core.paginator import _SupportsPagination

M = TypeVar("M", bound=Model)


class ForgivingPaginationMixin(ListView[M]):
    """A list view whose page parameter, when not a valid page number, shows page 1 or the last."""

    def paginate_queryset(
        self, queryset: _SupportsPagination[M], page_size: int
    ) -> tuple[Paginator[Any], Page[Any], _SupportsPagination[M], bool]:
        paginator = self.get_paginator(
            queryset,
            page_size,
            orphans=self.get_paginate_orphans(),
            allow_empty_first_page=self.get_allow_empty(),
        )
        requested = self.kwargs.get(self.page_kwarg) or self.request.GET.get(self.page_kwarg)
        page = paginator.get_page(requested)
        return paginator, page, page.object_list, page.has_other_pages()
