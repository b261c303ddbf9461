"""Creating, editing, documenting and submitting element records (000 §20–24)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tunduk import limits
from tunduk.accounts.actors import signed_in_user
from tunduk.core.actors import Actor
from tunduk.core.audit import Event
from tunduk.core.errors import IncompleteRecord, InvalidInput, TransitionError, clean_or_raise
from tunduk.core.filetypes import DOCUMENT_TYPES, HEAD_BYTES, detect, extension
from tunduk.core.services import service
from tunduk.registry import proposals, snapshot
from tunduk.registry.choices import (
    DocumentKind,
    ElementStatus,
    ElementType,
    SubmissionKind,
)
from tunduk.registry.fields import FIELDS_BY_LIST, describe_missing, missing_fields
from tunduk.registry.lifecycle import Action, next_status
from tunduk.registry.models import Document, Element, ProposedChange, Subject, Submission
from tunduk.registry.permissions import require_element_owner, require_subject_member
from tunduk.registry.proposals import LIST_MODELS
from tunduk.registry.services import _tell
from tunduk.registry.services._changes import commit_change
from tunduk.workdays.deadlines import Deadline, due_date

EDITABLE_ATTRIBUTES = frozenset(snapshot.SCALAR_ATTRIBUTES)


def _check_type(element_type: Any) -> None:
    """000 appendix §2: exactly one of the four types."""
    if isinstance(element_type, list | tuple | set):
        raise InvalidInput(
            _("An element has exactly one type (000 appendix §2); %(count)d were given.")
            % {"count": len(element_type)},
            field="element_type",
        )
    if element_type and element_type not in ElementType.values:
        raise InvalidInput(
            _("“%(value)s” is not one of the four element types of the appendix.")
            % {"value": element_type},
            field="element_type",
        )


def _apply(element: Element, data: Mapping[str, Any]) -> None:
    unknown = set(data) - EDITABLE_ATTRIBUTES
    if unknown:
        raise InvalidInput(
            ngettext("Unknown field: %(names)s.", "Unknown fields: %(names)s.", len(unknown))
            % {"names": ", ".join(sorted(unknown))},
            field=sorted(unknown)[0],
        )
    _check_type(data.get("element_type"))
    for name, value in data.items():
        setattr(element, name, "" if value is None and name != "user_count" else value)
    clean_or_raise(element, exclude=["subject", "created_by", "registration_code"])


def _check_list_sizes(lists: Mapping[str, Sequence[Mapping[str, Any]]]) -> None:
    """Issue 7 (5): refuse an over-long list before any row is read, checked or stored."""
    limit = limits.ELEMENT_LIST_ROWS
    for list_name, rows in lists.items():
        if list_name not in LIST_MODELS:
            raise InvalidInput(_("Unknown list: %(name)s.") % {"name": list_name}, field=list_name)
        if len(rows) > limit:
            field = FIELDS_BY_LIST[list_name]
            raise InvalidInput(
                ngettext(
                    "Field %(number)d (%(label)s) may hold at most %(limit)d row; %(count)d were sent.",
                    "Field %(number)d (%(label)s) may hold at most %(limit)d rows; %(count)d were sent.",
                    limit,
                )
                % {
                    "number": field.number,
                    "label": field.label,
                    "limit": limit,
                    "count": len(rows),
                },
                field=list_name,
                limit=limit,
            )


def _valid_rows(element: Element, list_name: str, rows: Sequence[Mapping[str, Any]]) -> list[Any]:
    """The rows of one list as unsaved model instances, each validated (naming the row)."""
    model = LIST_MODELS[list_name]
    # Rows of whichever list model this is; mypy cannot tie the union to the manager.
    items: list[Any] = []
    for position, row in enumerate(rows):
        item = model(element=element, position=position, **dict(row))
        clean_or_raise(item, exclude=["element"], where=(list_name, position))
        items.append(item)
    return items


def _replace_lists(element: Element, lists: Mapping[str, Sequence[Mapping[str, Any]]]) -> None:
    _check_list_sizes(lists)
    for list_name, rows in lists.items():
        items = _valid_rows(element, list_name, rows)
        # Every row is valid: replace the old ones in two statements, not one per row.
        model = LIST_MODELS[list_name]
        model.objects.filter(element=element).delete()
        model.objects.bulk_create(items)


def _proposed(user: Actor, element: Element) -> tuple[ProposedChange, Element]:
    """The element's open proposed change (a new one from the registered record if none)
    and the unsaved copy that shows it; the caller holds the element's row lock."""
    change = proposals.open_change(element, lock=True)
    if change is None:
        change = ProposedChange(
            element=element, record=snapshot.take(element), created_by=signed_in_user(user)
        )
    return change, proposals.proposed_element(element, change.record)


