"""A participant's engineers: their participation, subsystems and services, leaving (003 §3.2, §4).

The engineers are the authorised employees of the participant's subject. A suspended
participant still sees its pages, with a banner; the services refuse its actions and
the page shows why.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from tunduk.catalog.choices import AccessRequestStatus, StatusChangeKind
from tunduk.catalog.forms import ServiceForm, SharedFieldsFormSet, StatusChangeForm, SubsystemForm
from tunduk.catalog.models import (
    AccessRequest,
    Agreement,
    Grant,
    ParticipantStatusChange,
    Service,
    Subsystem,
)
from tunduk.catalog.prior_notice import default_effective_at
from tunduk.catalog.services.participants import change_status
from tunduk.catalog.services.systems import register_subsystem, save_service
from tunduk.catalog.views._base import Button, FormPage, FormPageView, ParticipantMixin
from tunduk.catalog.views.operator import status_message
from tunduk.core.actors import Actor


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


class SubsystemCreateView(ParticipantMixin, FormPageView[None, Subsystem]):
    """Register one of the subject's registered information systems as a subsystem."""

    action_name = "register_subsystem"
    form_class = SubsystemForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"participant": self.participant}

    def service(self, actor: Actor, obj: None, data: dict[str, Any]) -> Subsystem:
        return register_subsystem(
            actor, self.participant, data["subsystem_code"], data["name"], data["element"]
        )

    def get_success_message(self, result: Subsystem) -> str:
        return _("%(subsystem)s is registered.") % {"subsystem": result.identifier}

    def get_success_url(self, result: Subsystem) -> str:
        return reverse("catalog:participation")

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


class ServiceFormMixin(ParticipantMixin, FormPageView[Subsystem, Service]):
    """Add or edit a service: the form, the shared-fields list, and saving through the service."""

    action_name = "save_service"
    form_class = ServiceForm
    error_fields = {"openapi_document": "openapi_text"}
    service_object: Service | None = None  # the service edited; None for a new one

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"service": self.service_object}

    shared: SharedFieldsFormSet

    def get_formsets(self, bound: bool) -> dict[str, SharedFieldsFormSet]:
        if bound:
            self.shared = SharedFieldsFormSet(self.request.POST)
        else:
            self.shared = SharedFieldsFormSet(service=self.service_object)
        return {"shared_fields": self.shared}

    def service(self, actor: Actor, obj: Subsystem, data: dict[str, Any]) -> Service:
        return save_service(
            actor,
            obj,
            service_code=data["service_code"],
            title=data["title"],
            title_ru=data.get("title_ru") or "",
            backend_url=data["backend_url"],
            openapi_text=data.get("openapi_text") or None,
            shared_fields=self.shared.rows(),
            description=data["description"],
        )

    def get_success_message(self, result: Service) -> str:
        return _("%(service)s is saved in the Catalog.") % {"service": result.identifier}

    def get_success_url(self, result: Service) -> str:
        return reverse("catalog:participation")

    def page(self, form: ServiceForm) -> FormPage:
        subsystem, service = self.object, self.service_object
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
            formsets=self.formsets,
            multipart=True,
            back_url=reverse("catalog:participation"),
            extra={"participant": self.participant},
        )


class ServiceCreateView(ServiceFormMixin):
    """Describe a new REST service of one of the participant's subsystems."""

    def get_object(self) -> Subsystem:
        return get_object_or_404(
            Subsystem.objects.select_related("participant"),
            pk=self.kwargs["pk"],
            participant=self.participant,
        )


class ServiceEditView(ServiceFormMixin):
    """Keep a service's description current (003 §3.2.2)."""

    def get_object(self) -> Subsystem:
        self.service_object = get_object_or_404(
            Service.objects.select_related("subsystem__participant"),
            pk=self.kwargs["pk"],
            subsystem__participant=self.participant,
        )
        return self.service_object.subsystem


class LeaveView(ParticipantMixin, FormPageView[None, ParticipantStatusChange]):
    """The participant leaves the exchange, with reasons and prior notice (003 §4)."""

    action_name = "leave"
    form_class = StatusChangeForm

    def service(self, actor: Actor, obj: None, data: dict[str, Any]) -> ParticipantStatusChange:
        return change_status(
            actor,
            self.participant,
            StatusChangeKind.LEAVE,
            data["reason"],
            data["effective_at"]
            or default_effective_at(StatusChangeKind.LEAVE, security_incident=False),
        )

    def get_success_message(self, result: ParticipantStatusChange) -> str:
        return status_message(result)

    def get_success_url(self, result: ParticipantStatusChange) -> str:
        return reverse("catalog:participation")

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
