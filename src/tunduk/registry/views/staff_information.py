"""The authorised body's requests for additional information (000 §10); the operator reads them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from tunduk.accounts.choices import Role
from tunduk.core.actors import Actor
from tunduk.core.views import ServiceFormView
from tunduk.registry import services
from tunduk.registry.choices import InformationRequestStatus
from tunduk.registry.forms.staff import InformationRequestForm
from tunduk.registry.models import Element, InformationRequest
from tunduk.registry.views.staff import StaffPage

REQUESTS_PAGE_SIZE = 25


class InformationRequestCreateView(StaffPage, ServiceFormView[Element, InformationRequest]):
    """Ask the element's subject a question (000 §10)."""

    allowed_roles = (Role.AUTHORISED_BODY,)
    form_class = InformationRequestForm

    def get_object(self) -> Element:
        return get_object_or_404(Element.objects.select_related("subject"), pk=self.kwargs["pk"])

    def service(self, actor: Actor, obj: Element, data: dict[str, Any]) -> InformationRequest:
        return services.ask(actor, obj, data["question"] or "", data["answer_due"])

    def get_success_message(self, result: InformationRequest) -> str:
        return _("The request has been sent to %(subject)s.") % {"subject": self.object.subject}

    def get_success_url(self, result: InformationRequest) -> str:
        return reverse("registry:information-request-list")

    def render_form(self, form: forms.BaseForm, status: int = 200) -> HttpResponse:
        """The form for a new request about the element."""
        element = self.object
        context = {
            "element": element,
            "form": form,
            "earlier": element.information_requests.select_related("asked_by", "answered_by"),
        }
        return self.render_page("staff_information_request_form.html", context, status=status)


class InformationRequestListView(StaffPage):
    """Every request and its answer; the operator reads, only the authorised body asks."""

    allowed_roles = (Role.AUTHORISED_BODY, Role.OPERATOR)

    def get(self, request: HttpRequest) -> HttpResponse:
        status = request.GET.get("status", "")
        requests = InformationRequest.objects.select_related(
            "element", "element__subject", "asked_by", "answered_by"
        )
        if status in InformationRequestStatus.values:
            requests = requests.filter(status=status)
        page = Paginator(requests.order_by("-asked_at", "-id"), REQUESTS_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context = {
            "page": page,
            "status": status,
            "statuses": InformationRequestStatus.choices,
            "can_ask": self.role == Role.AUTHORISED_BODY,
        }
        return self.render_page("staff_information_request_list.html", context)
