"""Django admin for the audit trail, and the read-only bases every app's admin uses.

The audit trail is searchable and read-only because rows are only added; the apps' rows
change only through their services, so their admins build on ``ReadOnlyAdmin``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tunduk.core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # generic only in the stubs
    """Audit events can be read and filtered; nobody may add, change or delete one."""

    list_display = ["created_at", "name", "actor", "object_type", "object_id", "ip_address"]
    list_filter = ["name", "object_type"]
    search_fields = ["name", "object_id", "actor__username", "actor__full_name"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class NoDeleteAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # generic only in the stubs
    """Rows that are never deleted, whatever the user's admin rights (the Registry erases nothing)."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(NoDeleteAdmin):
    """View only: these rows change only through the services (or never)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]  # generic only in the stubs
    """A list of related rows shown read-only inside a ``ReadOnlyAdmin``."""

    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
