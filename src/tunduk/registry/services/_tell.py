"""Who the Registry's decisions and requests reach, and with which words (000 §21, §10, §18–29).

Each function is called by the service that made the decision, inside its transaction:
the inbox entries are stored with the change and the e-mails leave once it commits.
"""

from __future__ import annotations

from typing import TypedDict

from django.urls import reverse

from tunduk.accounts.choices import Role
from tunduk.accounts.models import User
from tunduk.notifications.kinds import NotificationKind
from tunduk.notifications.recipients import employees_of, holders_of
from tunduk.notifications.services import Addressee, english, notify
from tunduk.registry.choices import RefusalGround, SubmissionKind, SubmissionStatus
from tunduk.registry.fields import FIELDS_BY_NUMBER
from tunduk.registry.models import (
    AccessApplication,
    DecommissioningNotice,
    Element,
    InformationRequest,
    ReviewDecision,
    Submission,
)


class _ElementWords(TypedDict):
    element: str
    subject: str
    code: str


class _ApplicationWords(TypedDict):
    reference: str
    subject: str
    element: str


def _element_words(element: Element) -> _ElementWords:
    return {
        "element": element.short_name or element.full_name,
        "subject": element.subject.name,
        "code": element.registration_code or "",
    }


def submission_received(submission: Submission) -> None:
    """Every operator: a record awaits review by its 000 §21 deadline."""
    element = submission.element
    notify(
        holders_of(Role.OPERATOR),
        NotificationKind.SUBMISSION_RECEIVED,
        submission,
        link=reverse("registry:submission-review", args=[submission.pk]),
        deadline=submission.due_date,
        submission_kind_label=SubmissionKind(submission.kind).label,
        **_element_words(element),
    )


def review_decided(decision: ReviewDecision, element: Element) -> None:
    """The subject's authorised employees and the submitter: the decision with its ground."""
    submission = decision.submission
    recipients = [*employees_of(element.subject_id), submission.submitted_by]
    link = reverse("registry:decision-detail", args=[decision.pk])
    words = _element_words(element)
    decided = decision.decided_at
    if decision.outcome == SubmissionStatus.REFUSED:
        notify(
            recipients,
            NotificationKind.ELEMENT_REFUSED,
            decision,
            link=link,
            decided=decided,
            ground_label=RefusalGround(decision.ground).label,
            explanation=decision.explanation,
            missing_labels=[english(FIELDS_BY_NUMBER[n].label) for n in decision.missing_fields],
            **words,
        )
        return
    kind = (
        NotificationKind.CHANGE_ACCEPTED
        if decision.outcome == SubmissionStatus.ACCEPTED
        else NotificationKind.ELEMENT_REGISTERED
    )
    notify(recipients, kind, decision, link=link, decided=decided, **words)


def _application_words(application: AccessApplication) -> _ApplicationWords:
    return {
        "reference": application.reference or "",
        "subject": application.subject.name,
        "element": application.element_short_name or application.element_full_name,
    }


def _applicant(application: AccessApplication) -> list[User | Addressee]:
    return [Addressee(application.employee_email, application.language)]


def application_received(application: AccessApplication, status_token: str) -> None:
    """The authorised body: forward it by the 000 §18 deadline; the applicant: the status link."""
    notify(
        _applicant(application),
        NotificationKind.APPLICATION_SUBMITTED,
        application,
        link=reverse("registry:application-status", args=[application.reference, status_token]),
        deadline=application.forward_due,
        **_application_words(application),
    )
    notify(
        holders_of(Role.AUTHORISED_BODY),
        NotificationKind.APPLICATION_RECEIVED,
        application,
        link=reverse("registry:application-detail", args=[application.pk]),
        deadline=application.forward_due,
        **_application_words(application),
    )


def application_forwarded(application: AccessApplication) -> None:
    """The operators (to decide) and the applicant (status)."""
    words = _application_words(application)
    link = reverse("registry:application-detail", args=[application.pk])
    notify(
        holders_of(Role.OPERATOR),
        NotificationKind.APPLICATION_FORWARDED,
        application,
        link=link,
        **words,
    )
    notify(_applicant(application), NotificationKind.APPLICATION_FORWARDED, application, **words)


def application_decided(application: AccessApplication) -> None:
    """The applicant, by e-mail (no account yet), and the subject's employees."""
    granted = application.employee is not None
    kind = (
        NotificationKind.APPLICATION_GRANTED if granted else NotificationKind.APPLICATION_REJECTED
    )
    employees = employees_of(application.subject_id)
    # A grant reaches the applicant as the invitation e-mail itself; a rejection says why.
    applicant = [] if granted else _applicant(application)
    notify(
        [*applicant, *employees.exclude(pk=application.employee_id or 0)],
        kind,
        application,
        comment=application.decision_comment,
        employee=application.employee_full_name,
        **_application_words(application),
    )


def decommissioning_notified(notice: DecommissioningNotice) -> None:
    """The authorised body: a decommissioning to agree (000 §27)."""
    notify(
        holders_of(Role.AUTHORISED_BODY),
        NotificationKind.DECOMMISSIONING_NOTIFIED,
        notice,
        link=reverse("registry:decommissioning-detail", args=[notice.pk]),
        reference=notice.decision_reference,
        **_element_words(notice.element),
    )


def decommissioning_decided(notice: DecommissioningNotice, *, agreed: bool) -> None:
    """The subject's employees; when agreed, the operators too, with the 000 §29 deadline."""
    words = _element_words(notice.element)
    employees = employees_of(notice.element.subject_id)
    if not agreed:
        notify(
            employees,
            NotificationKind.DECOMMISSIONING_NOT_AGREED,
            notice,
            comment=notice.agreement_comment,
            **words,
        )
        return
    notify(
        [*holders_of(Role.OPERATOR), *employees],
        NotificationKind.DECOMMISSIONING_AGREED,
        notice,
        link=reverse("registry:decommissioning-detail", args=[notice.pk]),
        deadline=notice.record_due,
        **words,
    )


def decommissioning_recorded(notice: DecommissioningNotice) -> None:
    """The subject's employees: the termination is in the Registry (000 §29)."""
    notify(
        employees_of(notice.element.subject_id),
        NotificationKind.ELEMENT_DECOMMISSIONED,
        notice,
        link=reverse("registry:element-detail", args=[notice.element_id]),
        decided=notice.recorded_at,
        **_element_words(notice.element),
    )


def information_requested(request: InformationRequest) -> None:
    """The subject's employees: a question to answer (000 §10)."""
    notify(
        employees_of(request.element.subject_id),
        NotificationKind.INFORMATION_REQUESTED,
        request,
        link=reverse("registry:information-request-answer", args=[request.pk]),
        deadline=request.answer_due,
        question=request.question,
        **_element_words(request.element),
    )


def information_answered(request: InformationRequest) -> None:
    """The one who asked: the answer is in."""
    notify(
        [request.asked_by],
        NotificationKind.INFORMATION_ANSWERED,
        request,
        link=reverse("registry:information-request-list"),
        **_element_words(request.element),
    )
