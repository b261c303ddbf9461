"""Serving the signed global configuration and its anchor to gateways."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from tunduk import globalconf as gc
from tunduk.catalog.configuration import anchor, latest_signed, publish_configuration


@require_GET
def configuration(request: HttpRequest) -> HttpResponse:
    """The newest signed configuration (JSON envelope: document, signature, certificate)."""
    signed = latest_signed()
    if signed is None:
        publish_configuration()
        signed = latest_signed()
    if signed is None:
        raise Http404("no configuration has been published")
    response = HttpResponse(signed.to_bytes(), content_type=gc.MEDIA_TYPE)
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def configuration_anchor(request: HttpRequest) -> HttpResponse:
    """The configuration anchor: the signer certificates a gateway should trust."""
    return HttpResponse(anchor().to_bytes(), content_type="application/json")
