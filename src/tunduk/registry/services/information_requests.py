"""The authorised body's requests for additional information about an element (000 §10)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from tunduk.accounts.actors import signed_in_user
from tunduk.accounts.choices import Role
from tunduk.core.actors import Actor
from tunduk.core.audit import Event
from tunduk.core.errors import InvalidInput, TransitionError
from tunduk.core.permissions import require_role
from tunduk.core.services import service
from tunduk.journaling.changes import commit_event
from tunduk.registry.choices import InformationRequestStatus
from tunduk.registry.models import Element, InformationRequest
from tunduk.registry.permissions import require_element_owner
from tunduk.registry.services import _tell


@service
def ask(
    user: Actor, element: Element, question: str, answer_due: date | None = None
) -> InformationRequest:
    """Ask the element's subject for additional information."""
    require_role(user, Role.AUTHORISED_BODY, obj=element, action="ask_information")
    if not question.strip():
        raise InvalidInput(_("Write the question."), field="question")
    if answer_due is not None and answer_due < timezone.localdate():
        raise InvalidInput(_("The answer date cannot be in the past."), field="answer_due")
    request = InformationRequest.objects.create(
        element=element,
        question=question.strip(),
        answer_due=answer_due,
        asked_by=signed_in_user(user),
    )
    commit_event(Event.INFORMATION_REQUESTED, request, user, element=element.pk)
    _tell.information_requested(request)
    return request


@service
def answer(user: Actor, request: InformationRequest, text: str) -> InformationRequest:
    """The subject's authorised employee answers the request."""
    request = (
        InformationRequest.objects.select_for_update().select_related("element").get(pk=request.pk)
    )
    require_element_owner(user, request.element, action="answer_information")
    if request.status != InformationRequestStatus.OPEN:
        raise TransitionError(_("This request has already been answered."), field="status")
    if not text.strip():
        raise InvalidInput(_("Write the answer."), field="answer")
    request.answer = text.strip()
    request.answered_by = signed_in_user(user)
    request.answered_at = timezone.now()
    request.status = InformationRequestStatus.ANSWERED
    request.save()
    commit_event(Event.INFORMATION_ANSWERED, request, user, element=request.element_id)
    _tell.information_answered(request)
    return request
