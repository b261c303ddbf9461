"""The public history of a service's appendix 1: every version of its shared fields and
endpoints with the dates it was in force (003 §2.3)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views import View

from tunduk.catalog.models import Service
from tunduk.catalog.visibility import listed_services


def _service(pk: int) -> Service:
    return get_object_or_404(listed_services().select_related("subsystem__participant"), pk=pk)


class AppendixHistoryView(View):
    """Every version of the service's appendix, newest first, each with its dates."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        service = _service(pk)
        versions = service.appendix_versions.order_by("-number")
        context = {"service": service, "versions": versions}
        return render(request, "catalog/appendix_history.html", context)


class AppendixVersionView(View):
    """One version of the appendix: the fields and endpoints it listed, and its dates."""

    def get(self, request: HttpRequest, pk: int, number: int) -> HttpResponse:
        service = _service(pk)
        version = service.appendix_versions.filter(number=number).first()
        if version is None:
            raise Http404(_("There is no such appendix version."))
        context = {"service": service, "version": version}
        return render(request, "catalog/appendix_version.html", context)
