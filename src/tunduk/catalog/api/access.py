"""``/api/catalog/access-requests`` and ``/api/catalog/grants``: who may call which service.

Any participant may ask for access to any service (004, multilateral); the owner answers
for access to its services (003 §3.2.8) by deciding requests, granting and revoking.
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
from tunduk.catalog.api.presenters import access_request_out, grant_out
from tunduk.catalog.api.schemas import (
    AccessDecisionIn,
    AccessRequestIn,
    AccessRequestOut,
    GrantIn,
    GrantOut,
    RevokeIn,
)
from tunduk.catalog.filters import AccessRequestFilter, GrantFilter
from tunduk.catalog.models import Endpoint, Group, Service, Subsystem
from tunduk.catalog.services import access as services
from tunduk.catalog.visibility import visible_access_requests, visible_grants

requests_router = Router(tags=["catalog: access requests"], auth=token_required)
grants_router = Router(tags=["catalog: grants"], auth=token_required)


def _services() -> Any:
    return Service.objects.select_related("subsystem__participant")


@requests_router.get(
    "", response=responses({200: list[AccessRequestOut]}), summary="List access requests"
)
@paginate(PagePagination)
def list_access_requests(request: HttpRequest, filters: Query[AccessRequestFilter]) -> Paged:
    """Requests the caller's participant made or must decide, newest first (all for the operator)."""
    found = filters.apply(visible_access_requests(actor(request)))
    return Paged(found, access_request_out)


@requests_router.post(
    "", response=responses({201: AccessRequestOut}), summary="Request access to a service"
)
def request_access(request: HttpRequest, payload: AccessRequestIn) -> Status[dict[str, Any]]:
    """A subsystem asks the owner for access to a service or one endpoint; a suspended or
    disconnected participant is refused (003 §4)."""
    client = referenced(Subsystem.objects.select_related("participant"), payload.client, "client")
    service = referenced(_services(), payload.service, "service")
    endpoint = optional_reference(Endpoint.objects.all(), payload.endpoint, "endpoint")
    created = services.request_access(actor(request), client, service, payload.purpose, endpoint)
    return Status(
        201, access_request_out(visible_access_requests(actor(request)).get(pk=created.pk))
    )


@requests_router.post(
    "/{access_request_id}/decision",
    response=responses({200: AccessRequestOut}),
    summary="Decide an access request",
)
def decide(
    request: HttpRequest, access_request_id: PathId, payload: AccessDecisionIn
) -> dict[str, Any]:
    """The service owner grants (a grant is created) or refuses, with a comment (003 §3.2.8)."""
    found = get_or_404(visible_access_requests(actor(request)), access_request_id)
    decided = services.decide_access(
        actor(request), found, grant=payload.grant, comment=payload.comment
    )
    return access_request_out(visible_access_requests(actor(request)).get(pk=decided.pk))


@grants_router.get("", response=responses({200: list[GrantOut]}), summary="List grants")
@paginate(PagePagination)
def list_grants(request: HttpRequest, filters: Query[GrantFilter]) -> Paged:
    """Grants of the caller's services and to its subsystems or groups, newest first;
    ``active=true`` leaves out revoked ones."""
    found = filters.apply(visible_grants(actor(request)))
    return Paged(found, grant_out)


@grants_router.post("", response=responses({201: GrantOut}), summary="Grant access")
def grant_access(request: HttpRequest, payload: GrantIn) -> Status[dict[str, Any]]:
    """The owner grants one subsystem (``client``) or one ``group`` access to its service,
    or to one ``endpoint`` of it, without a request."""
    service = referenced(_services(), payload.service, "service")
    client = optional_reference(
        Subsystem.objects.select_related("participant"), payload.client, "client"
    )
    group = optional_reference(Group.objects.all(), payload.group, "group")
    endpoint = optional_reference(Endpoint.objects.all(), payload.endpoint, "endpoint")
    created = services.grant_access(
        actor(request), service, client=client, group=group, endpoint=endpoint
    )
    return Status(201, grant_out(visible_grants(actor(request)).get(pk=created.pk)))


@grants_router.post(
    "/{grant_id}/revoke", response=responses({200: GrantOut}), summary="Revoke a grant"
)
def revoke(request: HttpRequest, grant_id: PathId, payload: RevokeIn) -> dict[str, Any]:
    """The owner revokes a grant; it stays listed with the reason."""
    found = get_or_404(visible_grants(actor(request)), grant_id)
    revoked = services.revoke_grant(actor(request), found, payload.reason)
    return grant_out(visible_grants(actor(request)).get(pk=revoked.pk))
