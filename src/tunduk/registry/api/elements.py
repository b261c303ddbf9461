"""``/api/elements``: list, read, create and change element records (000 §20, §24)."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from tunduk.accounts.choices import Role
from tunduk.api.auth import token_optional, token_required
from tunduk.api.errors import responses
from tunduk.api.lookups import actor, require_roles
from tunduk.api.pagination import Paged, PagePagination
from tunduk.api.types import PathId
from tunduk.core.errors import InvalidInput
from tunduk.registry import services, snapshot
from tunduk.registry.api.lookups import readable_element
from tunduk.registry.api.presenters import element_out, element_summary
from tunduk.registry.api.schemas import (
    CompletenessOut,
    ElementCreateIn,
    ElementFieldsIn,
    ElementOut,
    ElementSummaryOut,
    ElementUpdateIn,
)
from tunduk.registry.fields import FIELDS_BY_NUMBER, missing_fields
from tunduk.registry.filters import ElementFilter
from tunduk.registry.models import Element, Subject
from tunduk.registry.snapshot import LIST_COLUMNS
from tunduk.registry.visibility import can_view_private, visible_elements

router = Router(tags=["elements"])


def _split(payload: ElementFieldsIn, *, exclude: set[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The scalar fields and the lists the client actually sent."""
    sent = payload.model_dump(exclude_unset=True, exclude=exclude)
    lists = {name: sent.pop(name) for name in list(sent) if name in LIST_COLUMNS}
    lists = {name: rows for name, rows in lists.items() if rows is not None}
    return sent, lists


def _reloaded(element: Element, request: HttpRequest) -> dict[str, Any]:
    element = Element.objects.select_related("subject").get(pk=element.pk)
    return element_out(element, actor(request))


@router.get(
    "",
    response=responses({200: list[ElementSummaryOut]}),
    auth=token_optional,
    summary="List elements",
)
@paginate(PagePagination)
def list_elements(request: HttpRequest, filters: Query[ElementFilter]) -> Paged:
    """Elements the caller may see, by name; the public sees registered elements only.

    ``q`` searches the names, the registration code and the subject's names, as the public
    list does (``registry.filters.ElementFilter``)."""
    elements = filters.ordered(visible_elements(actor(request)))
    return Paged(elements, element_summary)


@router.get(
    "/{element_id}",
    response=responses({200: ElementOut}),
    auth=token_optional,
    summary="Get an element",
)
def get_element(request: HttpRequest, element_id: PathId) -> dict[str, Any]:
    """The record; fields 7, 8, 12 and 13 only for staff and the subject's own employees."""
    return element_out(readable_element(request, element_id), actor(request))


@router.post(
    "",
    response=responses({201: ElementOut}),
    auth=token_required,
    summary="Create an element",
)
def create_element(request: HttpRequest, payload: ElementCreateIn) -> Status[dict[str, Any]]:
    """A new draft record of the caller's subject (or ``subject``, which must be the caller's)."""
    user = require_roles(request, Role.SUBJECT_EMPLOYEE, action="create_element")
    subject_id = payload.subject or user.subject_id
    subject = Subject.objects.filter(pk=subject_id).first() if subject_id is not None else None
    if subject is None:
        raise InvalidInput(_("There is no such subject."), field="subject")
    data, lists = _split(payload, exclude={"subject"})
    element = services.create_element(user, subject, data, lists)
    return Status(201, _reloaded(element, request))


@router.patch(
    "/{element_id}",
    response=responses({200: ElementOut}),
    auth=token_required,
    summary="Change an element",
)
def update_element(
    request: HttpRequest, element_id: PathId, payload: ElementUpdateIn
) -> dict[str, Any]:
    """Change the fields sent; lists sent replace the old rows (000 §24)."""
    data, lists = _split(payload, exclude=set())
    element = services.update_element(
        actor(request), readable_element(request, element_id), data, lists
    )
    return _reloaded(element, request)


@router.get(
    "/{element_id}/completeness",
    response=responses({200: CompletenessOut}),
    auth=token_optional,
    summary="Check an element's completeness",
)
def completeness(request: HttpRequest, element_id: PathId) -> dict[str, Any]:
    """Which of the 17 fields of 000 §20 are still missing: in the record the subject works
    on (a proposed change included) for its employees and the staff, in the registered
    record for everyone else."""
    element = readable_element(request, element_id)
    if can_view_private(actor(request), element):
        missing = services.check_complete(element)
    else:
        missing = missing_fields(snapshot.take(element))
    return {
        "complete": not missing,
        "missing": [
            {"number": number, "label": str(FIELDS_BY_NUMBER[number].label)} for number in missing
        ],
    }