def _propose(
    user: Actor,
    element: Element,
    data: Mapping[str, Any],
    lists: Mapping[str, Sequence[Mapping[str, Any]]],
) -> Element:
    """Store an edit of a registered record as its proposed change (000 §21, §24).

    The registered record (the element's row and lists) is left as it is; the whole
    proposed record is validated exactly as a direct edit would be.
    """
    change, proposed = _proposed(user, element)
    _apply(proposed, data)
    _check_list_sizes(lists)
    for list_name, rows in lists.items():
        proposals.replace_rows(proposed, list_name, _valid_rows(proposed, list_name, rows))
    change.record = snapshot.take(proposed)
    change.save()
    commit_change(element, Event.ELEMENT_UPDATED, user, proposal=change.record)
    return element


@service
def create_element(
    user: Actor,
    subject: Subject,
    data: Mapping[str, Any],
    lists: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
) -> Element:
    """Create a draft record for ``subject``; any of the 17 fields may still be missing."""
    require_subject_member(user, subject, action="create_element")
    element = Element(subject=subject, created_by=signed_in_user(user), status=ElementStatus.DRAFT)
    if not str(data.get("full_name") or "").strip():
        raise InvalidInput(
            _("Full name (field 1) is required even for a draft."), field="full_name"
        )
    _apply(element, data)
    element.save()
    _replace_lists(element, lists or {})
    commit_change(element, Event.ELEMENT_CREATED, user)
    return element


@service
def update_element(
    user: Actor,
    element: Element,
    data: Mapping[str, Any],
    lists: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
) -> Element:
    """Change the record of a draft or refused element, or propose a change of a registered
    one: the registered record stays public until the operator accepts it (000 §21–24)."""
    element = Element.objects.select_for_update().get(pk=element.pk)
    require_element_owner(user, element, action="update_element")
    next_status(element.status, Action.EDIT)
    if proposals.changes_need_review(element):
        return _propose(user, element, data, lists or {})
    _apply(element, data)
    element.save()
    _replace_lists(element, lists or {})
    commit_change(element, Event.ELEMENT_UPDATED, user)
    return element


