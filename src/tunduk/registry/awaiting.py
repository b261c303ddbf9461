"""The Registry's open work for the inbox's "awaiting me", with the deadlines of 000."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from tunduk.notifications.awaiting import AwaitingItem
from tunduk.registry.choices import (
    ApplicationStatus,
    DecommissioningStatus,
    ElementStatus,
    InformationRequestStatus,
    SubmissionStatus,
)
from tunduk.registry.models import (
    AccessApplication,
    DecommissioningNotice,
    Element,
    InformationRequest,
    Submission,
)

# Each list is cut here; the full lists are on the staff pages the items link to.
MOST_PER_LIST = 100


def _operator(user: Any) -> Iterator[AwaitingItem]:
    open_reviews = Submission.objects.filter(status=SubmissionStatus.OPEN).select_related("element")
    for submission in open_reviews[:MOST_PER_LIST]:
        yield AwaitingItem(
            _("Review the record of %(element)s") % {"element": _name(submission.element)},
            reverse("registry:submission-review", args=[submission.pk]),
            submission.due_date,
            "000 §21",
        )
    forwarded = AccessApplication.objects.filter(status=ApplicationStatus.FORWARDED)
    for application in forwarded.select_related("subject")[:MOST_PER_LIST]:
        yield AwaitingItem(
            _("Decide the access application of %(subject)s") % {"subject": application.subject},
            reverse("registry:application-detail", args=[application.pk]),
            None,
            "000 §19",
        )
    agreed = DecommissioningNotice.objects.filter(status=DecommissioningStatus.AGREED)
    for notice in agreed.select_related("element")[:MOST_PER_LIST]:
        yield AwaitingItem(
            _("Record the decommissioning of %(element)s") % {"element": _name(notice.element)},
            reverse("registry:decommissioning-detail", args=[notice.pk]),
            notice.record_due,
            "000 §29",
        )


def _authorised_body(user: Any) -> Iterator[AwaitingItem]:
    received = AccessApplication.objects.filter(status=ApplicationStatus.RECEIVED)
    for application in received.select_related("subject")[:MOST_PER_LIST]:
        yield AwaitingItem(
            _("Forward the access application of %(subject)s") % {"subject": application.subject},
            reverse("registry:application-detail", args=[application.pk]),
            application.forward_due,
            "000 §18",
        )
    notified = DecommissioningNotice.objects.filter(status=DecommissioningStatus.NOTIFIED)
    for notice in notified.select_related("element")[:MOST_PER_LIST]:
        yield AwaitingItem(
            _("Agree the decommissioning of %(element)s") % {"element": _name(notice.element)},
            reverse("registry:decommissioning-detail", args=[notice.pk]),
            None,
            "000 §27",
        )


def _subject_employee(user: Any) -> Iterator[AwaitingItem]:
    questions = InformationRequest.objects.filter(
        element__subject_id=user.subject_id, status=InformationRequestStatus.OPEN
    ).select_related("element")
    for request in questions[:MOST_PER_LIST]:
        yield AwaitingItem(
            _("Answer the question about %(element)s") % {"element": _name(request.element)},
            reverse("registry:information-request-answer", args=[request.pk]),
            request.answer_due,
            "000 §10",
        )
    refused = Element.objects.filter(
        subject_id=user.subject_id,
        status__in=[ElementStatus.REFUSED, ElementStatus.CHANGE_REFUSED],
    )
    for element in refused[:MOST_PER_LIST]:
        yield AwaitingItem(
            _("Remove the cause of the refusal of %(element)s and submit again")
            % {"element": _name(element)},
            reverse("registry:element-edit", args=[element.pk]),
            None,
            "000 §23",
        )


def _name(element: Element) -> str:
    return element.short_name or element.full_name


def registry_awaiting(user: Any) -> list[AwaitingItem]:
    """The Registry's open work of ``user``'s role."""
    if user.is_operator:
        return list(_operator(user))
    if user.is_authorised_body:
        return list(_authorised_body(user))
    if user.is_subject_employee:
        return list(_subject_employee(user))
    return []
