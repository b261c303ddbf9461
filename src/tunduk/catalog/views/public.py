"""The public Catalog: participants, their services and shared fields, and current notices.

The public sees identifiers, names, service titles, endpoints, shared fields, statuses
and public notices; never backend URLs, OpenAPI documents or certificates. A signed-in
engineer of another participant may ask a service's owner for access from its page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from tunduk.catalog.forms import AccessRequestForm
from tunduk.catalog.forms.filters import (
    ParticipantFilterForm,
    ServiceFilterForm,
    SubsystemFilterForm,
)
from tunduk.catalog.models import Notice, Participant, Service, Subsystem
from tunduk.catalog.services.access import request_access
from tunduk.catalog.views._base import participant_of
from tunduk.catalog.visibility import (
    current_public_notices,
    listed_participants,
    listed_services,
)
from tunduk.core.errors import NotPermitted, RuleError
from tunduk.core.forms import show_error
from tunduk.core.views import audit_refusal


class ParticipantListView(ListView[Participant]):
    """Every participant with its subsystems, their enabled services and shared fields;
    searched and filtered with ``ParticipantFilter`` (as the API is)."""

    template_name = "catalog/participant_list.html"
    context_object_name = "participants"

    def get_queryset(self) -> QuerySet[Participant]:
        self.filter_form = ParticipantFilterForm(self.request.GET)
        return self.filter_form.filter(listed_participants()).order_by(
            "member_class", "member_code"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["notices"] = current_public_notices()
        context["filter_form"] = self.filter_form
        return context


class SubsystemListView(ListView[Subsystem]):
    """Every subsystem, searched and filtered with ``SubsystemFilter`` (as the API is)."""

    template_name = "catalog/subsystem_list.html"
    context_object_name = "subsystems"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Subsystem]:
        self.filter_form = SubsystemFilterForm(self.request.GET)
        subsystems = Subsystem.objects.select_related("participant__subject", "element")
        return self.filter_form.filter(subsystems).order_by(
            "participant__member_class", "participant__member_code", "subsystem_code", "id"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(filter_form=self.filter_form, **kwargs)


class ServiceListView(ListView[Service]):
    """Every enabled service, searched and filtered with ``ServiceFilter`` (as the API is)."""

    template_name = "catalog/service_list.html"
    context_object_name = "services"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Service]:
        self.filter_form = ServiceFilterForm(self.request.GET)
        services = listed_services().select_related("subsystem__participant__subject")
        return self.filter_form.filter(services).order_by(
            "subsystem__participant__member_class",
            "subsystem__participant__member_code",
            "subsystem__subsystem_code",
            "service_code",
            "id",
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(filter_form=self.filter_form, **kwargs)


class NoticeListView(ListView[Notice]):
    """Current incidents and maintenance of the exchange and its participants."""

    template_name = "catalog/notice_list.html"
    context_object_name = "notices"

    def get_queryset(self) -> QuerySet[Notice]:
        return current_public_notices()


class ServiceDetailView(View):
    """A service's identifier, endpoints and shared fields; engineers may request access."""

    template_name = "catalog/service_detail.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        service = self.get_service(pk)
        return self.render(service, self.request_form(service))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        service = self.get_service(pk)
        form = self.request_form(service, request.POST)
        if form is None:
            return self.render(service, None, status=403)
        if not form.is_valid():
            return self.render(service, form, status=400)
        data = form.cleaned_data
        try:
            request_access(request.user, data["client"], service, data["purpose"], data["endpoint"])
        except RuleError as error:
            if isinstance(error, NotPermitted):  # shown on the form, as on every Catalog page
                audit_refusal(request, error)
            show_error(form, error, rename={"service": "client"})
            return self.render(service, form, status=error.status_code)
        messages.success(request, _("Your request has been sent to the owner of the service."))
        return redirect("catalog:participation")

    @staticmethod
    def get_service(pk: int) -> Service:
        return get_object_or_404(
            listed_services()
            .select_related("subsystem__participant__subject")
            .prefetch_related("endpoints", "shared_fields"),
            pk=pk,
        )

    def request_form(self, service: Service, data: Any = None) -> AccessRequestForm | None:
        """The request form, for engineers of a participant other than the owner."""
        participant = participant_of(self.request)
        if participant is None or participant.pk == service.subsystem.participant_id:
            return None
        return AccessRequestForm(data, service=service, participant=participant)

    def render(
        self, service: Service, form: AccessRequestForm | None, status: int = 200
    ) -> HttpResponse:
        participant = participant_of(self.request)
        context = {
            "service": service,
            "owner": service.subsystem.participant,
            "form": form,
            "requester": participant,
        }
        return render(self.request, self.template_name, context, status=status)
