"""Lists never answer a page number with 404: ``?page=abc`` is page 1 and ``?page=999`` the
last page, as Django's ``Paginator.get_page`` does for the views that paginate by hand."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import Model
from django.db.models.query import QuerySet
from django.views.generic.list import MultipleObjectMixin

M = TypeVar("M", bound=Model)


class ForgivingPaginationMixin(MultipleObjectMixin[M]):
    """A list view whose page parameter, when not a valid page number, shows page 1 or the last."""

    def paginate_queryset(
        self, queryset: QuerySet[M], page_size: int
    ) -> tuple[Paginator, Page, QuerySet[M], bool]:
        paginator = self.get_paginator(
            queryset,
            page_size,
            orphans=self.get_paginate_orphans(),
            allow_empty_first_page=self.get_allow_empty(),
        )
        requested: Any = self.kwargs.get(self.page_kwarg) or self.request.GET.get(self.page_kwarg)
        page = paginator.get_page(requested)
        return paginator, page, page.object_list, page.has_other_pages()
