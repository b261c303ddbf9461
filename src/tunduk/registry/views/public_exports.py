"""Open data: the public list as CSV and JSON (001 art. 12.4), and document downloads.

The exports stream rows from a server-side iterator so 100,000 elements never sit in
memory at once; lists of fields 9–11 are prefetched per chunk, never per row.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.views import View

from tunduk.registry.fields import PUBLIC_LISTS, RECORD_FIELDS
from tunduk.registry.forms import ElementFilterForm
from tunduk.registry.forms.filters import public_elements
from tunduk.registry.models import (
    Document,
    Element,
    InformationResource,
    Interaction,
    ProvidedService,
)
from tunduk.registry.permissions import can_view_private

CHUNK_SIZE = 2000
EXPORT_ATTRIBUTES = tuple(
    attribute for field in RECORD_FIELDS if field.public for attribute in field.attributes
)
# The list models of the public fields 9–11 and the column that names each row.
EXPORT_LISTS = {
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
    *EXPORT_ATTRIBUTES,
    *EXPORT_LISTS,
    "registered_at",
    "decommissioned_at",
)


def export_queryset(request: HttpRequest) -> QuerySet[Element]:
    """The public list with the request's filters, only public columns, lists prefetched."""
    columns = (
        "id",
        "registration_code",
        "status",
        "registered_at",
        "decommissioned_at",
        "subject__name",
        *EXPORT_ATTRIBUTES,
    )
    prefetches = [
        Prefetch(name, queryset=model.objects.only("id", "element", "position", column))
        for name, (model, column) in EXPORT_LISTS.items()
    ]
    queryset = public_elements().select_related("subject").only(*columns)
    return ElementFilterForm(request.GET).filter(queryset).prefetch_related(*prefetches)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def export_rows(request: HttpRequest) -> Iterator[dict[str, Any]]:
    """One dict per element with the keys of ``EXPORT_KEYS``, in that order."""
    for element in export_queryset(request).iterator(chunk_size=CHUNK_SIZE):
        row: dict[str, Any] = {
            "id": element.pk,
            "registration_code": element.registration_code,
            "status": element.status,
            "subject": element.subject.name,
        }
        for attribute in EXPORT_ATTRIBUTES:
            row[attribute] = getattr(element, attribute)
        for name, (_model, column) in EXPORT_LISTS.items():
            row[name] = [getattr(item, column) for item in getattr(element, name).all()]
        row["registered_at"] = _plain(element.registered_at)
        row["decommissioned_at"] = _plain(element.decommissioned_at)
        yield row


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
        for row in export_rows(request):
            yield writer.writerow(
                [
                    "; ".join(value)
                    if isinstance(value, list)
                    else ("" if value is None else value)
                    for value in row.values()
                ]
            )


class ElementExportJsonView(View):
    """Public fields of every listed element as a JSON array of objects with stable keys."""

    def get(self, request: HttpRequest) -> StreamingHttpResponse:
        response = StreamingHttpResponse(self.chunks(request), content_type="application/json")
        response["Content-Disposition"] = 'inline; filename="tunduk-registry-elements.json"'
        return response

    @staticmethod
    def chunks(request: HttpRequest) -> Iterator[str]:
        yield "["
        separator = "\n"
        for row in export_rows(request):
            yield separator + json.dumps(row, ensure_ascii=False)
            separator = ",\n"
        yield "\n]\n"


class DocumentDownloadView(View):
    """An attached file, for the element's own subject and staff only; 404 for anyone else."""

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        document = get_object_or_404(Document.objects.select_related("element"), pk=pk)
        if not can_view_private(request.user, document.element):
            raise Http404
        return FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.original_name or f"document-{document.pk}",
            content_type=document.content_type or "application/octet-stream",
        )
