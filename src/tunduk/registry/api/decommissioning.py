"""``/api/decommissioning-notices``: agreement by the authorised body and recording (000 §27–29)."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from tunduk.accounts.choices import Role
from tunduk.api.auth import token_required
from tunduk.api.errors import responses
from tunduk.api.lookups import actor, get_or_404
from tunduk.api.pagination import Paged, PagePagination
from tunduk.api.types import ObjectId, PathId
from tunduk.core.actors import Actor
from tunduk.registry import services
from tunduk.registry.api.presenters import notice_out
from tunduk.registry.api.schemas import DecideIn, NoticeOut
from tunduk.registry.choices import DecommissioningStatus
from tunduk.registry.models import DecommissioningNotice
from tunduk.registry.visibility import is_staff

router = Router(tags=["decommissioning"], auth=token_required)


class NoticeFilter(Schema):
    status: DecommissioningStatus | None = None
    element: ObjectId | None = None


def _visible(user: Actor) -> QuerySet[DecommissioningNotice]:
    """Staff see every notice; an employee sees those of the own subject."""
    notices = DecommissioningNotice.objects.select_related(
        "element__subject", "decision_document"
    ).order_by("record_due", "id")
    if is_staff(user):
        return notices
    if user.is_authenticated and user.role == Role.SUBJECT_EMPLOYEE and user.subject_id is not None:
        return notices.filter(element__subject_id=user.subject_id)
    return notices.none()


@router.get("", response=responses({200: list[NoticeOut]}), summary="List decommissioning notices")
@paginate(PagePagination)
def list_notices(request: HttpRequest, filters: Query[NoticeFilter]) -> Paged:
    """Notices by the date the operator must record them (000 §29)."""
    notices = _visible(actor(request))
    if filters.status:
        notices = notices.filter(status=filters.status)
    if filters.element:
        notices = notices.filter(element_id=filters.element)
    return Paged(notices, notice_out)


@router.get(
    "/{notice_id}", response=responses({200: NoticeOut}), summary="Get a decommissioning notice"
)
def get_notice(request: HttpRequest, notice_id: PathId) -> dict[str, Any]:
    """One notice."""
    return notice_out(get_or_404(_visible(actor(request)), notice_id))


def _visible_all() -> QuerySet[DecommissioningNotice]:
    return DecommissioningNotice.objects.select_related("element__subject", "decision_document")


def _refreshed(notice: DecommissioningNotice) -> dict[str, Any]:
    return notice_out(_visible_all().get(pk=notice.pk))


@router.post(
    "/{notice_id}/agree",
    response=responses({200: NoticeOut}),
    summary="Agree (or not) a decommissioning",
)
def agree(request: HttpRequest, notice_id: PathId, payload: DecideIn) -> dict[str, Any]:
    """The authorised body agrees, or does not agree with a comment (000 §27)."""
    notice = get_or_404(_visible(actor(request)), notice_id)
    services.decide_decommissioning(
        actor(request), notice, agree=payload.agree, comment=payload.comment
    )
    return _refreshed(notice)


@router.post(
    "/{notice_id}/record",
    response=responses({200: NoticeOut}),
    summary="Record a decommissioning",
)
def record(request: HttpRequest, notice_id: PathId) -> dict[str, Any]:
    """The operator enters the termination; the element stays readable (000 §29)."""
    notice = get_or_404(_visible(actor(request)), notice_id)
    services.record_decommissioning(actor(request), notice)
    return _refreshed(notice)
