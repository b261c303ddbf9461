"""Signed agreements: the operator's connection agreements, the participants' SLAs (003 §2.5, §7.2).

Only the parties and the operator see an agreement; to anyone else it does not exist (404).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from tunduk.catalog.api.visibility import is_tunduk_operator, visible_agreements
from tunduk.catalog.choices import AgreementKind
from tunduk.catalog.forms import AgreementForm, SlaForm, TerminationForm
from tunduk.catalog.models import Agreement, Participant
from tunduk.catalog.services.agreements import record_agreement, terminate_agreement
from tunduk.catalog.views._base import (
    Button,
    FormPage,
    ParticipantMixin,
    TundukOperatorMixin,
    attempt,
)
from tunduk.core.filetypes import document_response


def _record(request: HttpRequest, form: AgreementForm, participant: Participant, kind: str) -> Any:
    data = form.cleaned_data
    return attempt(
        form,
        lambda: record_agreement(
            request.user,
            participant,
            kind=kind,
            number=data["number"],
            signed_on=data["signed_on"],
            valid_until=data["valid_until"],
            document_upload=data["document"],
            counterparty=data.get("counterparty"),
            service=data.get("service"),
            notes=data["notes"],
        ),
    )


class ConnectionAgreementCreateView(TundukOperatorMixin, View):
    """The operator records a participant's signed connection agreement (003)."""

    action_name = "record_agreement"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.page(self.participant(pk), AgreementForm()).render(request)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        participant = self.participant(pk)
        form = AgreementForm(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            outcome = _record(request, form, participant, AgreementKind.CONNECTION)
            if outcome.result is not None:
                messages.success(request, _("The connection agreement is recorded."))
                return redirect("catalog:participant-detail", pk=participant.pk)
            status = outcome.status
        return self.page(participant, form).render(request, status)

    @staticmethod
    def participant(pk: int) -> Participant:
        return get_object_or_404(Participant.objects.select_related("subject"), pk=pk)

    @staticmethod
    def page(participant: Participant, form: AgreementForm) -> FormPage:
        return FormPage(
            title=_("Connection agreement of %(member)s") % {"member": participant.identifier},
            intro=gettext_lazy(
                "Record the signed agreement on connecting to Tunduk and attach its signed copy."
            ),
            form=form,
            form_id="agreement-form",
            buttons=[Button("record", gettext_lazy("Record"))],
            multipart=True,
            back_url=reverse("catalog:participant-detail", args=[participant.pk]),
        )


class SlaCreateView(ParticipantMixin, View):
    """A service owner records an SLA concluded with another participant (003 §2.5)."""

    action_name = "record_agreement"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(SlaForm(participant=self.participant)).render(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SlaForm(request.POST, request.FILES, participant=self.participant)
        status = 400
        if form.is_valid():
            outcome = _record(request, form, self.participant, AgreementKind.SLA)
            if outcome.result is not None:
                messages.success(request, _("The service-level agreement is recorded."))
                return redirect("catalog:participation")
            status = outcome.status
        return self.page(form).render(request, status)

    def page(self, form: SlaForm) -> FormPage:
        return FormPage(
            title=gettext_lazy("Record a service-level agreement"),
            intro=gettext_lazy(
                "Participants may agree on service levels with each other (003 §2.5); without "
                "such an agreement, obtain the other participant's consent to exchange data "
                "(003 §3.2.9)."
            ),
            form=form,
            form_id="agreement-form",
            buttons=[Button("record", gettext_lazy("Record"))],
            multipart=True,
            back_url=reverse("catalog:participation"),
            extra={"participant": self.participant},
        )


def _visible(request: HttpRequest, pk: int) -> Agreement:
    """The agreement if the user is a party or the operator; 404 for anyone else."""
    agreement = visible_agreements(request.user).filter(pk=pk).first()
    if agreement is None:
        raise Http404
    return agreement


class AgreementTerminateView(LoginRequiredMixin, View):
    """Record a written notice of termination (003 §7.2); the service checks who may."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.page(request, _visible(request, pk), TerminationForm()).render(request)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        agreement = _visible(request, pk)
        form = TerminationForm(request.POST)
        status = 400
        if form.is_valid():
            outcome = attempt(
                form,
                lambda: terminate_agreement(
                    request.user, agreement, form.cleaned_data["termination_reason"]
                ),
            )
            if outcome.result is not None:
                messages.success(request, _("The termination of the agreement is recorded."))
                return redirect(self.back_url(request, agreement))
            status = outcome.status
        return self.page(request, agreement, form).render(request, status)

    @staticmethod
    def back_url(request: HttpRequest, agreement: Agreement) -> str:
        if is_tunduk_operator(request.user):
            return reverse("catalog:participant-detail", args=[agreement.participant_id])
        return reverse("catalog:participation")

    def page(self, request: HttpRequest, agreement: Agreement, form: TerminationForm) -> FormPage:
        return FormPage(
            title=_("Terminate %(agreement)s") % {"agreement": agreement},
            intro=gettext_lazy(
                "The agreement remains in force until a party notifies its termination in "
                "writing (003 §7.2). The agreement stays on record."
            ),
            form=form,
            form_id="termination-form",
            buttons=[Button("terminate", gettext_lazy("Terminate"))] if agreement.is_active else [],
            back_url=self.back_url(request, agreement),
        )


class AgreementDocumentView(LoginRequiredMixin, View):
    """The signed copy, for the parties and the operator only; 404 for anyone else."""

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        agreement = _visible(request, pk)
        return document_response(
            agreement.document.open("rb"), agreement.original_name or f"agreement-{agreement.pk}"
        )
