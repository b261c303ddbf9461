"""The operator's pages for day transfers; anyone signed in may look, only operators change.

A refused change gets the shared, audited 403 page (``core.views.RoleRequiredMixin``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import View

from tunduk.accounts.actors import signed_in_user
from tunduk.accounts.choices import Role
from tunduk.core.actors import Actor, Member
from tunduk.core.errors import NotPermitted
from tunduk.core.views import RoleRequiredMixin, ServiceFormView
from tunduk.workdays.calendar import WorkingCalendar
from tunduk.workdays.deadlines import Deadline, today_local
from tunduk.workdays.forms import DayTransferForm
from tunduk.workdays.models import DayTransfer
from tunduk.workdays.services import delete_transfer, save_transfer
from tunduk.workdays.settings import calendar_deadlines_end_on_working_day

CALENDAR_DAYS_SHOWN = 60


def _calendar_start(request: HttpRequest) -> date:
    """The first day of the calendar: ``?from=YYYY-MM-DD`` when valid, else today."""
    try:
        return date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        return today_local()


class OperatorChangesMixin(RoleRequiredMixin):
    """Day transfers are changed by the Registry operator only (000 §21)."""

    action_name = "change_day_transfer"

    def check_role(self, actor: Member) -> None:
        """Refuse anyone but the Registry operator, saying what only the operator may do."""
        if actor.role != Role.OPERATOR:
            raise NotPermitted(
                _("Only the Registry operator may change day transfers."),
                actor=actor,
                action=self.action_name,
                needed=[str(Role.OPERATOR)],
            )


class DayTransferListView(OperatorChangesMixin, ServiceFormView[None, DayTransfer]):
    """The transfers, the next 60 days, and (for the operator) a form to add a transfer."""

    template_name = "workdays/daytransfer_list.html"
    form_class = DayTransferForm

    def check_role(self, actor: Member) -> None:
        """Anyone signed in may look; only the operator adds a transfer."""
        if self.request.method == "POST":
            super().check_role(actor)

    def service(self, actor: Actor, obj: None, data: dict[str, Any]) -> DayTransfer:
        return save_transfer(DayTransfer(**data), actor=actor)

    def get_success_message(self, result: DayTransfer) -> str:
        return _("Transfer for %(date)s saved.") % {"date": date_format(result.date)}

    def get_success_url(self, result: DayTransfer) -> str:
        return reverse("workdays:transfer-list")

    def render_form(self, form: forms.BaseForm, status: int = 200) -> HttpResponse:
        start = _calendar_start(self.request)
        user = self.request.user
        context: dict[str, Any] = {
            "transfers": DayTransfer.objects.select_related("changed_by"),
            "days": WorkingCalendar(start).days(start, CALENDAR_DAYS_SHOWN),
            "deadlines": list(Deadline),
            "calendar_deadlines_move": calendar_deadlines_end_on_working_day(),
            "form": form,
            "can_change": user.is_authenticated and signed_in_user(user).is_operator,
        }
        return render(self.request, self.template_name, context, status=status)


class DayTransferEditView(OperatorChangesMixin, ServiceFormView[DayTransfer, DayTransfer]):
    """Edit one transfer; operator only."""

    template_name = "workdays/daytransfer_edit.html"
    form_class = DayTransferForm

    def get_object(self) -> DayTransfer:
        return get_object_or_404(DayTransfer, pk=self.kwargs["pk"])

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"instance": self.object}

    def service(self, actor: Actor, obj: DayTransfer, data: dict[str, Any]) -> DayTransfer:
        for name in DayTransferForm.Meta.fields:
            setattr(obj, name, data[name])
        return save_transfer(obj, actor=actor)

    def get_success_message(self, result: DayTransfer) -> str:
        return _("Transfer for %(date)s saved.") % {"date": date_format(result.date)}

    def get_success_url(self, result: DayTransfer) -> str:
        return reverse("workdays:transfer-list")

    def render_form(self, form: forms.BaseForm, status: int = 200) -> HttpResponse:
        context = {"transfer": self.object, "form": form}
        return render(self.request, self.template_name, context, status=status)


class DayTransferDeleteView(OperatorChangesMixin, View):
    """Confirm, then remove one transfer with an audit event; operator only."""

    template_name = "workdays/daytransfer_confirm_delete.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        transfer = get_object_or_404(DayTransfer, pk=pk)
        return render(request, self.template_name, {"transfer": transfer})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        transfer = get_object_or_404(DayTransfer, pk=pk)
        day = transfer.date
        delete_transfer(transfer, actor=request.user)
        messages.success(request, _("Transfer for %(date)s removed.") % {"date": date_format(day)})
        return HttpResponseRedirect(reverse("workdays:transfer-list"))
