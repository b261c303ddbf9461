"""``/api/catalog/gateways`` and ``/api/catalog/certificates``: security servers and their
certificates, requested by CSR and issued by the operator (003 §3.2.1).

Private keys never reach the Catalog: a participant sends certificate signing requests.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from tunduk.api.auth import token_required
from tunduk.api.errors import responses
from tunduk.api.lookups import actor, get_or_404
from tunduk.api.pagination import Paged, PagePagination
from tunduk.api.types import PathId
from tunduk.catalog.api.lookups import optional_reference, referenced
from tunduk.catalog.api.presenters import certificate_out, gateway_out
from tunduk.catalog.api.schemas import (
    CertificateIn,
    CertificateOut,
    CertificateRevokeIn,
    GatewayDecisionIn,
    GatewayIn,
    GatewayOut,
    RefuseCertificateIn,
)
from tunduk.catalog.filters import CertificateFilter, GatewayFilter
from tunduk.catalog.models import Certificate, Gateway, Participant
from tunduk.catalog.services import gateways as services
from tunduk.catalog.visibility import visible_certificates, visible_gateways

gateways_router = Router(tags=["catalog: gateways"], auth=token_required)
certificates_router = Router(tags=["catalog: certificates"], auth=token_required)


def _certificate(request: HttpRequest, certificate: Certificate) -> dict[str, Any]:
    return certificate_out(
        Certificate.objects.select_related("participant", "external_ca").get(pk=certificate.pk)
    )


@gateways_router.get("", response=responses({200: list[GatewayOut]}), summary="List gateways")
@paginate(PagePagination)
def list_gateways(request: HttpRequest, filters: Query[GatewayFilter]) -> Paged:
    """Every gateway for the operator; an employee sees its own participant's."""
    found = filters.apply(visible_gateways(actor(request)))
    return Paged(found, gateway_out)


@gateways_router.post("", response=responses({201: GatewayOut}), summary="Register a gateway")
def register_gateway(request: HttpRequest, payload: GatewayIn) -> Status[dict[str, Any]]:
    """A participant registers its gateway with the CSR of its authentication certificate;
    the operator then decides."""
    participant = referenced(Participant.objects.all(), payload.participant, "participant")
    gateway = services.register_gateway(
        actor(request), participant, payload.server_code, payload.address, payload.auth_csr_pem
    )
    return Status(
        201, gateway_out(Gateway.objects.select_related("participant").get(pk=gateway.pk))
    )


@gateways_router.post(
    "/{gateway_id}/decision", response=responses({200: GatewayOut}), summary="Decide a gateway"
)
def decide_gateway(
    request: HttpRequest, gateway_id: PathId, payload: GatewayDecisionIn
) -> dict[str, Any]:
    """The operator approves (issuing the authentication certificate) or refuses, saying why."""
    gateway = get_or_404(visible_gateways(actor(request)), gateway_id)
    decided = services.decide_gateway(
        actor(request), gateway, approve=payload.approve, comment=payload.comment
    )
    return gateway_out(Gateway.objects.select_related("participant").get(pk=decided.pk))


@certificates_router.get(
    "", response=responses({200: list[CertificateOut]}), summary="List certificates"
)
@paginate(PagePagination)
def list_certificates(request: HttpRequest, filters: Query[CertificateFilter]) -> Paged:
    """Certificates newest first: all for the operator, the own participant's for an employee."""
    found = filters.apply(visible_certificates(actor(request)))
    return Paged(found, certificate_out)


@certificates_router.post(
    "", response=responses({201: CertificateOut}), summary="Request a certificate"
)
def request_certificate(request: HttpRequest, payload: CertificateIn) -> Status[dict[str, Any]]:
    """A signing certificate for the participant's information systems, or a new
    authentication certificate for one of its gateways, from a CSR."""
    participant = referenced(Participant.objects.all(), payload.participant, "participant")
    # Another participant's gateway is "no such gateway", not a refusal confirming it exists.
    gateway = optional_reference(visible_gateways(actor(request)), payload.gateway, "gateway")
    certificate = services.request_certificate(
        actor(request), participant, payload.profile, payload.csr_pem, gateway
    )
    return Status(201, _certificate(request, certificate))


@certificates_router.post(
    "/{certificate_id}/issue",
    response=responses({200: CertificateOut}),
    summary="Issue a certificate",
)
def issue(request: HttpRequest, certificate_id: PathId) -> dict[str, Any]:
    """The operator issues the requested certificate from its CSR."""
    certificate = get_or_404(visible_certificates(actor(request)), certificate_id)
    return _certificate(request, services.issue_certificate(actor(request), certificate))


@certificates_router.post(
    "/{certificate_id}/refuse",
    response=responses({200: CertificateOut}),
    summary="Refuse a certificate request",
)
def refuse(
    request: HttpRequest, certificate_id: PathId, payload: RefuseCertificateIn
) -> dict[str, Any]:
    """The operator refuses a request, saying why."""
    certificate = get_or_404(visible_certificates(actor(request)), certificate_id)
    refused = services.refuse_certificate(actor(request), certificate, payload.reason)
    return _certificate(request, refused)


@certificates_router.post(
    "/{certificate_id}/revoke",
    response=responses({200: CertificateOut}),
    summary="Revoke a certificate",
)
def revoke(
    request: HttpRequest, certificate_id: PathId, payload: CertificateRevokeIn
) -> dict[str, Any]:
    """The operator, or the owner's engineers for their own, revoke an issued certificate.

    The CA's CRL lists it at once and the next global configuration names its serial.
    """
    certificate = get_or_404(visible_certificates(actor(request)), certificate_id)
    revoked = services.revoke_certificate(actor(request), certificate, payload.reason, payload.code)
    return _certificate(request, revoked)
