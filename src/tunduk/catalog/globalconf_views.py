"""Serving the signed global configuration, its anchor and the CA's CRL (all public)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from tunduk import globalconf as gc
from tunduk.catalog.configuration import anchor, latest_signed, publish_configuration
from tunduk.catalog.revocation import CRL_MEDIA_TYPE, current_crl


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


@require_GET
def certificate_revocation_list(request: HttpRequest) -> HttpResponse:
    """The issuing CA's newest CRL (DER), the ``crl_url`` of the configuration's CA entry."""
    crl = current_crl()
    response = HttpResponse(bytes(crl.der), content_type=CRL_MEDIA_TYPE)
    # Relying parties may keep it until nextUpdate, but should look for a newer one sooner.
    response["Cache-Control"] = "no-cache"
    response["Content-Disposition"] = 'inline; filename="ca.crl"'
    return response
