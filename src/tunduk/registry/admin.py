"""Django admin for the Registry: a window for support staff, not a second way to write.

Every change to the Registry goes through ``tunduk.registry.services`` so that it is
versioned, audited and journaled; the admin therefore shows the Registry's rows read-only.
Only accounting subjects (reference data with no service of their own) can be added and
edited here. Nothing can be deleted: the Registry never erases anything (000 §3).
"""

from __future__ import annotations

from django.contrib import admin

from tunduk.core.admin import NoDeleteAdmin, ReadOnlyAdmin, ReadOnlyInline
from tunduk.registry.models import (
    AccessApplication,
    DecommissioningNotice,
    Document,
    Element,
    ElementVersion,
    InformationRequest,
    InformationResource,
    Interaction,
    ProposedChange,
    ProvidedService,
    RegistrationCounter,
    ReviewDecision,
    SoftwareItem,
    StateDomain,
    Subject,
    Submission,
)


@admin.register(Subject)
class SubjectAdmin(NoDeleteAdmin):
    list_display = ["name", "short_name", "kind", "parent", "email"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "email"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["created_at"]


class SoftwareInline(ReadOnlyInline):
    model = SoftwareItem


class ResourceInline(ReadOnlyInline):
    model = InformationResource


class InteractionInline(ReadOnlyInline):
    model = Interaction
    fk_name = "element"


class ServiceInline(ReadOnlyInline):
    model = ProvidedService


class DocumentInline(ReadOnlyInline):
    model = Document
    fields = ("kind", "title", "original_name", "size", "sha256", "uploaded_by", "uploaded_at")
    readonly_fields = fields


@admin.register(Element)
class ElementAdmin(ReadOnlyAdmin):
    list_display = ["full_name", "short_name", "registration_code", "element_type", "status"]
    list_filter = ["status", "element_type", "financing_source"]
    search_fields = ["full_name", "short_name", "registration_code", "subject__name"]
    list_select_related = ["subject"]
    inlines = [SoftwareInline, ResourceInline, InteractionInline, ServiceInline, DocumentInline]


@admin.register(ElementVersion)
class ElementVersionAdmin(ReadOnlyAdmin):
    list_display = ["element", "number", "status", "event", "actor", "created_at"]
    list_filter = ["event", "status"]
    search_fields = ["element__full_name", "element__registration_code"]
    list_select_related = ["element", "actor"]


@admin.register(ProposedChange)
class ProposedChangeAdmin(ReadOnlyAdmin):
    list_display = ["element", "is_open", "created_by", "created_at", "accepted_at"]
    list_filter = ["is_open"]
    search_fields = ["element__full_name", "element__registration_code"]
    list_select_related = ["element", "created_by"]


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["title", "element", "kind", "size", "uploaded_by", "uploaded_at"]
    list_filter = ["kind"]
    search_fields = ["title", "original_name", "sha256", "element__full_name"]
    list_select_related = ["element", "uploaded_by"]


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["element", "kind", "status", "submitted_at", "due_date", "reminded_at"]
    list_filter = ["status", "kind"]
    search_fields = ["element__full_name"]
    list_select_related = ["element"]


@admin.register(ReviewDecision)
class ReviewDecisionAdmin(ReadOnlyAdmin):
    list_display = ["submission", "outcome", "ground", "decided_by", "decided_at"]
    list_filter = ["outcome", "ground"]
    list_select_related = ["submission__element", "decided_by"]


@admin.register(AccessApplication)
class AccessApplicationAdmin(ReadOnlyAdmin):
    list_display = [
        "subject",
        "element_full_name",
        "employee_email",
        "status",
        "received_at",
        "forward_due",
    ]
    list_filter = ["status", "element_type"]
    search_fields = ["subject__name", "element_full_name", "employee_email"]
    list_select_related = ["subject"]


@admin.register(DecommissioningNotice)
class DecommissioningNoticeAdmin(ReadOnlyAdmin):
    list_display = ["element", "status", "decision_date", "is_late", "record_due", "recorded_at"]
    list_filter = ["status", "is_late"]
    search_fields = ["element__full_name", "decision_reference"]
    list_select_related = ["element"]


@admin.register(InformationRequest)
class InformationRequestAdmin(ReadOnlyAdmin):
    list_display = ["element", "status", "asked_by", "asked_at", "answer_due", "answered_at"]
    list_filter = ["status"]
    search_fields = ["element__full_name", "question", "answer"]
    list_select_related = ["element", "asked_by"]


@admin.register(RegistrationCounter)
class RegistrationCounterAdmin(ReadOnlyAdmin):
    list_display = ["name", "value"]


@admin.register(StateDomain)
class StateDomainAdmin(ReadOnlyAdmin):
    """The state e-mail domains, read-only: the operator keeps them at ``/state-domains/``."""

    list_display = ["domain", "note", "added_by", "added_at"]
    search_fields = ["domain"]
