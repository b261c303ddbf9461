"""Open data: the public list as CSV and JSON (001 art. 12.4), and document downloads.

The exports stream rows from a server-side iterator so 100,000 elements never sit in
memory at once; lists of fields 9–11 are prefetched per chunk, never per row.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.views import View

from tunduk.core.filetypes import document_response
from tunduk.core.spreadsheet import safe_cell
from tunduk.registry.fields import PUBLIC_LISTS, RECORD_FIELDS
from tunduk.registry.forms import ElementFilterForm
from tunduk.registry.models import (
    Document,
    Element,
    ElementListItem,
    InformationResource,
    Interaction,
    ProvidedService,
)
from tunduk.registry.visibility import can_view_private, public_elements

CHUNK_SIZE = 2000
EXPORT_ATTRIBUTES = tuple(
    attribute for field in RECORD_FIELDS if field.public for attribute in field.attributes
)
# The list models of the public fields 9–11 and the column that names each row.
EXPORT_LISTS: dict[str, tuple[type[ElementListItem], str]] = {
    "resources": (InformationResource, "full_name"),
    "interactions": (Interaction, "resource_name"),
    "services": (ProvidedService, "name"),
}
assert set(EXPORT_LISTS) == set(PUBLIC_LISTS), "every public list is exported"
EXPORT_KEYS = (
    "id",
    "registration_code",
    "status",
    "subject",
    "subject_ru",
    *EXPORT_ATTRIBUTES,
    *EXPORT_LISTS,
    "registered_at",
    "decommissioned_at",
)


# Columns read for each element, in the order of ``EXPORT_KEYS`` before the lists.
# Names are exported in both languages: ``full_name``/``subject`` in Kyrgyz, ``*_ru`` in Russian.
SCALAR_COLUMNS = (
    "id",
    "registration_code",
    "status",
    "subject__name",
    "subject__name_ru",
    *EXPORT_ATTRIBUTES,
)
SCALAR_KEYS = ("id", "registration_code", "status", "subject", "subject_ru", *EXPORT_ATTRIBUTES)


def export_queryset(request: HttpRequest) -> QuerySet[Element]:
    """The public list with the request's filters and ordering."""
    return ElementFilterForm(request.GET).filter(public_elements())


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def export_rows(request: HttpRequest) -> Iterator[dict[str, Any]]:
    """One dict per element with the keys of ``EXPORT_KEYS``, in that order.

    Plain tuples rather than model instances, and the lists of a whole chunk in one
    query per list: the cost per row stays a few microseconds on 100,000 rows.
    """
    rows = export_queryset(request).values_list(
        *SCALAR_COLUMNS, "registered_at", "decommissioned_at"
    )
    chunk: list[tuple[Any, ...]] = []
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        chunk.append(row)
        if len(chunk) == CHUNK_SIZE:
            yield from _with_lists(chunk)
            chunk = []
    if chunk:
        yield from _with_lists(chunk)


def _with_lists(chunk: list[tuple[Any, ...]]) -> Iterator[dict[str, Any]]:
    ids = [row[0] for row in chunk]
    lists: dict[str, dict[int, list[str]]] = {}
    for name, (model, column) in EXPORT_LISTS.items():
        by_element: dict[int, list[str]] = defaultdict(list)
        items = (
            model.objects.filter(element_id__in=ids)
            .order_by("element_id", "position", "id")
            .values_list("element_id", column)
        )
        for element_id, value in items:
            by_element[element_id].append(value)
        lists[name] = by_element
    width = len(SCALAR_KEYS)
    for row in chunk:
        item = dict(zip(SCALAR_KEYS, row[:width], strict=True))
        for name in EXPORT_LISTS:
            item[name] = lists[name].get(row[0], [])
        item["registered_at"] = _plain(row[width])
        item["decommissioned_at"] = _plain(row[width + 1])
        yield item


def _batched(parts: Iterator[str], size: int = 500) -> Iterator[str]:
    """Join parts into fewer, larger chunks: one write per row would dominate the time."""
    buffer: list[str] = []
    for part in parts:
        buffer.append(part)
        if len(buffer) == size:
            yield "".join(buffer)
            buffer = []
    if buffer:
        yield "".join(buffer)


class _Echo:
    """A file-like object whose ``write`` returns the line, for streaming ``csv.writer``."""

    def write(self, value: str) -> str:
        return value


class ElementExportCsvView(View):
    """Public fields of every listed element as CSV, with a BOM so Excel reads UTF-8."""

    def get(self, request: HttpRequest) -> StreamingHttpResponse:
        response = StreamingHttpResponse(
            self.lines(request), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="tunduk-registry-elements.csv"'
        return response

    @staticmethod
    def lines(request: HttpRequest) -> Iterator[str]:
        writer = csv.writer(_Echo())
        yield "\ufeff" + writer.writerow(EXPORT_KEYS)
        rows = (
            writer.writerow(
                [
                    safe_cell(
                        "; ".join(value)
                        if isinstance(value, list)
                        else ("" if value is None else value)
                    )
                    for value in row.values()
                ]
            )
            for row in export_rows(request)
        )
        yield from _batched(rows)


class ElementExportJsonView(View):
    """Public fields of every listed element as a JSON array of objects with stable keys."""

    def get(self, request: HttpRequest) -> StreamingHttpResponse:
        response = StreamingHttpResponse(self.chunks(request), content_type="application/json")
        response["Content-Disposition"] = 'inline; filename="tunduk-registry-elements.json"'
        return response

    @staticmethod
    def chunks(request: HttpRequest) -> Iterator[str]:
        yield "["
        items = (
            ("\n" if index == 0 else ",\n") + json.dumps(row, ensure_ascii=False)
            for index, row in enumerate(export_rows(request))
        )
        yield from _batched(items)
        yield "\n]\n"


class DocumentDownloadView(View):
    """An attached file, for the element's own subject and staff only; 404 for anyone else."""

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        document = get_object_or_404(Document.objects.select_related("element"), pk=pk)
        if not can_view_private(request.user, document.element):
            raise Http404
        return document_response(
            document.file.open("rb"), document.original_name or f"document-{document.pk}"
        )
