"""Serving the signed global configuration, its anchor and the CA's CRL (all public), and
taking the gateways' signed status reports."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from tunduk import globalconf as gc
from tunduk.catalog.configuration import anchor, latest_signed, publish_configuration
from tunduk.catalog.models import ConfigurationVersion
from tunduk.catalog.revocation import CRL_MEDIA_TYPE, current_crl
from tunduk.catalog.services.status_reports import (
    SIGNATURE_HEADER,
    StatusReportRefused,
    accept_status_report,
    check_report_size,
)
from tunduk.core.bounds import declared_length
from tunduk.core.http import error_body

# How many published versions the readable page lists, newest first.
HISTORY_LENGTH = 50


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """The readable page: the newest configuration's content and the version history, beside
    the signed download that gateways fetch (issue 11, item 14)."""
    versions = list(
        ConfigurationVersion.objects.defer("document", "signature", "signer_certificate_pem")[
            :HISTORY_LENGTH
        ]
    )
    newest = ConfigurationVersion.objects.order_by("-version").first()
    content = gc.decode(bytes(newest.document)) if newest is not None else None
    context = {"versions": versions, "newest": newest, "content": content}
    return render(request, "catalog/globalconf_overview.html", context)


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


@csrf_exempt  # a gateway, not a browser: the request is authenticated by its signature
@require_POST
def gateway_status_report(request: HttpRequest) -> HttpResponse:
    """A gateway's signed status report (docs/catalog.md): 204 when stored, else a JSON error."""
    try:
        check_report_size(declared_length(request))  # before the body is read
        header = request.headers.get(SIGNATURE_HEADER)
        accept_status_report(request.body, header)
    except StatusReportRefused as refused:
        body = error_body(refused.code, refused.message, refused.field)
        return JsonResponse(body, status=refused.status)
    return HttpResponse(status=204)
