"""Django admin for day transfers; saves go through the service so they are audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tunduk.workdays.models import DayTransfer
from tunduk.workdays.services import save_transfer


@admin.register(DayTransfer)
class DayTransferAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # generic only in the stubs
    """Edit transfers in the admin; deleting is left to the operator's page, which audits it."""

    list_display = ["date", "kind", "decree", "changed_by", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["decree", "note"]
    date_hierarchy = "date"
    readonly_fields = ["created_at", "updated_at", "changed_by"]

    def save_model(self, request: HttpRequest, obj: DayTransfer, form: Any, change: bool) -> None:
        save_transfer(obj, actor=request.user)

    def has_delete_permission(self, request: HttpRequest, obj: DayTransfer | None = None) -> bool:
        return False
