"""The authorised body's requests for additional information (000 §10); the operator reads them."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from tunduk.accounts.choices import Role
from tunduk.core.errors import RuleError
from tunduk.core.forms import show_error
from tunduk.registry import services
from tunduk.registry.choices import InformationRequestStatus
from tunduk.registry.forms.staff import InformationRequestForm
from tunduk.registry.models import Element, InformationRequest
from tunduk.registry.views.staff import StaffView

REQUESTS_PAGE_SIZE = 25


class InformationRequestCreateView(StaffView):
    """Ask the element's subject a question (000 §10)."""

    allowed_roles = (Role.AUTHORISED_BODY,)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        element = get_object_or_404(Element.objects.select_related("subject"), pk=pk)
        return self.show(element, InformationRequestForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        element = get_object_or_404(Element.objects.select_related("subject"), pk=pk)
        form = InformationRequestForm(request.POST)
        if not form.is_valid():
            return self.show(element, form, status=400)

        def failed(error: RuleError) -> HttpResponse:
            show_error(form, error)
            return self.show(element, form, status=error.status_code)

        result = self.attempt(
            lambda: services.ask(
                request.user,
                element,
                form.cleaned_data["question"] or "",
                form.cleaned_data["answer_due"],
            ),
            failed,
        )
        if isinstance(result, HttpResponse):
            return result
        messages.success(
            request,
            _("The request has been sent to %(subject)s.") % {"subject": element.subject},
        )
        return HttpResponseRedirect(reverse("registry:information-request-list"))

    def show(
        self, element: Element, form: InformationRequestForm, status: int = 200
    ) -> HttpResponse:
        """The form for a new request about ``element``."""
        context = {
            "element": element,
            "form": form,
            "earlier": element.information_requests.select_related("asked_by", "answered_by"),
        }
        return self.render_page("staff_information_request_form.html", context, status=status)


class InformationRequestListView(StaffView):
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
