"""Access applications for the authorised body (forward, 000 §18) and the operator (grant, 000 §19)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from tunduk.accounts.choices import Role
from tunduk.core.actors import Actor
from tunduk.core.errors import NotPermitted, RuleError
from tunduk.registry import services
from tunduk.registry.choices import ApplicationStatus
from tunduk.registry.forms.staff import CommentForm
from tunduk.registry.models import AccessApplication
from tunduk.registry.views.staff import StaffPage, mark_deadline
from tunduk.workdays.deadlines import Deadline, today_local

HISTORY_SHOWN = 50
STAFF_ROLES = (Role.AUTHORISED_BODY, Role.OPERATOR)
DECIDED = (ApplicationStatus.GRANTED, ApplicationStatus.REJECTED)


def actions_for(user: Actor, application: AccessApplication) -> list[str]:
    """The buttons this user may press on this application now."""
    if not user.is_authenticated:
        return []
    if user.role == Role.AUTHORISED_BODY and application.status == ApplicationStatus.RECEIVED:
        return ["forward", "reject"]
    if user.role == Role.OPERATOR and application.status == ApplicationStatus.FORWARDED:
        return ["grant", "reject"]
    return []


class AccessApplicationListView(StaffPage):
    """What waits for the viewer's role, what waits for the other, and the decided ones."""

    allowed_roles = STAFF_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        today = today_local()
        applications = AccessApplication.objects.select_related("subject")
        if self.role == Role.AUTHORISED_BODY:
            mine, theirs = ApplicationStatus.RECEIVED, ApplicationStatus.FORWARDED
        else:
            mine, theirs = ApplicationStatus.FORWARDED, ApplicationStatus.RECEIVED
        to_do = mark_deadline(
            list(applications.filter(status=mine).order_by("forward_due", "received_at", "id")),
            "forward_due",
            today,
        )
        waiting = mark_deadline(
            list(applications.filter(status=theirs).order_by("forward_due", "received_at", "id")),
            "forward_due",
            today,
        )
        history = applications.filter(status__in=DECIDED).order_by("-decided_at", "-id")
        context = {
            "to_do": to_do,
            "to_do_action": "forward" if mine == ApplicationStatus.RECEIVED else "grant",
            "waiting": waiting,
            "history": history[:HISTORY_SHOWN],
            "deadline": Deadline.APPLICATION_FORWARD,
            "comment_form": CommentForm(),
        }
        return self.render_page("staff_application_list.html", context)


class AccessApplicationDetailView(StaffPage):
    """The full application (000 §16) and the actions the viewer's role may take."""

    allowed_roles = STAFF_ROLES

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.show(self._application(pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = self._application(pk)
        action = request.POST.get("action", "")
        form = CommentForm(request.POST)
        form.is_valid()
        user = request.user
        calls: dict[str, Callable[[], object]] = {
            "forward": lambda: services.forward_application(user, application),
            "grant": lambda: services.grant_application(user, application),
            "reject": lambda: services.reject_application(
                user, application, form.cleaned_data.get("comment", "")
            ),
        }
        if action not in calls:
            return self.show(application, errors=[_("Unknown action.")], status=400)
        try:
            calls[action]()
        except NotPermitted:
            raise  # the audited 403 page
        except RuleError as error:
            errors = self.place_error(form, error)
            return self.show(application, form=form, errors=errors, status=error.status_code)
        messages.success(request, self._done_message(action, application))
        return self.redirect_back(reverse("registry:application-detail", args=[application.pk]))

    def _application(self, pk: int) -> AccessApplication:
        return get_object_or_404(AccessApplication.objects.select_related("subject"), pk=pk)

    def _done_message(self, action: str, application: AccessApplication) -> str:
        if action == "forward":
            return _("The application has been forwarded to the Registry operator.")
        if action == "grant":
            return _("Access granted; an invitation link was sent to %(email)s.") % {
                "email": application.employee_email
            }
        return _("The application has been rejected.")

    def show(
        self,
        application: AccessApplication,
        *,
        form: CommentForm | None = None,
        errors: list[str] | None = None,
        status: int = 200,
    ) -> HttpResponse:
        """The detail page of ``application`` as it is now."""
        application.refresh_from_db()
        today = today_local()
        mark_deadline([application], "forward_due", today)
        context = {
            "application": application,
            "actions": actions_for(self.request.user, application),
            "comment_form": form or CommentForm(),
            "errors": errors or [],
            "deadline": Deadline.APPLICATION_FORWARD,
            "awaiting_forward": application.status == ApplicationStatus.RECEIVED,
        }
        return self.render_page("staff_application_detail.html", context, status=status)
