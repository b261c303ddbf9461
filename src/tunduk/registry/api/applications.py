"""``/api/access-applications``: asking for the right to enter an element's data (000 §15–19)."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from tunduk.accounts.choices import Role
from tunduk.api.auth import token_optional, token_required
from tunduk.api.errors import ErrorOut, responses
from tunduk.api.lookups import actor, get_or_404, require_roles
from tunduk.api.pagination import Paged, PagePagination
from tunduk.api.types import ObjectId, PathId
from tunduk.core.errors import InvalidInput
from tunduk.registry import services
from tunduk.registry.api.presenters import application_out
from tunduk.registry.api.schemas import ApplicationIn, ApplicationOut, RejectIn
from tunduk.registry.choices import ApplicationStatus
from tunduk.registry.models import AccessApplication, Subject
from tunduk.registry.throttling import limit_access_applications

router = Router(tags=["access applications"], auth=token_required)

STAFF = (Role.AUTHORISED_BODY, Role.OPERATOR)


class ApplicationFilter(Schema):
    status: ApplicationStatus | None = None
    subject: ObjectId | None = None


def _applications() -> Any:
    return AccessApplication.objects.select_related("subject").order_by("forward_due", "id")


def _readable(request: HttpRequest) -> Any:
    """Applications the caller may read (staff only): anyone else gets 404 on a write too."""
    user = actor(request)
    readable = user.is_authenticated and user.role in STAFF
    return _applications() if readable else _applications().none()


@router.post(
    "",
    response=responses({201: ApplicationOut, 429: ErrorOut}),
    auth=token_optional,
    summary="Submit an access application",
)
def submit_application(request: HttpRequest, payload: ApplicationIn) -> Status[dict[str, Any]]:
    """A subject's written notification to the authorised body (000 §15–16); no token needed.

    Limited per client address together with the web form (429 with ``Retry-After``)."""
    limit_access_applications(request)
    subject = Subject.objects.filter(pk=payload.subject).first()
    if subject is None:
        raise InvalidInput(_("There is no such subject."), field="subject")
    data = payload.model_dump(exclude={"subject"})
    application = services.submit_application(subject, data)
    return Status(201, application_out(application))


@router.get(
    "",
    response=responses({200: list[ApplicationOut]}),
    summary="List access applications",
)
@paginate(PagePagination)
def list_applications(request: HttpRequest, filters: Query[ApplicationFilter]) -> Paged:
    """For the authorised body and the operator, by forwarding due date."""
    require_roles(request, *STAFF, action="list_applications")
    applications = _applications()
    if filters.status:
        applications = applications.filter(status=filters.status)
    if filters.subject:
        applications = applications.filter(subject_id=filters.subject)
    return Paged(applications, application_out)


@router.get(
    "/{application_id}",
    response=responses({200: ApplicationOut}),
    summary="Get an access application",
)
def get_application(request: HttpRequest, application_id: PathId) -> dict[str, Any]:
    """One application."""
    require_roles(request, *STAFF, action="view_application")
    return application_out(get_or_404(_applications(), application_id))


def _refreshed(application: AccessApplication) -> dict[str, Any]:
    return application_out(_applications().get(pk=application.pk))


@router.post(
    "/{application_id}/forward",
    response=responses({200: ApplicationOut}),
    summary="Forward an application to the operator",
)
def forward(request: HttpRequest, application_id: PathId) -> dict[str, Any]:
    """The authorised body forwards it within 3 days (000 §18)."""
    application = get_or_404(_readable(request), application_id)
    return _refreshed(services.forward_application(actor(request), application))


@router.post(
    "/{application_id}/grant",
    response=responses({200: ApplicationOut}),
    summary="Grant access",
)
def grant(request: HttpRequest, application_id: PathId) -> dict[str, Any]:
    """The operator grants online access; the invitation goes to the departmental e-mail (000 §19)."""
    application = get_or_404(_readable(request), application_id)
    services.grant_application(actor(request), application)
    return _refreshed(application)


@router.post(
    "/{application_id}/reject",
    response=responses({200: ApplicationOut}),
    summary="Reject an application",
)
def reject(request: HttpRequest, application_id: PathId, payload: RejectIn) -> dict[str, Any]:
    """Reject an application that does not meet 000 §16–17, saying why."""
    application = get_or_404(_readable(request), application_id)
    return _refreshed(services.reject_application(actor(request), application, payload.comment))
