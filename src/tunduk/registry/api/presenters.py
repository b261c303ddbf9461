"""Turn Registry objects into the plain data of the API schemas, hiding what the caller may not see."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from tunduk.core.actors import Actor
from tunduk.registry import snapshot
from tunduk.registry.choices import ApplicationStatus, DecommissioningStatus, SubmissionStatus
from tunduk.registry.fields import PUBLIC_ATTRIBUTES, PUBLIC_LISTS
from tunduk.registry.models import (
    AccessApplication,
    DecommissioningNotice,
    Document,
    Element,
    ElementVersion,
    InformationRequest,
    Subject,
    Submission,
)
from tunduk.registry.visibility import (
    can_view_private,
    public_changes,
    public_document,
    public_snapshot,
    readable_versions,
)
from tunduk.workdays.deadlines import today_local


def subject_out(subject: Subject) -> dict[str, Any]:
    return {
        "id": subject.pk,
        "name": subject.display_name,
        "name_ky": subject.name,
        "name_ru": subject.name_ru,
        "short_name": subject.short_name,
        "kind": subject.kind,
        "parent": subject.parent_id,
        "address": subject.address,
        "head_name": subject.head_name,
        "email": subject.email,
    }


def document_out(document: Document) -> dict[str, Any]:
    return {
        name: getattr(document, name)
        for name in (
            "id",
            "kind",
            "title",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_at",
        )
    }


def element_summary(element: Element) -> dict[str, Any]:
    return {
        "id": element.pk,
        "registration_code": element.registration_code,
        "name": element.display_name,
        "name_ky": element.full_name,
        "name_ru": element.full_name_ru,
        "full_name": element.full_name,
        "full_name_ru": element.full_name_ru,
        "short_name": element.short_name,
        "element_type": element.element_type or None,
        "status": element.status,
        "subject": element.subject_id,
        "subject_name": str(element.subject),
        "registered_at": element.registered_at,
        "decommissioned_at": element.decommissioned_at,
    }


def _list_rows(element: Element, list_name: str) -> list[dict[str, Any]]:
    columns = snapshot.LIST_COLUMNS[list_name]
    return [
        {column: getattr(row, column) for column in columns}
        for row in getattr(element, list_name).all()
    ]


def element_out(element: Element, user: Actor) -> dict[str, Any]:
    """The whole record for those who may see it; the public record otherwise."""
    full = can_view_private(user, element)
    data = element_summary(element)
    for name in snapshot.SCALAR_ATTRIBUTES:
        if name not in data:
            data[name] = getattr(element, name) if full or name in PUBLIC_ATTRIBUTES else None
    data["financing_source"] = element.financing_source or None
    for list_name in snapshot.LIST_COLUMNS:
        shown = full or list_name in PUBLIC_LISTS
        data[list_name] = _list_rows(element, list_name) if shown else None
    data["documents"] = [
        document_out(doc)
        for doc in snapshot.documents_of(element)
        if full or public_document({"kind": doc.kind})
    ]
    data["private_fields_shown"] = full
    # The public's latest version is the registered record's, not a proposal's (000 §21).
    data["version"] = (
        element.version_number
        if full
        else readable_versions(user, element)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
        or 0
    )
    data["created_at"] = element.created_at if full else None
    data["updated_at"] = element.updated_at if full else None
    return data


def version_out(version: ElementVersion, full: bool, proposed: bool = False) -> dict[str, Any]:
    actor = version.actor
    return {
        "number": version.number,
        "status": version.status,
        "event": version.event,
        "created_at": version.created_at,
        "actor": (str(actor) if actor else None) if full else None,
        "changes": version.changes if full else public_changes(version.changes),
        "snapshot": version.snapshot if full else public_snapshot(version.snapshot),
        "proposed": proposed,
    }


def submission_out(submission: Submission) -> dict[str, Any]:
    element = submission.element
    decision = getattr(submission, "decision", None)
    is_open = submission.status == SubmissionStatus.OPEN
    return {
        "id": submission.pk,
        "element": element.pk,
        "element_name": str(element),
        "subject": element.subject_id,
        "subject_name": str(element.subject),
        "kind": submission.kind,
        "status": submission.status,
        "version_number": submission.version_number,
        "submitted_at": submission.submitted_at,
        "due_date": submission.due_date,
        "overdue": is_open and submission.due_date < today_local(),
        "decision": None
        if decision is None
        else {
            "outcome": decision.outcome,
            "ground": decision.ground or None,
            "explanation": decision.explanation,
            "missing_fields": decision.missing_fields or [],
            "decided_at": decision.decided_at,
        },
    }


def application_out(application: AccessApplication) -> dict[str, Any]:
    data = {
        name: getattr(application, name)
        for name in (
            "id",
            "subject_address",
            "element_full_name",
            "element_short_name",
            "element_type",
            "employee_full_name",
            "employee_position",
            "employee_email",
            "appointment_decision",
            "status",
            "received_at",
            "forward_due",
            "forwarded_at",
            "decided_at",
            "decision_comment",
        )
    }
    data["subject"] = application.subject_id
    data["subject_name"] = str(application.subject)
    data["employee"] = application.employee_id
    data["reference"] = application.reference
    if application.issued_status_token and application.reference:
        data["status_url"] = reverse(
            "registry:application-status",
            args=[application.reference, application.issued_status_token],
        )
    data["overdue"] = (
        application.status == ApplicationStatus.RECEIVED and application.forward_due < today_local()
    )
    return data


def notice_out(notice: DecommissioningNotice) -> dict[str, Any]:
    data = {
        name: getattr(notice, name)
        for name in (
            "id",
            "status",
            "decision_date",
            "decision_reference",
            "reason",
            "notified_at",
            "notice_due",
            "is_late",
            "record_due",
            "agreed_at",
            "agreement_comment",
            "recorded_at",
        )
    }
    data["element"] = notice.element_id
    data["element_name"] = str(notice.element)
    data["subject"] = notice.element.subject_id
    data["decision_document"] = document_out(notice.decision_document)
    data["overdue"] = (
        notice.status in (DecommissioningStatus.NOTIFIED, DecommissioningStatus.AGREED)
        and notice.record_due < today_local()
    )
    return data


def information_request_out(request: InformationRequest) -> dict[str, Any]:
    data = {
        name: getattr(request, name)
        for name in ("id", "question", "answer_due", "status", "asked_at", "answer", "answered_at")
    }
    data["element"] = request.element_id
    data["element_name"] = str(request.element)
    return data
