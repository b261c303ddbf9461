"""Requests for additional information (000 §10): asked by the authorised body, answered by the subject."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from tunduk.accounts.choices import Role
from tunduk.api.auth import token_required
from tunduk.api.errors import responses
from tunduk.api.lookups import actor, get_or_404
from tunduk.api.pagination import Paged, PagePagination
from tunduk.api.types import ObjectId, PathId
from tunduk.core.actors import Actor
from tunduk.registry import services
from tunduk.registry.api.lookups import readable_element
from tunduk.registry.api.presenters import information_request_out
from tunduk.registry.api.schemas import AnswerIn, InformationRequestOut, QuestionIn
from tunduk.registry.choices import InformationRequestStatus
from tunduk.registry.models import InformationRequest
from tunduk.registry.visibility import is_staff

router = Router(tags=["information requests"], auth=token_required)
element_router = Router(tags=["information requests"], auth=token_required)


class RequestFilter(Schema):
    status: InformationRequestStatus | None = None
    element: ObjectId | None = None


def _visible(user: Actor) -> QuerySet[InformationRequest]:
    """Staff see every request; an employee sees those about the own subject's elements."""
    requests = InformationRequest.objects.select_related("element").order_by("-asked_at", "-id")
    if is_staff(user):
        return requests
    if user.is_authenticated and user.role == Role.SUBJECT_EMPLOYEE and user.subject_id is not None:
        return requests.filter(element__subject_id=user.subject_id)
    return requests.none()


@element_router.get(
    "/{element_id}/information-requests",
    response=responses({200: list[InformationRequestOut]}),
    summary="List information requests about an element",
)
@paginate(PagePagination)
def list_for_element(request: HttpRequest, element_id: PathId) -> Paged:
    """Questions about one element, newest first."""
    element = readable_element(request, element_id)
    return Paged(_visible(actor(request)).filter(element=element), information_request_out)


@element_router.post(
    "/{element_id}/information-requests",
    response=responses({201: InformationRequestOut}),
    summary="Ask for additional information",
)
def ask(request: HttpRequest, element_id: PathId, payload: QuestionIn) -> Status[dict[str, Any]]:
    """The authorised body asks the element's subject a question (000 §10)."""
    asked = services.ask(
        actor(request), readable_element(request, element_id), payload.question, payload.answer_due
    )
    return Status(201, information_request_out(asked))


@router.get(
    "",
    response=responses({200: list[InformationRequestOut]}),
    summary="List information requests",
)
@paginate(PagePagination)
def list_requests(request: HttpRequest, filters: Query[RequestFilter]) -> Paged:
    """Questions the caller may see, newest first; ``?status=open`` for unanswered ones."""
    requests = _visible(actor(request))
    if filters.status:
        requests = requests.filter(status=filters.status)
    if filters.element:
        requests = requests.filter(element_id=filters.element)
    return Paged(requests, information_request_out)


@router.post(
    "/{request_id}/answer",
    response=responses({200: InformationRequestOut}),
    summary="Answer an information request",
)
def answer(request: HttpRequest, request_id: PathId, payload: AnswerIn) -> dict[str, Any]:
    """The subject's authorised employee answers."""
    asked = get_or_404(_visible(actor(request)), request_id)
    return information_request_out(services.answer(actor(request), asked, payload.answer))
