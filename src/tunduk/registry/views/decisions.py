"""A review decision as a print-friendly page and as a PDF (000 §21).

The operator, the authorised body and the subject's own authorised employees may read it;
another subject's employee is refused (audited, the shared 403 page).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.views import View

from tunduk.accounts.choices import Role
from tunduk.core.views import RoleRequiredMixin
from tunduk.registry.choices import SubmissionStatus
from tunduk.registry.decision_pdf import render_pdf
from tunduk.registry.fields import FIELDS_BY_NUMBER
from tunduk.registry.models import ReviewDecision
from tunduk.registry.permissions import require_element_owner


class _DecisionView(RoleRequiredMixin, View):
    allowed_roles = (Role.OPERATOR, Role.AUTHORISED_BODY, Role.SUBJECT_EMPLOYEE)
    action_name = "view_decision"

    def decision_context(self, request: HttpRequest, pk: int, *, for_pdf: bool) -> dict[str, Any]:
        decision = get_object_or_404(
            ReviewDecision.objects.select_related(
                "submission__element__subject", "submission__submitted_by", "decided_by"
            ),
            pk=pk,
        )
        element = decision.submission.element
        if request.user.is_subject_employee:  # type: ignore[union-attr]
            require_element_owner(request.user, element, action=self.action_name)
        missing = [
            f"{number} ({FIELDS_BY_NUMBER[number].label})"
            for number in decision.missing_fields
            if number in FIELDS_BY_NUMBER
        ]
        return {
            "decision": decision,
            "submission": decision.submission,
            "element": element,
            "refused": decision.outcome == SubmissionStatus.REFUSED,
            "accepted": decision.outcome == SubmissionStatus.ACCEPTED,
            "missing": missing,
            "for_pdf": for_pdf,
            "pdf_url": reverse("registry:decision-pdf", args=[decision.pk]),
            "back_url": reverse("notifications:inbox"),
        }


class DecisionDetailView(_DecisionView):
    """The decision, laid out for printing."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        context = self.decision_context(request, pk, for_pdf=False)
        return HttpResponse(render_to_string("registry/decision.html", context, request))


class DecisionPdfView(_DecisionView):
    """The same decision as a PDF file to download."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        context = self.decision_context(request, pk, for_pdf=True)
        html = render_to_string("registry/decision.html", context, request)
        response = HttpResponse(render_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="decision-{pk}.pdf"'
        return response
