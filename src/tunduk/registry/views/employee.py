"""The subject employee's pages: the dashboard, answers, decommissioning notices.

Only authorised employees of a subject (000 §16–17) use these pages; anyone else signed
in gets a 403 page, and the refusal is audited. The element pages are in
``employee_elements``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import View

from tunduk.accounts.auth import signed_in_user
from tunduk.accounts.choices import Role
from tunduk.core.errors import NotPermitted, RuleError
from tunduk.core.forms import show_error
from tunduk.core.permissions import record_denial, require_role
from tunduk.registry import services
from tunduk.registry.choices import (
    DecommissioningStatus,
    ElementStatus,
    InformationRequestStatus,
    SubmissionStatus,
)
from tunduk.registry.fields import describe_missing
from tunduk.registry.forms import (
    DecommissioningNoticeForm,
    InformationRequestAnswerForm,
)
from tunduk.registry.lifecycle import Action, allowed
from tunduk.registry.models import (
    DecommissioningNotice,
    Element,
    InformationRequest,
    ReviewDecision,
    Subject,
    Submission,
)
from tunduk.registry.permissions import can_read, can_view_private, require_element_owner
from tunduk.workdays.deadlines import Deadline, is_overdue

T = TypeVar("T")


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    """The 403 page, saying why."""
    return render(request, "registry/forbidden.html", {"reason": message}, status=403)


def attempt(form: Any, action: Callable[[], T], **show: Any) -> T | None:
    """Run a service call; on a business-rule refusal show it on ``form`` and return None.

    ``NotPermitted`` is not a form error: it propagates to the 403 page.
    """
    try:
        return action()
    except NotPermitted:
        raise
    except RuleError as error:
        show_error(form, error, **show)
        return None


class EmployeeMixin(LoginRequiredMixin):
    """Signed-in authorised employees of a subject only; a 403 page for anyone else."""

    action_name = "employee_page"
    request: HttpRequest  # set by ``View.setup`` before ``dispatch``

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        try:
            self.check_role(request)
            return super().dispatch(request, *args, **kwargs)
        except NotPermitted as denied:
            record_denial(denied)
            return forbidden(request, denied.message)

    def check_role(self, request: HttpRequest) -> None:
        require_role(request.user, Role.SUBJECT_EMPLOYEE, action=self.action_name)

    def owned_element(self, pk: int, queryset: QuerySet[Element] | None = None) -> Element:
        """The element, if it belongs to the user's subject; otherwise ``NotPermitted``, or 404
        when the user may not even read it (another subject's draft)."""
        element = get_object_or_404(
            queryset if queryset is not None else Element.objects.select_related("subject"),
            pk=pk,
        )
        if not can_read(self.request.user, element):
            raise Http404
        require_element_owner(self.request.user, element, action=self.action_name)
        return element

    def employee_subject(self) -> Subject:
        """The signed-in employee's accounting subject (``check_role`` admitted employees only)."""
        subject = signed_in_user(self.request).subject
        if subject is None:  # unreachable: the database gives every employee a subject
            raise PermissionDenied
        return subject


class DashboardView(EmployeeMixin, View):
    """The subject's elements by status, review due dates, refusals and open requests."""

    action_name = "dashboard"
    template_name = "registry/dashboard.html"

    def check_role(self, request: HttpRequest) -> None:
        """Staff have their own start pages; only others are refused."""
        if signed_in_user(request).role in (Role.OPERATOR, Role.AUTHORISED_BODY):
            return
        super().check_role(request)

    def get(self, request: HttpRequest) -> HttpResponse:
        user = signed_in_user(request)
        if user.is_operator:
            return redirect("registry:submission-queue")
        if user.is_authorised_body:
            return redirect("registry:application-list")
        if user.subject_id is None:  # unreachable: the database gives every employee a subject
            raise PermissionDenied
        return render(request, self.template_name, self.context(user.subject_id))

    @staticmethod
    def context(subject_id: int) -> dict[str, Any]:
        elements = list(
            Element.objects.filter(subject_id=subject_id).only(
                "id", "full_name", "short_name", "registration_code", "status", "element_type"
            )
        )
        submissions = {
            s.element_id: s
            for s in Submission.objects.filter(
                element__subject_id=subject_id, status=SubmissionStatus.OPEN
            )
        }
        refusals: dict[int, ReviewDecision] = {}
        for decision in (
            ReviewDecision.objects.filter(
                submission__element__subject_id=subject_id, outcome=SubmissionStatus.REFUSED
            )
            .select_related("submission")
            .order_by("decided_at", "id")
        ):
            refusals[decision.submission.element_id] = decision
        notices = {
            n.element_id: n
            for n in DecommissioningNotice.objects.filter(
                element__subject_id=subject_id,
                status__in=(DecommissioningStatus.NOTIFIED, DecommissioningStatus.AGREED),
            )
        }
        groups = []
        for status in ElementStatus:
            rows = []
            for element in (e for e in elements if e.status == status):
                submission = submissions.get(element.pk)
                refusal = refusals.get(element.pk) if "refused" in status else None
                rows.append(
                    {
                        "element": element,
                        "submission": submission,
                        "overdue": bool(submission and is_overdue(submission.due_date)),
                        "refusal": refusal,
                        "missing": describe_missing(refusal.missing_fields) if refusal else "",
                        "notice": notices.get(element.pk),
                    }
                )
            if rows:
                groups.append({"status": status, "rows": rows})
        requests = InformationRequest.objects.filter(
            element__subject_id=subject_id, status=InformationRequestStatus.OPEN
        ).select_related("element")
        return {"groups": groups, "requests": requests, "element_count": len(elements)}


class DecommissioningCreateView(EmployeeMixin, View):
    """The notice that an element stopped operation, with the decision copy (000 §28)."""

    action_name = "notify_decommissioning"
    template_name = "registry/decommissioning_form.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        element = self.owned_element(pk)
        return self.render(element, DecommissioningNoticeForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        element = self.owned_element(pk)
        form = DecommissioningNoticeForm(request.POST, request.FILES)
        notice = None
        if form.is_valid():
            data = form.cleaned_data
            notice = attempt(
                form,
                lambda: services.notify_decommissioning(
                    request.user,
                    element,
                    decision_date=data["decision_date"],
                    decision_reference=data["decision_reference"],
                    decision_copy=data["decision_copy"],
                    reason=data["reason"],
                ),
                rename={"file": "decision_copy"},
            )
        if notice is None:
            return self.render(element, form, status=400)
        if notice.is_late:
            messages.warning(
                request,
                _(
                    "The notice is late: a decision of %(decision)s had to be notified by "
                    "%(due)s (000 §28). It has been accepted and marked as late."
                )
                % {
                    "decision": date_format(notice.decision_date),
                    "due": date_format(notice.notice_due),
                },
            )
        messages.success(
            request,
            _("Decommissioning notified. The operator records it by %(due)s (000 §29).")
            % {"due": date_format(notice.record_due)},
        )
        return redirect("registry:element-detail", pk=element.pk)

    def render(
        self, element: Element, form: DecommissioningNoticeForm, status: int = 200
    ) -> HttpResponse:
        context = {
            "element": element,
            "form": form,
            "allowed": allowed(element.status, Action.NOTIFY_DECOMMISSIONING),
            "notice_deadline": Deadline.DECOMMISSIONING_NOTICE,
            "record_deadline": Deadline.DECOMMISSIONING_RECORD,
        }
        return render(self.request, self.template_name, context, status=status)


class InformationRequestAnswerView(EmployeeMixin, View):
    """Answer the authorised body's request for additional information (000 §10)."""

    action_name = "answer_information"
    template_name = "registry/information_request_answer.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        info_request = self.owned_request(pk)
        return self.render(info_request, InformationRequestAnswerForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        info_request = self.owned_request(pk)
        form = InformationRequestAnswerForm(request.POST)
        if form.is_valid() and (
            attempt(
                form,
                lambda: services.answer(request.user, info_request, form.cleaned_data["answer"]),
            )
            is not None
        ):
            messages.success(request, _("Your answer has been sent to the authorised body."))
            return redirect("registry:element-detail", pk=info_request.element_id)
        return self.render(info_request, form, status=400)

    def owned_request(self, pk: int) -> InformationRequest:
        info_request = get_object_or_404(
            InformationRequest.objects.select_related("element", "element__subject"), pk=pk
        )
        # Requests are never public: another subject's look as if they did not exist.
        if not can_view_private(self.request.user, info_request.element):
            raise Http404
        require_element_owner(self.request.user, info_request.element, action=self.action_name)
        return info_request

    def render(
        self,
        info_request: InformationRequest,
        form: InformationRequestAnswerForm,
        status: int = 200,
    ) -> HttpResponse:
        context = {
            "info_request": info_request,
            "element": info_request.element,
            "form": form,
            "is_open": info_request.status == InformationRequestStatus.OPEN,
        }
        return render(self.request, self.template_name, context, status=status)
