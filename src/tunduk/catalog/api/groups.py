"""``/api/catalog/groups``: global groups of subsystems, kept by the operator."""

from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from tunduk.api.auth import token_optional, token_required
from tunduk.api.errors import responses
from tunduk.api.lookups import actor, get_or_404
from tunduk.api.pagination import Paged, PagePagination
from tunduk.api.types import PathId
from tunduk.catalog.api.lookups import referenced
from tunduk.catalog.api.presenters import group_out
from tunduk.catalog.api.schemas import GroupIn, GroupOut, MembershipIn
from tunduk.catalog.filters import GroupFilter
from tunduk.catalog.models import Group, GroupMembership, Subsystem
from tunduk.catalog.services import access as services

router = Router(tags=["catalog: groups"])


def _groups() -> QuerySet[Group]:
    current = GroupMembership.objects.filter(removed_at__isnull=True).select_related(
        "subsystem__participant"
    )
    return Group.objects.prefetch_related(Prefetch("memberships", queryset=current)).order_by(
        "code", "id"
    )


@router.get(
    "",
    response=responses({200: list[GroupOut]}),
    auth=token_optional,
    summary="List groups",
)
@paginate(PagePagination)
def list_groups(request: HttpRequest, filters: Query[GroupFilter]) -> Paged:
    """Global groups by code with their current members; ``q`` searches code and description."""
    groups = filters.apply(_groups())
    return Paged(groups, group_out)


@router.post("", response=responses({201: GroupOut}), auth=token_required, summary="Create a group")
def create_group(request: HttpRequest, payload: GroupIn) -> Status[dict[str, Any]]:
    """The Tunduk operator defines a global group of this instance."""
    group = services.create_group(
        actor(request), settings.TUNDUK_INSTANCE, payload.code, payload.description
    )
    return Status(201, group_out(_groups().get(pk=group.pk)))


@router.post(
    "/{group_id}/members",
    response=responses({200: GroupOut}),
    auth=token_required,
    summary="Add or remove a group member",
)
def set_membership(request: HttpRequest, group_id: PathId, payload: MembershipIn) -> dict[str, Any]:
    """The operator adds a subsystem (``member: true``) or ends its membership (kept in history)."""
    group = get_or_404(Group.objects.all(), group_id)
    subsystem = referenced(Subsystem.objects.all(), payload.subsystem, "subsystem")
    services.set_group_membership(actor(request), group, subsystem, member=payload.member)
    return group_out(_groups().get(pk=group.pk))
