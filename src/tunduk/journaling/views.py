"""Public journal endpoints: the latest checkpoint, the verifier key, entries and proofs."""

from __future__ import annotations

import base64

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tunduk.journal import JournalError
from tunduk.journaling.keys import verifier
from tunduk.journaling.log import registry_log, storage

TEXT = "text/plain; charset=utf-8"


def _b64(items: list[bytes]) -> list[str]:
    return [base64.b64encode(item).decode() for item in items]


def _int(request: HttpRequest, name: str) -> int:
    try:
        value = int(request.GET[name])
    except (KeyError, ValueError):
        raise ValueError(f"query parameter '{name}' must be a whole number") from None
    if value < 0:
        raise ValueError(f"query parameter '{name}' must not be negative")
    return value


@require_GET
def checkpoint(request: HttpRequest) -> HttpResponse:
    """The latest signed checkpoint (C2SP signed note)."""
    latest = storage().latest_checkpoint()
    if latest is None:
        raise Http404("no checkpoint has been published yet")
    return HttpResponse(latest.note, content_type=TEXT)


@require_GET
def checkpoint_timestamp(request: HttpRequest) -> HttpResponse:
    """The RFC 3161 token over the latest checkpoint's body."""
    latest = storage().latest_checkpoint()
    if latest is None or latest.timestamp_token is None:
        raise Http404("the latest checkpoint has no time-stamp")
    return HttpResponse(latest.timestamp_token, content_type="application/timestamp-reply")


@require_GET
def verifier_key(request: HttpRequest) -> HttpResponse:
    """The verifier key to check checkpoints with (name+keyid+base64)."""
    return HttpResponse(verifier().to_key() + "\n", content_type=TEXT)


@require_GET
def entry(request: HttpRequest, index: int) -> HttpResponse:
    """One entry's bytes (canonical JSON with a digest of the row, no private values)."""
    log = registry_log()
    if index >= log.size():
        raise Http404("no such entry")
    return HttpResponse(log.entry(index), content_type="application/json")


@require_GET
def entry_proof(request: HttpRequest, index: int) -> HttpResponse:
    """The entry's C2SP tlog-proof against the latest checkpoint."""
    latest = storage().latest_checkpoint()
    if latest is None or index >= latest.tree_size:
        raise Http404("the entry is not yet covered by a published checkpoint")
    return HttpResponse(registry_log().tlog_proof(index, latest.note), content_type=TEXT)


@require_GET
def entry_proof_page(request: HttpRequest, index: int) -> HttpResponse:
    """The same proof for people: what it shows, its parts, and the raw text for tools."""
    latest = storage().latest_checkpoint()
    if latest is None or index >= latest.tree_size:
        raise Http404("the entry is not yet covered by a published checkpoint")
    text = registry_log().tlog_proof(index, latest.note)
    proof_part, _blank, checkpoint = text.partition("\n\n")
    lines = proof_part.splitlines()
    context = {
        "index": index,
        "tree_size": latest.tree_size,
        "header": lines[0] if lines else "",
        "hashes": [line for line in lines[1:] if not line.startswith("index ")],
        "checkpoint": checkpoint,
    }
    return render(request, "journaling/entry_proof_page.html", context)


@require_GET
def inclusion(request: HttpRequest) -> HttpResponse:
    """``?index=&size=``: an RFC 9162 inclusion proof."""
    try:
        index, size = _int(request, "index"), _int(request, "size")
        proof = registry_log().inclusion_proof(index, size)
    except (ValueError, JournalError) as error:
        return HttpResponseBadRequest(str(error), content_type=TEXT)
    return JsonResponse({"index": index, "tree_size": size, "proof": _b64(proof)})


@require_GET
def consistency(request: HttpRequest) -> HttpResponse:
    """``?from=&to=``: an RFC 9162 consistency proof between two sizes."""
    try:
        first, second = _int(request, "from"), _int(request, "to")
        proof = registry_log().consistency_proof(first, second)
    except (ValueError, JournalError) as error:
        return HttpResponseBadRequest(str(error), content_type=TEXT)
    return JsonResponse({"from": first, "to": second, "proof": _b64(proof)})
