"""``/api/catalog/services``: REST services, their endpoints and shared fields (003 §3.2.2, appendix 1)."""

import json
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from tunduk.api.auth import token_optional, token_required
from tunduk.api.errors import responses
from tunduk.api.lookups import actor, get_or_404
from tunduk.api.pagination import Paged, PagePagination
from tunduk.api.types import PathId
from tunduk.catalog.api.lookups import referenced
from tunduk.catalog.api.presenters import service_out, service_summary
from tunduk.catalog.api.schemas import (
    ServiceFieldsIn,
    ServiceIn,
    ServiceOut,
    ServiceSummaryOut,
    ServiceUpdateIn,
)
from tunduk.catalog.filters import ServiceFilter
from tunduk.catalog.models import Service, Subsystem
from tunduk.catalog.services import systems as services
from tunduk.catalog.services._common import require_member_of
from tunduk.catalog.visibility import public_services
from tunduk.core.errors import InvalidInput

router = Router(tags=["catalog: services"])


def _document_text(document: str | dict[str, Any] | None) -> str | None:
    """The document as text for the service's parser: an object is sent on as JSON."""
    if document is None or isinstance(document, str):
        return document or None
    return json.dumps(document, ensure_ascii=False)


def _save(
    request: HttpRequest, subsystem: Subsystem, service_code: str, payload: ServiceFieldsIn
) -> dict[str, Any]:
    saved = services.save_service(
        actor(request),
        subsystem,
        service_code=service_code,
        title=payload.title,
        title_ru=payload.title_ru,
        backend_url=payload.backend_url,
        openapi_text=_document_text(payload.openapi_document),
        shared_fields=[row.model_dump() for row in payload.shared_fields],
        description=payload.description,
    )
    return service_out(public_services().get(pk=saved.pk), actor(request))


@router.get(
    "",
    response=responses({200: list[ServiceSummaryOut]}),
    auth=token_optional,
    summary="List services",
)
@paginate(PagePagination)
def list_services(request: HttpRequest, filters: Query[ServiceFilter]) -> Paged:
    """Services by identifier with their shared fields and endpoints; ``q`` searches the
    titles in both languages, the description and the service code (folded)."""
    found = filters.apply(public_services())
    return Paged(found, service_summary)


@router.get(
    "/{service_id}",
    response=responses({200: ServiceOut}),
    auth=token_optional,
    summary="Get a service",
)
def get_service(request: HttpRequest, service_id: PathId) -> dict[str, Any]:
    """One service; the backend URL and OpenAPI document only for its owner and the operator."""
    return service_out(get_or_404(public_services(), service_id), actor(request))


@router.post(
    "",
    response=responses({201: ServiceOut}),
    auth=token_required,
    summary="Describe a service",
)
def create_service(request: HttpRequest, payload: ServiceIn) -> Status[dict[str, Any]]:
    """The owner describes a new service of its subsystem: the OpenAPI document gives the
    endpoints, ``shared_fields`` the fields available to others (003 appendix 1)."""
    subsystem = referenced(
        Subsystem.objects.select_related("participant"), payload.subsystem, "subsystem"
    )
    require_member_of(actor(request), subsystem.participant, action="save_service")
    existing = subsystem.services.filter(service_code=payload.service_code).first()
    if existing is not None:
        raise InvalidInput(
            _(
                "The service code %(code)s is already used by this subsystem; "
                "change that service with PUT /api/catalog/services/%(id)d."
            )
            % {"code": payload.service_code, "id": existing.pk},
            field="service_code",
        )
    return Status(201, _save(request, subsystem, payload.service_code, payload))


@router.put(
    "/{service_id}",
    response=responses({200: ServiceOut}),
    auth=token_required,
    summary="Change a service",
)
def update_service(
    request: HttpRequest, service_id: PathId, payload: ServiceUpdateIn
) -> dict[str, Any]:
    """Replace the service's description, document and shared fields; endpoints follow the
    document (endpoints that carry grants are kept)."""
    found = get_or_404(Service.objects.select_related("subsystem__participant"), service_id)
    return _save(request, found.subsystem, found.service_code, payload)
