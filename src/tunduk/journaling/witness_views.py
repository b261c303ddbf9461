"""Witness endpoints: witnesses post cosignatures; anyone reads the cosigned checkpoint."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from tunduk.core.bounds import declared_length
from tunduk.core.errors import RuleError
from tunduk.core.http import error_body
from tunduk.journaling.witnessing import accept_cosignature, cosigned_checkpoint

TEXT = "text/plain; charset=utf-8"
# A checkpoint with a hundred signature lines (the C2SP note limit) is under 20 KB.
MAX_COSIGNATURE_BYTES = 32 * 1024


def _error(status: int, code: str, message: str, field: str = "", **detail: Any) -> JsonResponse:
    return JsonResponse(error_body(code, message, field, **detail), status=status)


def _read_bounded(request: HttpRequest) -> bytes | None:
    """The request body, or None when it is (or claims to be) larger than allowed."""
    if declared_length(request) > MAX_COSIGNATURE_BYTES:
        return None
    body = request.read(MAX_COSIGNATURE_BYTES + 1)
    return None if len(body) > MAX_COSIGNATURE_BYTES else body


@csrf_exempt  # called by witness programs with no browser session; the cosignature authenticates
@require_POST
def cosignatures(request: HttpRequest) -> HttpResponse:
    """Accept a configured witness's cosignature on a checkpoint the journal signed."""
    body = _read_bounded(request)
    if body is None:
        message = _("The body is larger than %(limit)d bytes.") % {"limit": MAX_COSIGNATURE_BYTES}
        return _error(413, "too_large", message, "note", limit=MAX_COSIGNATURE_BYTES)
    try:
        note = body.decode("utf-8")
    except UnicodeDecodeError:
        return _error(400, "invalid_input", _("The body is not UTF-8 text."), "note")
    try:
        kept = accept_cosignature(note, ip_address=request.META.get("REMOTE_ADDR"))
    except RuleError as error:
        return _error(error.status_code, error.code, error.message, error.field, **error.detail)
    return JsonResponse(
        {"tree_size": kept[0].tree_size, "witnesses": [row.witness for row in kept]}, status=201
    )


@require_GET
def cosigned(request: HttpRequest) -> HttpResponse:
    """The newest checkpoint with its witnesses' cosignature lines (a C2SP signed note)."""
    note = cosigned_checkpoint()
    if note is None:
        raise Http404("no checkpoint has been cosigned by a configured witness yet")
    return HttpResponse(note, content_type=TEXT)
