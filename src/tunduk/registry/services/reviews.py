"""The operator's review: register with a code, accept a change, or refuse on a legal ground."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from tunduk.accounts.actors import signed_in_user
from tunduk.accounts.choices import Role
from tunduk.core.actors import Actor
from tunduk.core.audit import Event
from tunduk.core.errors import InvalidInput, TransitionError
from tunduk.core.permissions import require_role
from tunduk.core.services import service
from tunduk.registry.choices import (
    ELEMENT_TYPE_CODE_PREFIX,
    ElementType,
    RefusalGround,
    SubmissionKind,
    SubmissionStatus,
)
from tunduk.registry.lifecycle import Action, next_status
from tunduk.registry.models import (
    Element,
    RegistrationCounter,
    ReviewDecision,
    Submission,
)
from tunduk.registry.proposals import accept, open_change
from tunduk.registry.services import _tell
from tunduk.registry.services._changes import commit_change
from tunduk.registry.services.elements import check_complete, require_complete


def _lock_open_submission(submission: Submission) -> tuple[Submission, Element]:
    submission = (
        Submission.objects.select_for_update().select_related("element").get(pk=submission.pk)
    )
    if submission.status != SubmissionStatus.OPEN:
        raise TransitionError(
            _("This submission has already been decided (%(outcome)s).")
            % {"outcome": submission.get_status_display()},
            field="status",
        )
    element = Element.objects.select_for_update().get(pk=submission.element_id)
    return submission, element


def next_registration_code(element_type: str) -> str:
    """A new code like ``IS-2026-000042``; the counter only grows, so codes are never reused."""
    counter, _created = RegistrationCounter.objects.select_for_update().get_or_create(
        name="element"
    )
    counter.value += 1
    counter.save(update_fields=["value"])
    prefix = ELEMENT_TYPE_CODE_PREFIX[ElementType(element_type)]
    return f"{prefix}-{timezone.localdate():%Y}-{counter.value:06d}"


@service
def register(user: Actor, submission: Submission) -> ReviewDecision:
    """Register the element (or accept its change) after checking all 17 fields (000 §21–22).

    Accepting a change makes its proposed record the registered one (000 §24).
    """
    require_role(user, Role.OPERATOR, obj=submission, action="register")
    submission, element = _lock_open_submission(submission)
    require_complete(element)
    is_change = submission.kind == SubmissionKind.CHANGE
    element.status = next_status(
        element.status, Action.ACCEPT_CHANGE if is_change else Action.REGISTER
    )
    if is_change:
        change = open_change(element, lock=True)
        if change is not None:
            # Only now does the proposed change become the registered, public record.
            accept(element, change)
    now = timezone.now()
    if element.registration_code is None:
        element.registration_code = next_registration_code(element.element_type)
        element.registered_at = now
    element.save(update_fields=["status", "registration_code", "registered_at", "updated_at"])
    outcome = SubmissionStatus.ACCEPTED if is_change else SubmissionStatus.REGISTERED
    submission.status = outcome
    submission.save(update_fields=["status"])
    decision = ReviewDecision.objects.create(
        submission=submission, outcome=outcome, decided_by=signed_in_user(user), decided_at=now
    )
    commit_change(
        element,
        Event.ELEMENT_REGISTERED,
        user,
        journal=[submission, decision],
        code=element.registration_code,
        decision=decision.pk,
    )
    _tell.review_decided(decision, element)
    return decision


@service
def refuse(user: Actor, submission: Submission, ground: str, explanation: str) -> ReviewDecision:
    """Refuse on one of the grounds of 000 §23 (or 000 §2 out of scope), with an explanation."""
    require_role(user, Role.OPERATOR, obj=submission, action="refuse")
    if ground not in RefusalGround.values:
        raise InvalidInput(
            _("A refusal must cite one of the grounds of 000 §23 or 000 §2."), field="ground"
        )
    if not explanation.strip():
        raise InvalidInput(
            _("Explain the refusal so the subject can remove its cause."), field="explanation"
        )
    submission, element = _lock_open_submission(submission)
    missing = check_complete(element)
    if ground == RefusalGround.INCOMPLETE and not missing:
        raise InvalidInput(
            _("The record has all 17 fields; it cannot be refused as incomplete (000 §23.2)."),
            field="ground",
        )
    is_change = submission.kind == SubmissionKind.CHANGE
    element.status = next_status(
        element.status, Action.REFUSE_CHANGE if is_change else Action.REFUSE
    )
    element.save(update_fields=["status", "updated_at"])
    submission.status = SubmissionStatus.REFUSED
    submission.save(update_fields=["status"])
    decision = ReviewDecision.objects.create(
        submission=submission,
        outcome=SubmissionStatus.REFUSED,
        ground=ground,
        explanation=explanation.strip(),
        missing_fields=missing if ground == RefusalGround.INCOMPLETE else [],
        decided_by=signed_in_user(user),
        decided_at=timezone.now(),
    )
    commit_change(
        element,
        Event.ELEMENT_REFUSED,
        user,
        journal=[submission, decision],
        ground=ground,
        decision=decision.pk,
    )
    _tell.review_decided(decision, element)
    return decision