def check_document(upload: UploadedFile[bytes]) -> tuple[str, str]:
    """Check an upload's type (extension and leading bytes) and size.

    Returns its SHA-256 and the media type detected from its content, which is what is
    stored and served: the type the uploader's browser claimed is ignored.
    """
    name = (upload.name or "").lower()
    suffix = extension(name)
    if suffix not in DOCUMENT_TYPES:
        allowed = ", ".join(sorted(DOCUMENT_TYPES))
        raise InvalidInput(
            _("Files of type “%(ext)s” are not accepted; use one of: %(allowed)s.")
            % {"ext": suffix or name, "allowed": allowed},
            field="file",
        )
    if not upload.size:
        raise InvalidInput(_("The file is empty."), field="file")
    limit = settings.DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise InvalidInput(
            _("The file is %(size)d bytes; the limit is %(limit)d bytes (%(mb)d MB).")
            % {"size": upload.size, "limit": limit, "mb": limit // (1024 * 1024)},
            field="file",
        )
    upload.seek(0)
    media_type = detect(name, upload.read(HEAD_BYTES))
    if media_type is None:
        raise InvalidInput(
            _("The file's content is not a valid %(ext)s document.") % {"ext": suffix},
            field="file",
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest(), media_type


def store_document(
    user: Actor, element: Element, kind: str, upload: UploadedFile[bytes], title: str
) -> Document:
    """Validate and store an attachment; the caller owns the transaction."""
    if kind not in DocumentKind.values:
        raise InvalidInput(_("Unknown document kind “%(kind)s”.") % {"kind": kind}, field="kind")
    sha256, media_type = check_document(upload)
    document = Document(
        element=element,
        kind=kind,
        title=(title or upload.name or "")[:300],
        original_name=(upload.name or "")[:255],
        content_type=media_type,
        size=upload.size or 0,
        sha256=sha256,
        uploaded_by=signed_in_user(user),
    )
    document.file.save(sha256, upload, save=False)
    document.save()
    return document


@service
def attach_document(
    user: Actor, element: Element, kind: str, upload: UploadedFile[bytes], title: str = ""
) -> Document:
    """Attach a technical document (000 §20.12) or the commissioning act (000 §20.17)."""
    element = Element.objects.select_for_update().get(pk=element.pk)
    require_element_owner(user, element, action="attach_document")
    next_status(element.status, Action.EDIT)
    if kind == DocumentKind.DECOMMISSIONING_DECISION:
        raise InvalidInput(
            _("Attach the decision copy with the decommissioning notice (000 §28)."), field="kind"
        )
    if not proposals.changes_need_review(element):
        document = store_document(user, element, kind, upload, title)
        commit_change(
            element,
            Event.DOCUMENT_ATTACHED,
            user,
            journal=[document],
            document=document.pk,
            kind=kind,
        )
        return document
    # A document for a registered record is part of its proposed change (000 §24).
    change, _copy = _proposed(user, element)
    document = store_document(user, element, kind, upload, title)
    change.added_documents = [*change.added_documents, document.pk]
    proposed = proposals.proposed_element(element, change.record)
    change.record = {**change.record, "documents": snapshot.take(proposed)["documents"]}
    change.save()
    commit_change(
        element,
        Event.DOCUMENT_ATTACHED,
        user,
        journal=[document],
        proposal=change.record,
        document=document.pk,
        kind=kind,
    )
    return document


@service
def submit_element(user: Actor, element: Element, *, allow_incomplete: bool = False) -> Submission:
    """Send the record to the operator for review within 3 working days (000 §21).

    An incomplete record is refused with the list of missing fields (000 §20) unless the
    employee confirms sending it anyway; the operator may then refuse it (000 §23.2).
    """
    element = Element.objects.select_for_update().get(pk=element.pk)
    require_element_owner(user, element, action="submit")
    registered_before = element.registration_code is not None
    action = Action.SUBMIT_CHANGE if registered_before else Action.SUBMIT
    if element.status in (ElementStatus.SUBMITTED, ElementStatus.CHANGE_SUBMITTED):
        raise TransitionError(
            _("This record has already been submitted and awaits the operator's review."),
            field="status",
        )
    element.status = next_status(element.status, action)
    if not allow_incomplete:
        require_complete(element)
    now = timezone.now()
    try:
        submission = Submission.objects.create(
            element=element,
            kind=SubmissionKind.CHANGE if registered_before else SubmissionKind.REGISTRATION,
            version_number=element.version_number + 1,
            submitted_by=signed_in_user(user),
            submitted_at=now,
            due_date=due_date(Deadline.ELEMENT_REVIEW, now),
        )
    except IntegrityError as error:
        raise TransitionError(
            _("This record has already been submitted and awaits the operator's review."),
            field="status",
        ) from error
    element.save(update_fields=["status", "updated_at"])
    commit_change(
        element, Event.ELEMENT_SUBMITTED, user, journal=[submission], submission=submission.pk
    )
    _tell.submission_received(submission)
    return submission


def check_complete(element: Element) -> list[int]:
    """Numbers of missing fields in the record the subject works on: the proposed change
    of a registered element if there is one, else the element's record."""
    return missing_fields(proposals.working_record(element))


def require_complete(element: Element) -> None:
    """Raise ``IncompleteRecord`` listing exactly which of the 17 fields are missing."""
    missing = check_complete(element)
    if missing:
        raise IncompleteRecord(
            _("The record is incomplete; missing fields of 000 §20: %(fields)s.")
            % {"fields": describe_missing(missing)},
            missing=missing,
        )
