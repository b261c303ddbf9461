"""The subject employee's pages: the dashboard, answers, decommissioning notices.

Only authorised employees of a subject (000 §16–17) use these pages; anyone else signed
in gets the shared 403 page (``core.views``), and the refusal is audited. The element pages are in
``employee_elements``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet, TextChoices
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from tunduk.accounts.auth import signed_in_user
from tunduk.accounts.choices import Role
from tunduk.core.actors import Actor, Member
from tunduk.core.views import RoleRequiredMixin, ServiceFormView
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
from tunduk.registry.permissions import require_element_owner
from tunduk.registry.visibility import can_read, can_view_private
from tunduk.workdays.deadlines import Deadline, is_overdue


class EmployeePageMixin(RoleRequiredMixin):
    """Signed-in authorised employees of a subject only; the audited 403 page for anyone else."""

    allowed_roles: ClassVar[tuple[TextChoices, ...]] = (Role.SUBJECT_EMPLOYEE,)
    action_name = "employee_page"

    def forbidden_context(self) -> dict[str, Any]:
        """The 403 page tells how a subject applies for access."""
        return {"apply_url": reverse("registry:application-create")}

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


class DashboardView(EmployeePageMixin, View):
    """The subject's elements by status, review due dates, refusals and open requests."""

    action_name = "dashboard"
    template_name = "registry/dashboard.html"

    def check_role(self, actor: Member) -> None:
        """Staff have their own start pages (each role's own work); only others are refused."""
        if actor.role in (Role.OPERATOR, Role.AUTHORISED_BODY, Role.TUNDUK_OPERATOR):
            return
        super().check_role(actor)

    def get(self, request: HttpRequest) -> HttpResponse:
        user = signed_in_user(request)
        if user.is_operator:
            return redirect("registry:submission-queue")
        if user.is_authorised_body:
            return redirect("registry:application-list")
        if user.is_tunduk_operator:
            return redirect("catalog:operator-home")
        if user.subject_id is None:  # unreachable: the database gives every employee a subject
            raise PermissionDenied
        return render(request, self.template_name, self.context(user.subject_id))

    @staticmethod
    def context(subject_id: int) -> dict[str, Any]:
        elements = list(
            Element.objects.filter(subject_id=subject_id).only(
                "id",
                "full_name",
                "full_name_ru",
                "short_name",
                "registration_code",
                "status",
                "element_type",
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


class DecommissioningCreateView(EmployeePageMixin, ServiceFormView[Element, DecommissioningNotice]):
    """The notice that an element stopped operation, with the decision copy (000 §28)."""

    action_name = "notify_decommissioning"
    template_name = "registry/decommissioning_form.html"
    form_class = DecommissioningNoticeForm
    error_fields = {"file": "decision_copy"}

    def get_object(self) -> Element:
        return self.owned_element(self.kwargs["pk"])

    def service(self, actor: Actor, obj: Element, data: dict[str, Any]) -> DecommissioningNotice:
        return services.notify_decommissioning(
            actor,
            obj,
            decision_date=data["decision_date"],
            decision_reference=data["decision_reference"],
            decision_copy=data["decision_copy"],
            reason=data["reason"],
        )

    def succeeded(self, result: DecommissioningNotice) -> HttpResponse:
        """A late notice is accepted, and the employee told so (000 §28)."""
        if result.is_late:
            messages.warning(
                self.request,
                _(
                    "The notice is late: a decision of %(decision)s had to be notified by "
                    "%(due)s (000 §28). It has been accepted and marked as late."
                )
                % {
                    "decision": date_format(result.decision_date),
                    "due": date_format(result.notice_due),
                },
            )
        return super().succeeded(result)

    def get_success_message(self, result: DecommissioningNotice) -> str:
        return _("Decommissioning notified. The operator records it by %(due)s (000 §29).") % {
            "due": date_format(result.record_due)
        }

    def get_success_url(self, result: DecommissioningNotice) -> str:
        return reverse("registry:element-detail", args=[self.object.pk])

    def render_form(self, form: forms.BaseForm, status: int = 200) -> HttpResponse:
        element = self.object
        context = {
            "element": element,
            "form": form,
            "allowed": allowed(element.status, Action.NOTIFY_DECOMMISSIONING),
            "notice_deadline": Deadline.DECOMMISSIONING_NOTICE,
            "record_deadline": Deadline.DECOMMISSIONING_RECORD,
        }
        return render(self.request, self.template_name, context, status=status)


class InformationRequestAnswerView(
    EmployeePageMixin, ServiceFormView[InformationRequest, InformationRequest]
):
    """Answer the authorised body's request for additional information (000 §10)."""

    action_name = "answer_information"
    template_name = "registry/information_request_answer.html"
    form_class = InformationRequestAnswerForm
    success_message = gettext_lazy("Your answer has been sent to the authorised body.")

    def get_object(self) -> InformationRequest:
        info_request = get_object_or_404(
            InformationRequest.objects.select_related("element", "element__subject"),
            pk=self.kwargs["pk"],
        )
        # Requests are never public: another subject's look as if they did not exist.
        if not can_view_private(self.request.user, info_request.element):
            raise Http404
        require_element_owner(self.request.user, info_request.element, action=self.action_name)
        return info_request

    def service(
        self, actor: Actor, obj: InformationRequest, data: dict[str, Any]
    ) -> InformationRequest:
        return services.answer(actor, obj, data["answer"])

    def get_success_url(self, result: InformationRequest) -> str:
        return reverse("registry:element-detail", args=[self.object.element_id])

    def render_form(self, form: forms.BaseForm, status: int = 200) -> HttpResponse:
        info_request = self.object
        context = {
            "info_request": info_request,
            "element": info_request.element,
            "form": form,
            "is_open": info_request.status == InformationRequestStatus.OPEN,
        }
        return render(self.request, self.template_name, context, status=status)
