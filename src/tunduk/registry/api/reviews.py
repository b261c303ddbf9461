"""``/api/submissions``: the operator's review queue, registration and refusal (000 §21–23)."""

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
from tunduk.registry.api.presenters import submission_out
from tunduk.registry.api.schemas import RefuseIn, SubmissionOut
from tunduk.registry.choices import SubmissionKind, SubmissionStatus
from tunduk.registry.models import Submission
from tunduk.registry.visibility import is_staff
from tunduk.workdays.deadlines import today_local

router = Router(tags=["submissions"], auth=token_required)


class SubmissionFilter(Schema):
    status: SubmissionStatus | None = None
    kind: SubmissionKind | None = None
    overdue: bool | None = None
    element: ObjectId | None = None


def _visible(user: Actor) -> QuerySet[Submission]:
    """Staff see every submission; an employee sees those of the own subject."""
    submissions = Submission.objects.select_related("element__subject", "decision").order_by(
        "due_date", "submitted_at", "id"
    )
    if is_staff(user):
        return submissions
    if user.is_authenticated and user.role == Role.SUBJECT_EMPLOYEE and user.subject_id is not None:
        return submissions.filter(element__subject_id=user.subject_id)
    return submissions.none()


@router.get("", response=responses({200: list[SubmissionOut]}), summary="List submissions")
@paginate(PagePagination)
def list_submissions(request: HttpRequest, filters: Query[SubmissionFilter]) -> Paged:
    """The review queue by due date; ``?status=open`` is the operator's open queue, and
    ``?overdue=true`` the open submissions past their 3-working-day deadline."""
    submissions = _visible(actor(request))
    if filters.status:
        submissions = submissions.filter(status=filters.status)
    if filters.kind:
        submissions = submissions.filter(kind=filters.kind)
    if filters.element:
        submissions = submissions.filter(element_id=filters.element)
    if filters.overdue is not None:
        late = {"status": SubmissionStatus.OPEN, "due_date__lt": today_local()}
        submissions = submissions.filter(**late) if filters.overdue else submissions.exclude(**late)
    return Paged(submissions, submission_out)


@router.get(
    "/{submission_id}", response=responses({200: SubmissionOut}), summary="Get a submission"
)
def get_submission(request: HttpRequest, submission_id: PathId) -> dict[str, Any]:
    """One submission and its decision, if any."""
    return submission_out(get_or_404(_visible(actor(request)), submission_id))


def _decided(submission: Submission) -> dict[str, Any]:
    return submission_out(
        Submission.objects.select_related("element__subject", "decision").get(pk=submission.pk)
    )


@router.post(
    "/{submission_id}/register",
    response=responses({200: SubmissionOut}),
    summary="Register a submission",
)
def register(request: HttpRequest, submission_id: PathId) -> dict[str, Any]:
    """Register the element with a new code, or accept its change (000 §21–22)."""
    submission = get_or_404(_visible(actor(request)), submission_id)
    services.register(actor(request), submission)
    return _decided(submission)


@router.post(
    "/{submission_id}/refuse",
    response=responses({200: SubmissionOut}),
    summary="Refuse a submission",
)
def refuse(request: HttpRequest, submission_id: PathId, payload: RefuseIn) -> dict[str, Any]:
    """Refuse on a ground of 000 §23 or 000 §2, explaining how to remove the cause."""
    submission = get_or_404(_visible(actor(request)), submission_id)
    services.refuse(actor(request), submission, payload.ground, payload.explanation)
    return _decided(submission)
