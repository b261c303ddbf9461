"""The public access application (000 §15–17) and its confirmation with the 000 §18 deadline."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from tunduk.core.errors import RateLimited, RuleError
from tunduk.core.forms import show_error
from tunduk.registry import services
from tunduk.registry.forms import AccessApplicationForm
from tunduk.registry.models import AccessApplication
from tunduk.registry.throttling import limit_access_applications
from tunduk.workdays.deadlines import Deadline

# The confirmation page shows only the application this browser sent, so the numbers of
# other subjects' applications cannot be browsed.
SESSION_KEY = "registry:last-access-application"
# The status page's secret, shown once on the confirmation page (and sent by e-mail).
SESSION_TOKEN_KEY = "registry:last-access-application-token"


class ApplicationCreateView(FormView[AccessApplicationForm]):
    """A subject asks the authorised body for the right to enter an element's data."""

    template_name = "registry/application_form.html"
    form_class = AccessApplicationForm

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            limit_access_applications(request)
        except RateLimited as error:
            form = self.get_form()
            show_error(form, error)
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(error.detail["retry_after"])
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: AccessApplicationForm) -> HttpResponse:
        try:
            application = services.submit_application(
                form.cleaned_data["subject"], form.application_data()
            )
        except RuleError as error:
            show_error(form, error)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        self.request.session[SESSION_KEY] = application.pk
        self.request.session[SESSION_TOKEN_KEY] = application.issued_status_token
        return HttpResponseRedirect(reverse("registry:application-thanks"))

    def form_invalid(self, form: AccessApplicationForm) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ApplicationThanksView(TemplateView):
    """What happens next: the authorised body forwards the application within 3 days."""

    template_name = "registry/application_thanks.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        pk = request.session.get(SESSION_KEY)
        self.application = (
            AccessApplication.objects.select_related("subject").filter(pk=pk).first()
            if pk
            else None
        )
        if self.application is None:
            raise Http404
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        deadline = Deadline.APPLICATION_FORWARD
        token = self.request.session.get(SESSION_TOKEN_KEY, "")
        reference = self.application.reference if self.application else None
        status_url = (
            reverse("registry:application-status", args=[reference, token])
            if token and reference
            else ""
        )
        return super().get_context_data(
            application=self.application, deadline=deadline, status_url=status_url, **kwargs
        )
