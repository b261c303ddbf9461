"""Django admin for users, invitations and API tokens.

Users are never deleted (their actions stay attributed in the audit trail); deactivate
an account instead. Subject employees are never made here: their access comes only from
an access application the operator grants (000 §15–19), so the admin refuses to create
one, to turn another user into one, or to move one to another subject. Invitations are created only by granting an access application
(000 §19), so they are read-only here. API tokens are created by their owners (profile
page) or ``tunduk create_api_token``; here they can only be revoked, and the hash of the
secret is never shown.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tunduk.accounts.auth import signed_in_user
from tunduk.accounts.choices import Role
from tunduk.accounts.models import Invitation, User
from tunduk.accounts.services import revoke_api_token
from tunduk.accounts.tokens import ApiToken

EMPLOYEE_ONLY_BY_APPLICATION = _(
    "Subject employees get their access only through an access application granted by the "
    "Registry operator (000 §15–19); they cannot be created or assigned here."
)


def _refuse_new_employee(form: forms.ModelForm[User], original: User | None) -> None:
    """Refuse making a subject employee, or moving one to another subject, in the admin."""
    role = form.cleaned_data.get("role")
    subject = form.cleaned_data.get("subject")
    if role != Role.SUBJECT_EMPLOYEE:
        return
    if original is None or original.role != Role.SUBJECT_EMPLOYEE:
        raise ValidationError({"role": EMPLOYEE_ONLY_BY_APPLICATION})
    if subject != original.subject:
        raise ValidationError({"subject": EMPLOYEE_ONLY_BY_APPLICATION})


class UserAddForm(AdminUserCreationForm[User]):
    """The admin's add form: any role but subject employee."""

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        _refuse_new_employee(self, None)
        return cleaned


class UserEditForm(UserChangeForm[User]):
    """The admin's change form: an existing employee stays one of the same subject."""

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        original = User.objects.filter(pk=self.instance.pk).first() if self.instance.pk else None
        _refuse_new_employee(self, original)
        return cleaned


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    """Django's user admin plus the Registry's role, subject and position."""

    add_form = UserAddForm
    form = UserEditForm

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
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    """Invitations can be read; granting an access application creates them."""

    list_display = ["email", "user", "created_at", "accepted_at"]
    exclude = ["token_hash"]  # support staff never need even the hash of a password-setting link
    search_fields = ["email", "user__username"]
    list_select_related = ["user"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


TOKEN_COLUMNS = (
    "name",
    "user",
    "created_at",
    "last_used_at",
    "expires_at",
    "read_only",
    "revoked_at",
)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """API tokens can be read and revoked; nobody adds, edits or deletes one here."""

    list_display = list(TOKEN_COLUMNS)
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "user__username", "user__full_name"]
    list_select_related = ["user"]
    # ``key_hash`` is left out: a hash of a secret is no business of support staff.
    fields = readonly_fields = TOKEN_COLUMNS
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        """Revoking is changing a token, which the read-only admin otherwise forbids."""
        return request.user.has_perm("accounts.change_apitoken")

    @admin.action(description=_("Revoke the selected tokens"), permissions=["revoke"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        """Revoke each selected token through the service, so each revocation is audited."""
        actor = signed_in_user(request)
        revoked = sum(revoke_api_token(actor, token) for token in queryset)
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", revoked)
            % {"count": revoked},
            messages.SUCCESS,
        )
