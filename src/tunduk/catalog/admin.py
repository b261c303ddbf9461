"""Django admin for the Catalog: a read-only window for support staff.

Every change to the Catalog goes through ``tunduk.catalog.services`` so that it is
audited and the global configuration follows; the admin therefore only shows rows.
Nothing can be added, changed or deleted here (grants, memberships and status changes
keep their history by never being deleted).
"""

from __future__ import annotations

from django.contrib import admin

from tunduk.catalog.models import (
    AccessRequest,
    Agreement,
    AppendixVersion,
    Certificate,
    ConfigurationVersion,
    Endpoint,
    ExternalCertificateAuthority,
    Gateway,
    GatewayStatusReport,
    Grant,
    Group,
    GroupMembership,
    Notice,
    Participant,
    ParticipantStatusChange,
    Service,
    SharedField,
    Subsystem,
)
from tunduk.core.admin import ReadOnlyAdmin, ReadOnlyInline


class StatusChangeInline(ReadOnlyInline):
    model = ParticipantStatusChange
    fields = ("kind", "reason", "notice_sent_at", "effective_at", "applied_at", "decided_by")


@admin.register(Participant)
class ParticipantAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "member_class", "member_code", "status", "registered_at")
    list_filter = ("status", "member_class")
    search_fields = ("member_code", "subject__name")
    inlines = [StatusChangeInline]


@admin.register(Subsystem)
class SubsystemAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "name", "element", "created_at")
    search_fields = ("subsystem_code", "name", "participant__member_code")


class EndpointInline(ReadOnlyInline):
    model = Endpoint
    fields = ("method", "path", "summary")


class SharedFieldInline(ReadOnlyInline):
    model = SharedField
    fields = ("position", "name", "description", "personal_data")


@admin.register(Service)
class ServiceAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "title", "service_type", "is_enabled", "updated_at")
    list_filter = ("service_type", "is_enabled")
    search_fields = ("service_code", "title")
    exclude = ("openapi_document",)  # large; the owner's page shows it
    inlines = [EndpointInline, SharedFieldInline]


@admin.register(AppendixVersion)
class AppendixVersionAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "service", "number", "valid_from", "valid_to")


@admin.register(ExternalCertificateAuthority)
class ExternalCertificateAuthorityAdmin(ReadOnlyAdmin):
    list_display = ("name", "subject", "not_after", "approved_at", "withdrawn_at")


@admin.register(Gateway)
class GatewayAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "address", "status", "registered_at", "decided_at")
    list_filter = ("status",)


@admin.register(GatewayStatusReport)
class GatewayStatusReportAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "sent_at", "received_at", "auth_cert_sha256")


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "participant", "profile", "status", "external_ca", "not_after")
    list_filter = ("profile", "status")
    search_fields = ("serial_number", "sha256")


@admin.register(AccessRequest)
class AccessRequestAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "status", "requested_at", "decided_at")
    list_filter = ("status",)


@admin.register(Grant)
class GrantAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "endpoint", "granted_at", "revoked_at")


class MembershipInline(ReadOnlyInline):
    model = GroupMembership
    fields = ("subsystem", "added_at", "removed_at")


@admin.register(Group)
class GroupAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "description", "created_at")
    inlines = [MembershipInline]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "participant", "starts_at", "ends_at", "is_public")
    list_filter = ("kind", "is_public")


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "participant", "counterparty", "signed_on", "terminated_at")
    list_filter = ("kind",)


@admin.register(ConfigurationVersion)
class ConfigurationVersionAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "generated_at", "expires_at", "content_sha256")
    exclude = ("document", "signature")
