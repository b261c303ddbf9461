"""Django admin for users and invitations.

Users are never deleted (their actions stay attributed in the audit trail); deactivate
an account instead. Invitations are created only by granting an access application
(000 §19), so they are read-only here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tunduk.accounts.models import Invitation, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):  # type: ignore[type-arg]  # generic only in the stubs
    """Django's user admin plus the Registry's role, subject and position."""

    list_display = ["username", "email", "full_name", "role", "subject", "is_active"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["username", "email", "full_name", "subject__name"]
    list_select_related = ["subject"]
    autocomplete_fields = ["subject"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Registry"), {"fields": ("full_name", "position", "role", "subject")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Registry"), {"fields": ("email", "full_name", "position", "role", "subject")}),
    )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # generic only in the stubs
    list_display = ["email", "user", "created_at", "accepted_at"]
    exclude = ["token"]  # the token is a password-setting secret; support staff never need it
    search_fields = ["email", "user__username"]
    list_select_related = ["user"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
