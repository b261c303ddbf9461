"""``/api/catalog/participants``: members of the exchange and their status (003 §3.1.1, §4)."""

from typing import Any

from django.db.models import QuerySet
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
from tunduk.catalog.api.presenters import participant_out, participant_summary, status_change_out
from tunduk.catalog.api.schemas import (
    ParticipantIn,
    ParticipantOut,
    ParticipantSummaryOut,
    StatusChangeIn,
    StatusChangeOut,
)
from tunduk.catalog.filters import ParticipantFilter
from tunduk.catalog.models import Participant
from tunduk.catalog.services import participants as services
from tunduk.registry.models import Subject

router = Router(tags=["catalog: participants"])


def _participants() -> QuerySet[Participant]:
    return Participant.objects.select_related("subject").order_by(
        "member_class", "member_code", "id"
    )


def _reloaded(participant: Participant, request: HttpRequest) -> dict[str, Any]:
    found = _participants().prefetch_related("status_changes").get(pk=participant.pk)
    return participant_out(found, actor(request))


@router.get(
    "",
    response=responses({200: list[ParticipantSummaryOut]}),
    auth=token_optional,
    summary="List participants",
)
@paginate(PagePagination)
def list_participants(request: HttpRequest, filters: Query[ParticipantFilter]) -> Paged:
    """Members by identifier; ``q`` searches the subject's name and the member code."""
    participants = filters.apply(_participants())
    return Paged(participants, participant_summary)


@router.get(
    "/{participant_id}",
    response=responses({200: ParticipantOut}),
    auth=token_optional,
    summary="Get a participant",
)
def get_participant(request: HttpRequest, participant_id: PathId) -> dict[str, Any]:
    """One member; its status history only for the Tunduk operator and its own employees.
    A change whose prior notice has run is in effect here even before the scheduled task
    applied it (003 §4)."""
    participant = get_or_404(_participants(), participant_id)
    services.apply_due_changes(participant)
    return _reloaded(participant, request)


@router.post(
    "",
    response=responses({201: ParticipantOut}),
    auth=token_required,
    summary="Register a participant",
)
def register_participant(request: HttpRequest, payload: ParticipantIn) -> Status[dict[str, Any]]:
    """The Tunduk operator registers an accounting subject as a member (003 §3.1.1)."""
    subject = referenced(Subject.objects.all(), payload.subject, "subject")
    participant = services.register_participant(
        actor(request), subject, payload.member_class, payload.member_code
    )
    return Status(201, _reloaded(participant, request))


@router.post(
    "/{participant_id}/status-changes",
    response=responses({201: StatusChangeOut}),
    auth=token_required,
    summary="Change a participant's status",
)
def change_status(
    request: HttpRequest, participant_id: PathId, payload: StatusChangeIn
) -> Status[dict[str, Any]]:
    """Suspend, reinstate or disconnect (the operator) or leave (the participant), with the
    reasons sent as prior notice; it applies at ``effective_at`` (now if omitted) (003 §4)."""
    participant = get_or_404(_participants(), participant_id)
    change = services.change_status(
        actor(request),
        participant,
        payload.kind,
        payload.reason,
        payload.effective_at,
        security_incident=payload.security_incident,
    )
    return Status(201, status_change_out(change))
