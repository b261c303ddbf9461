"""``/api/elements/{id}/…``: documents, submission, history and decommissioning of one element."""

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from tunduk.api.auth import token_optional, token_required
from tunduk.api.errors import responses
from tunduk.api.lookups import actor
from tunduk.api.pagination import Paged, PagePagination
from tunduk.api.types import PathId, Text
from tunduk.registry import services, snapshot
from tunduk.registry.api.lookups import readable_element
from tunduk.registry.api.presenters import document_out, notice_out, submission_out, version_out
from tunduk.registry.api.schemas import (
    DecommissioningIn,
    DocumentOut,
    NoticeOut,
    ProposedChangeOut,
    SubmissionOut,
    SubmitIn,
    VersionOut,
)
from tunduk.registry.choices import DocumentKind
from tunduk.registry.models import DecommissioningNotice, Submission
from tunduk.registry.proposals import element_proposal_numbers, open_change
from tunduk.registry.visibility import can_view_private, public_document, readable_versions

router = Router(tags=["elements"])


class DocumentIn(Schema):
    """Form fields sent with an attached file."""

    kind: DocumentKind
    title: Text = ""


@router.get(
    "/{element_id}/documents",
    response=responses({200: list[DocumentOut]}),
    auth=token_optional,
    summary="List an element's documents",
)
def list_documents(request: HttpRequest, element_id: PathId) -> list[dict[str, Any]]:
    """Documents of the registered record; the public sees the commissioning act (field 17)
    only. Documents of a proposed change are listed with it (``/proposed-change``)."""
    element = readable_element(request, element_id)
    full = can_view_private(actor(request), element)
    return [
        document_out(doc)
        for doc in snapshot.documents_of(element)
        if full or public_document({"kind": doc.kind})
    ]


@router.post(
    "/{element_id}/documents",
    response=responses({201: DocumentOut}),
    auth=token_required,
    summary="Attach a document",
)
def attach_document(
    request: HttpRequest,
    element_id: PathId,
    form: Form[DocumentIn],
    file: File[UploadedFile],
) -> Status[dict[str, Any]]:
    """Attach a technical document (field 12) or the commissioning act (field 17)."""
    document = services.attach_document(
        actor(request), readable_element(request, element_id), form.kind, file, form.title
    )
    return Status(201, document_out(document))


@router.get(
    "/{element_id}/proposed-change",
    response=responses({200: ProposedChangeOut}),
    auth=token_optional,
    summary="Get an element's proposed change",
)
def get_proposed_change(request: HttpRequest, element_id: PathId) -> dict[str, Any]:
    """The open proposed change of a registered element beside its registered record.

    Only the subject's own employees and the staff may read it (000 §21, §24); anyone else,
    and any element without an open change, is answered 404.
    """
    element = readable_element(request, element_id)
    change = open_change(element) if can_view_private(actor(request), element) else None
    if change is None:
        raise Http404(_("There is no such object."))
    registered = snapshot.take(element)
    return {
        "element": element.pk,
        "status": element.status,
        "proposed_at": change.created_at,
        "updated_at": change.updated_at,
        "registered": registered,
        "proposed": change.record,
        "changes": snapshot.diff(registered, change.record),
    }


@router.post(
    "/{element_id}/submit",
    response=responses({201: SubmissionOut}),
    auth=token_required,
    summary="Submit an element for review",
)
def submit_element(
    request: HttpRequest, element_id: PathId, payload: SubmitIn | None = None
) -> Status[dict[str, Any]]:
    """Send the record to the operator; an incomplete record is refused with the missing fields
    unless ``allow_incomplete`` is true (000 §21–23)."""
    allow_incomplete = payload.allow_incomplete if payload else False
    submission = services.submit_element(
        actor(request), readable_element(request, element_id), allow_incomplete=allow_incomplete
    )
    submission = Submission.objects.select_related("element__subject").get(pk=submission.pk)
    return Status(201, submission_out(submission))


@router.get(
    "/{element_id}/versions",
    response=responses({200: list[VersionOut]}),
    auth=token_optional,
    summary="List an element's versions",
)
@paginate(PagePagination)
def list_versions(request: HttpRequest, element_id: PathId) -> Paged:
    """Every state of the record with what changed, oldest first (000 §24).

    The public sees the states since registration, without the non-public fields.
    """
    element = readable_element(request, element_id)
    full = can_view_private(actor(request), element)
    versions = readable_versions(actor(request), element).select_related("actor")
    versions = versions.order_by("number")
    hidden = element_proposal_numbers(element) if full else set()
    return Paged(versions, lambda version: version_out(version, full, version.number in hidden))


@router.post(
    "/{element_id}/decommissioning",
    response=responses({201: NoticeOut}),
    auth=token_required,
    summary="Notify decommissioning",
)
def notify_decommissioning(
    request: HttpRequest,
    element_id: PathId,
    form: Form[DecommissioningIn],
    file: File[UploadedFile],
) -> Status[dict[str, Any]]:
    """The subject's notice that operation stopped, with a copy of the decision (000 §28)."""
    notice = services.notify_decommissioning(
        actor(request),
        readable_element(request, element_id),
        decision_date=form.decision_date,
        decision_reference=form.decision_reference,
        decision_copy=file,
        reason=form.reason,
    )
    notice = DecommissioningNotice.objects.select_related(
        "element__subject", "decision_document"
    ).get(pk=notice.pk)
    return Status(201, notice_out(notice))
