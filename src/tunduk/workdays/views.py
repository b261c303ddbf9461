"""The operator's pages for day transfers; anyone signed in may look, only operators change."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import View

from tunduk.core.audit import Event, record
from tunduk.workdays.calendar import WorkingCalendar
from tunduk.workdays.deadlines import Deadline, today_local
from tunduk.workdays.forms import DayTransferForm
from tunduk.workdays.models import DayTransfer
from tunduk.workdays.services import delete_transfer, save_transfer

CALENDAR_DAYS_SHOWN = 60


def require_operator(request: HttpRequest) -> None:
    """Refuse, and record the refusal, unless the signed-in user is the Registry operator."""
    if getattr(request.user, "is_operator", False):
        return
    record(
        Event.ACCESS_DENIED,
        actor=request.user,
        ip_address=request.META.get("REMOTE_ADDR"),
        path=request.path,
        method=request.method,
        needed="operator",
    )
    raise PermissionDenied(_("Only the Registry operator may change day transfers."))


def _calendar_start(request: HttpRequest) -> date:
    """The first day of the calendar: ``?from=YYYY-MM-DD`` when valid, else today."""
    try:
        return date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        return today_local()


class DayTransferListView(LoginRequiredMixin, View):
    """The transfers, the next 60 days, and (for the operator) a form to add a transfer."""

    template_name = "workdays/daytransfer_list.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(request, DayTransferForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        require_operator(request)
        form = DayTransferForm(request.POST)
        if not form.is_valid():
            return self.render(request, form, status=400)
        transfer = save_transfer(form.save(commit=False), actor=request.user)
        messages.success(
            request, _("Transfer for %(date)s saved.") % {"date": date_format(transfer.date)}
        )
        return HttpResponseRedirect(reverse("workdays:transfer-list"))

    def render(
        self, request: HttpRequest, form: DayTransferForm, status: int = 200
    ) -> HttpResponse:
        start = _calendar_start(request)
        context: dict[str, Any] = {
            "transfers": DayTransfer.objects.select_related("changed_by"),
            "days": WorkingCalendar(start).days(start, CALENDAR_DAYS_SHOWN),
            "deadlines": list(Deadline),
            "form": form,
            "can_change": getattr(request.user, "is_operator", False),
        }
        return render(request, self.template_name, context, status=status)


class DayTransferEditView(LoginRequiredMixin, View):
    """Edit one transfer; operator only."""

    template_name = "workdays/daytransfer_edit.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            require_operator(request)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        transfer = get_object_or_404(DayTransfer, pk=pk)
        return self.render(request, transfer, DayTransferForm(instance=transfer))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        transfer = get_object_or_404(DayTransfer, pk=pk)
        form = DayTransferForm(request.POST, instance=transfer)
        if not form.is_valid():
            return self.render(request, transfer, form, status=400)
        save_transfer(form.save(commit=False), actor=request.user)
        messages.success(
            request, _("Transfer for %(date)s saved.") % {"date": date_format(transfer.date)}
        )
        return HttpResponseRedirect(reverse("workdays:transfer-list"))

    def render(
        self, request: HttpRequest, transfer: DayTransfer, form: DayTransferForm, status: int = 200
    ) -> HttpResponse:
        context = {"transfer": transfer, "form": form}
        return render(request, self.template_name, context, status=status)


class DayTransferDeleteView(LoginRequiredMixin, View):
    """Confirm, then remove one transfer with an audit event; operator only."""

    template_name = "workdays/daytransfer_confirm_delete.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            require_operator(request)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        transfer = get_object_or_404(DayTransfer, pk=pk)
        return render(request, self.template_name, {"transfer": transfer})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        transfer = get_object_or_404(DayTransfer, pk=pk)
        day = transfer.date
        delete_transfer(transfer, actor=request.user)
        messages.success(request, _("Transfer for %(date)s removed.") % {"date": date_format(day)})
        return HttpResponseRedirect(reverse("workdays:transfer-list"))
