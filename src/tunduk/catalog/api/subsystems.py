"""``/api/catalog/subsystems``: information systems joined to the exchange (003 §3.2.2)."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from tunduk.api.auth import token_optional, token_required
from tunduk.api.errors import responses
from tunduk.api.lookups import actor
from tunduk.api.pagination import Paged, PagePagination
from tunduk.catalog.api.lookups import referenced
from tunduk.catalog.api.presenters import subsystem_out
from tunduk.catalog.api.schemas import SubsystemIn, SubsystemOut
from tunduk.catalog.filters import SubsystemFilter
from tunduk.catalog.models import Participant, Subsystem
from tunduk.catalog.services import systems as services
from tunduk.registry.models import Element

router = Router(tags=["catalog: subsystems"])


def _subsystems() -> QuerySet[Subsystem]:
    return Subsystem.objects.select_related("participant", "element").order_by(
        "participant__member_class", "participant__member_code", "subsystem_code", "id"
    )


@router.get(
    "",
    response=responses({200: list[SubsystemOut]}),
    auth=token_optional,
    summary="List subsystems",
)
@paginate(PagePagination)
def list_subsystems(request: HttpRequest, filters: Query[SubsystemFilter]) -> Paged:
    """Subsystems by identifier; ``q`` searches the name and the code."""
    subsystems = filters.apply(_subsystems())
    return Paged(subsystems, subsystem_out)


@router.post(
    "",
    response=responses({201: SubsystemOut}),
    auth=token_required,
    summary="Register a subsystem",
)
def register_subsystem(request: HttpRequest, payload: SubsystemIn) -> Status[dict[str, Any]]:
    """A participant's employee registers an information system, linked to its registered
    Registry element, as a subsystem (003 §3.2.2)."""
    participant = referenced(Participant.objects.all(), payload.participant, "participant")
    element = referenced(Element.objects.all(), payload.element, "element")
    subsystem = services.register_subsystem(
        actor(request), participant, payload.subsystem_code, payload.name, element
    )
    return Status(201, subsystem_out(_subsystems().get(pk=subsystem.pk)))
