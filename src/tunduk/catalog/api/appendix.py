"""``/api/catalog/services/{id}/appendix-versions``: the history of a service's appendix 1.

Every version of the fields available to other participants and of the endpoints, with
the dates it was in force (003 §2.3); visible to whoever may see the service.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema

from tunduk.api.auth import token_optional
from tunduk.api.errors import responses
from tunduk.api.lookups import get_or_404
from tunduk.api.types import PathId
from tunduk.catalog.api.services import router
from tunduk.catalog.models import AppendixVersion
from tunduk.catalog.visibility import public_services


class AppendixFieldOut(Schema):
    name: str
    description: str
    personal_data: bool


class AppendixEndpointOut(Schema):
    method: str
    path: str
    summary: str


class AppendixVersionOut(Schema):
    """One version of a service's appendix 1 (003 §2.3); ``valid_to`` is null while in force."""

    service: int
    number: int
    valid_from: datetime
    valid_to: datetime | None
    current: bool = Field(description="Whether this version is in force now.")
    shared_fields: list[AppendixFieldOut]
    endpoints: list[AppendixEndpointOut]


def appendix_version_out(version: AppendixVersion) -> dict[str, Any]:
    return {
        "service": version.service_id,
        "number": version.number,
        "valid_from": version.valid_from,
        "valid_to": version.valid_to,
        "current": version.is_current,
        "shared_fields": version.shared_fields,
        "endpoints": version.endpoints,
    }


@router.get(
    "/{service_id}/appendix-versions",
    response=responses({200: list[AppendixVersionOut]}),
    auth=token_optional,
    summary="List a service's appendix versions",
)
def list_appendix_versions(request: HttpRequest, service_id: PathId) -> list[dict[str, Any]]:
    """Every version of the service's shared fields and endpoints, newest first."""
    found = get_or_404(public_services(), service_id)
    return [appendix_version_out(v) for v in found.appendix_versions.order_by("-number")]


@router.get(
    "/{service_id}/appendix-versions/{number}",
    response=responses({200: AppendixVersionOut}),
    auth=token_optional,
    summary="Get one appendix version",
)
def get_appendix_version(
    request: HttpRequest, service_id: PathId, number: PathId
) -> dict[str, Any]:
    """One version of the service's appendix, current or earlier, with its dates."""
    found = get_or_404(public_services(), service_id)
    version = found.appendix_versions.filter(number=number).first()
    if version is None:
        raise Http404(_("There is no such appendix version."))
    return appendix_version_out(version)
