"""The error pages of production (403, 404, 500, a refused CSRF check, 400) in the site's
layout and the visitor's language, instead of Django's bare English ones.

Wired in ``tunduk.urls`` (``handler400/403/404/500``) and ``CSRF_FAILURE_VIEW``. The 500 page
renders without the request's context processors: whatever failed (the database, the
session) must not fail the error page too.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400: the request could not be understood."""
    return render(request, "errors/400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403 from a ``PermissionDenied`` raised anywhere: the shared page, with its reason."""
    reason = str(exception) if exception is not None and str(exception) else ""
    return render(
        request,
        "forbidden.html",
        {"reason": reason or _("You do not have permission to see this page.")},
        status=403,
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404: nothing at this address (the address is not repeated, it may carry anything)."""
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500: our fault; rendered with a bare context so that it cannot fail in turn."""
    html = loader.get_template("errors/500.html").render(
        {"request": request, "csrf_token": get_token(request)}
    )
    return HttpResponse(html, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 when a form's CSRF check fails (an old page, cookies off, or a forged form)."""
    return render(request, "errors/csrf.html", status=403)
