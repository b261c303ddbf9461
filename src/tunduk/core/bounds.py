"""Request bodies are bounded before they are read (issue 7 finding 5).

``RequestBoundsMiddleware`` refuses a body over its limit by its ``Content-Length``
alone, refuses a chunked body (whose length is unknown until it has been read), and
parses a form body inside its own guard, so the errors Django raises for too much data
(``RequestDataTooBig``, ``TooManyFieldsSent``, ``TooManyFilesSent``) answer 413 instead
of a bare 400 page or a 500. The API answers with its standard error body, the pages
with a translated page. The limits themselves are in ``tunduk.limits``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from tunduk import limits
from tunduk.core.http import error_body

API_PREFIX = "/api/"


def body_limit(request: HttpRequest) -> int:
    """The largest body this request may carry: more when it uploads a file."""
    if request.content_type == "multipart/form-data":
        return limits.UPLOAD_REQUEST_BYTES
    return limits.REQUEST_BODY_BYTES


def declared_length(request: HttpRequest) -> int:
    """The body's size as the client declared it; 0 when absent or not a number."""
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def is_chunked(request: HttpRequest) -> bool:
    """Whether the body comes in chunks of a length only known once it is all read."""
    encoding = str(request.META.get("HTTP_TRANSFER_ENCODING", ""))
    return bool(encoding.strip()) and not request.META.get("CONTENT_LENGTH")


def too_large_message(limit: int) -> str:
    """The translated refusal of a body over ``limit`` bytes."""
    return _(
        "The request is too large: at most %(limit)d bytes (%(mb)s MB) may be sent at once."
    ) % {"limit": limit, "mb": f"{limit / limits.MIB:g}"}


def refusal(
    request: HttpRequest, status: int, code: str, message: str, **detail: int
) -> HttpResponse:
    """The API's standard error body, or a translated page for the web."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse(error_body(code, message, "", **detail), status=status)
    context = {"status": status, "message": message}
    return render(request, "core/request_refused.html", context, status=status)


class RequestBoundsMiddleware:
    """Refuse bodies over their limit with 413 and chunked bodies with 411, unread."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.check(request) or self.get_response(request)

    def check(self, request: HttpRequest) -> HttpResponse | None:
        """A refusal if the body is too large or of unknown length; ``None`` to go on."""
        limit = body_limit(request)
        if is_chunked(request):
            # Under WSGI Django reads exactly Content-Length bytes, so a chunked body
            # would silently arrive empty; say so instead of acting on nothing.
            return refusal(
                request,
                411,
                "length_required",
                _("Send the request body with a Content-Length header, not in chunks."),
            )
        if declared_length(request) > limit:
            return refusal(request, 413, "request_too_large", too_large_message(limit), limit=limit)
        if request.method == "POST":
            return self.parse_form(request, limit)
        return None

    def parse_form(self, request: HttpRequest, limit: int) -> HttpResponse | None:
        """Parse a form body now, inside this guard: Django's own limits raise while parsing."""
        try:
            request.POST  # noqa: B018  # reading it parses the body
            request.FILES  # noqa: B018  # reading it parses the files
        except TooManyFieldsSent:
            message = _("The form has too many fields: at most %(limit)d may be sent at once.")
            count = limits.REQUEST_FIELDS
        except TooManyFilesSent:
            message = _("The form has too many files: at most %(limit)d may be sent at once.")
            count = limits.REQUEST_FILES
        except RequestDataTooBig:
            return refusal(request, 413, "request_too_large", too_large_message(limit), limit=limit)
        else:
            return None
        return refusal(request, 413, "request_too_large", message % {"limit": count}, limit=count)
