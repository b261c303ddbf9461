"""The public applicant's status page: reference number plus secret token (issue 11 item 12).

The link in the applicant's e-mail carries both; the form takes them typed in. Anything
that does not match answers 404 with one message, whether or not the reference exists.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from tunduk.registry.application_status import find_application
from tunduk.registry.models import AccessApplication
from tunduk.workdays.deadlines import Deadline

TEMPLATE = "registry/application_status.html"


def _page(
    request: HttpRequest, application: AccessApplication | None, **extra: Any
) -> HttpResponse:
    context = {"application": application, "deadline": Deadline.APPLICATION_FORWARD, **extra}
    response = render(request, TEMPLATE, context, status=200 if application else 404)
    # The token is in the address: keep it out of other sites' logs and shared caches.
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response


class ApplicationStatusLookupView(View):
    """A form for the reference and the secret code; the answer is the status itself."""

    def get(self, request: HttpRequest) -> HttpResponse:
        response = render(request, TEMPLATE, {"application": None, "lookup": True})
        response["Cache-Control"] = "no-store"
        return response

    def post(self, request: HttpRequest) -> HttpResponse:
        reference = request.POST.get("reference", "")
        application = find_application(reference, request.POST.get("token", ""))
        return _page(request, application, lookup=True, no_match=application is None)


class ApplicationStatusView(View):
    """The status reached through the link sent on submission."""

    def get(self, request: HttpRequest, reference: str, token: str) -> HttpResponse:
        application = find_application(reference, token)
        return _page(request, application, no_match=application is None)
