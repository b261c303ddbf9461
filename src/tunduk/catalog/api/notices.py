"""``/api/catalog/notices``: outages, maintenance, violations and errors (003 §3.2.13)."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from tunduk.api.auth import token_optional, token_required
from tunduk.api.errors import responses
from tunduk.api.lookups import actor
from tunduk.api.pagination import Paged, PagePagination
from tunduk.catalog.api.agreement_schemas import ExchangeNoticeIn, ExchangeNoticeOut
from tunduk.catalog.api.lookups import optional_reference
from tunduk.catalog.api.presenters import notice_out
from tunduk.catalog.filters import NoticeFilter
from tunduk.catalog.models import Participant, Subsystem
from tunduk.catalog.services import notices as services
from tunduk.catalog.visibility import visible_notices

router = Router(tags=["catalog: notices"])


@router.get(
    "",
    response=responses({200: list[ExchangeNoticeOut]}),
    auth=token_optional,
    summary="List notices",
)
@paginate(PagePagination)
def list_notices(request: HttpRequest, filters: Query[NoticeFilter]) -> Paged:
    """Notices by start time, latest first: public ones for everyone, the own participant's
    and all others for the operator."""
    found = filters.apply(visible_notices(actor(request)))
    return Paged(found, notice_out)


@router.post(
    "", response=responses({201: ExchangeNoticeOut}), auth=token_required, summary="Report a notice"
)
def report_notice(request: HttpRequest, payload: ExchangeNoticeIn) -> Status[dict[str, Any]]:
    """A participant reports to the operator at once (e-mailed); without ``participant`` the
    operator publishes a notice about the exchange itself."""
    participant = optional_reference(Participant.objects.all(), payload.participant, "participant")
    subsystem = optional_reference(
        Subsystem.objects.select_related("participant"), payload.subsystem, "subsystem"
    )
    notice = services.report_notice(
        actor(request),
        participant,
        kind=payload.kind,
        title=payload.title,
        description=payload.description,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        subsystem=subsystem,
    )
    return Status(201, notice_out(visible_notices(actor(request)).get(pk=notice.pk)))
