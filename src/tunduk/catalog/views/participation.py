"""A participant's engineers: their participation, subsystems and services, leaving (003 §3.2, §4).

The engineers are the authorised employees of the participant's subject. A suspended
participant still sees its pages, with a banner; the services refuse its actions and
the page shows why.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from tunduk.catalog.choices import AccessRequestStatus, StatusChangeKind
from tunduk.catalog.forms import ServiceForm, SharedFieldsFormSet, StatusChangeForm, SubsystemForm
from tunduk.catalog.models import AccessRequest, Agreement, Grant, Service, Subsystem
from tunduk.catalog.services.participants import change_status
from tunduk.catalog.services.systems import register_subsystem, save_service
from tunduk.catalog.views._base import Button, FormPage, ParticipantMixin, attempt
from tunduk.catalog.views.operator import status_message


class ParticipationView(ParticipantMixin, View):
    """Everything of the participant in one page, with the actions open to its engineers."""

    action_name = "participation"

    def get(self, request: HttpRequest) -> HttpResponse:
        participant = self.participant
        ours = {"service__subsystem__participant": participant}
        context: dict[str, Any] = {
            "participant": participant,
            "subsystems": participant.subsystems.select_related("element").prefetch_related(
                "services__shared_fields"
            ),
            "gateways": participant.gateways.select_related("status_report"),
            "certificates": participant.certificates.select_related("gateway__participant"),
            "received": AccessRequest.objects.filter(
                **ours, status=AccessRequestStatus.PENDING
            ).select_related("service__subsystem__participant", "client__participant", "endpoint"),
            "grants": Grant.objects.filter(**ours, revoked_at__isnull=True).select_related(
                "service__subsystem__participant", "client__participant", "group", "endpoint"
            ),
            "sent": AccessRequest.objects.filter(client__participant=participant).select_related(
                "service__subsystem__participant", "client__participant", "endpoint"
            ),
            "agreements": Agreement.objects.filter(
                Q(participant=participant) | Q(counterparty=participant)
            ).select_related("participant", "counterparty", "service__subsystem__participant"),
            "notices": participant.notices.select_related("subsystem__participant")[:20],
            "pending_changes": participant.status_changes.filter(applied_at__isnull=True),
        }
        return render(request, "catalog/participation.html", context)


class SubsystemCreateView(ParticipantMixin, View):
    """Register one of the subject's registered information systems as a subsystem."""

    action_name = "register_subsystem"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(SubsystemForm(participant=self.participant)).render(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SubsystemForm(request.POST, participant=self.participant)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            outcome = attempt(
                form,
                lambda: register_subsystem(
                    request.user,
                    self.participant,
                    data["subsystem_code"],
                    data["name"],
                    data["element"],
                ),
            )
            if outcome.result is not None:
                messages.success(
                    request,
                    _("%(subsystem)s is registered.") % {"subsystem": outcome.result.identifier},
                )
                return redirect("catalog:participation")
            status = outcome.status
        return self.page(form).render(request, status)

    def page(self, form: SubsystemForm) -> FormPage:
        return FormPage(
            title=gettext_lazy("Register a subsystem"),
            intro=gettext_lazy(
                "An information system of your subject registered in the Registry joins the "
                "exchange as %(member)s/SUBSYSTEM (003 §3.2.2)."
            )
            % {"member": self.participant.identifier},
            form=form,
            form_id="subsystem-form",
            buttons=[Button("register", gettext_lazy("Register"))],
            back_url=reverse("catalog:participation"),
            extra={"participant": self.participant},
        )


class ServiceFormMixin(ParticipantMixin):
    """Add or edit a service: the form, the shared-fields list, and saving through the service."""

    action_name = "save_service"

    def save(self, subsystem: Subsystem, service: Service | None) -> HttpResponse:
        request = self.request
        form = ServiceForm(request.POST, request.FILES, service=service)
        shared = SharedFieldsFormSet(request.POST)
        status = 400
        if form.is_valid() and shared.is_valid():
            data = form.cleaned_data
            outcome = attempt(
                form,
                lambda: save_service(
                    request.user,
                    subsystem,
                    service_code=data["service_code"],
                    title=data["title"],
                    backend_url=data["backend_url"],
                    openapi_text=form.text() or None,
                    shared_fields=shared.rows(),
                    description=data["description"],
                ),
                formsets={"shared_fields": shared},
                rename={"openapi_document": "openapi_text"},
            )
            if outcome.result is not None:
                messages.success(
                    request,
                    _("%(service)s is saved in the Catalog.")
                    % {"service": outcome.result.identifier},
                )
                return redirect("catalog:participation")
            status = outcome.status
        return self.page(subsystem, service, form, shared).render(request, status)

    def page(
        self,
        subsystem: Subsystem,
        service: Service | None,
        form: ServiceForm,
        shared: SharedFieldsFormSet,
    ) -> FormPage:
        title = (
            _("Edit %(service)s") % {"service": service.identifier}
            if service
            else _("New service of %(subsystem)s") % {"subsystem": subsystem.identifier}
        )
        return FormPage(
            title=title,
            intro=gettext_lazy(
                "Describe the service and list the fields it makes available to other "
                "participants (003 §3.2.2, appendix 1)."
            ),
            form=form,
            form_id="service-form",
            buttons=[Button("save", gettext_lazy("Save"))],
            formsets={"shared_fields": shared},
            multipart=True,
            back_url=reverse("catalog:participation"),
            extra={"participant": self.participant},
        )

    def own_subsystem(self, pk: int) -> Subsystem:
        return get_object_or_404(
            Subsystem.objects.select_related("participant"), pk=pk, participant=self.participant
        )


class ServiceCreateView(ServiceFormMixin, View):
    """Describe a new REST service of one of the participant's subsystems."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        subsystem = self.own_subsystem(pk)
        return self.page(subsystem, None, ServiceForm(), SharedFieldsFormSet()).render(request)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.save(self.own_subsystem(pk), None)


class ServiceEditView(ServiceFormMixin, View):
    """Keep a service's description current (003 §3.2.2)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        service = self.own_service(pk)
        return self.page(
            service.subsystem,
            service,
            ServiceForm(service=service),
            SharedFieldsFormSet(service=service),
        ).render(request)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        service = self.own_service(pk)
        return self.save(service.subsystem, service)

    def own_service(self, pk: int) -> Service:
        return get_object_or_404(
            Service.objects.select_related("subsystem__participant"),
            pk=pk,
            subsystem__participant=self.participant,
        )


class LeaveView(ParticipantMixin, View):
    """The participant leaves the exchange, with reasons and prior notice (003 §4)."""

    action_name = "leave"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(StatusChangeForm()).render(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = StatusChangeForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            outcome = attempt(
                form,
                lambda: change_status(
                    request.user,
                    self.participant,
                    StatusChangeKind.LEAVE,
                    data["reason"],
                    data["effective_at"],
                ),
            )
            if outcome.result is not None:
                messages.success(request, status_message(outcome.result))
                return redirect("catalog:participation")
            status = outcome.status
        return self.page(form).render(request, status)

    def page(self, form: StatusChangeForm) -> FormPage:
        return FormPage(
            title=gettext_lazy("Leave the exchange"),
            intro=gettext_lazy(
                "A participant may leave Tunduk when its information system is threatened. "
                "State the reasons; the operator is notified at once (003 §4)."
            ),
            form=form,
            form_id="status-form",
            buttons=[Button("leave", gettext_lazy("Leave the exchange"))],
            back_url=reverse("catalog:participation"),
            extra={"participant": self.participant},
        )
