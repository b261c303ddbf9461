"""Signed agreements: the operator's connection agreements, the participants' SLAs (003 §2.5, §7.2).

Only the parties and the operator see an agreement; to anyone else it does not exist (404).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from tunduk.catalog.choices import AgreementKind
from tunduk.catalog.forms import AgreementForm, SlaForm, TerminationForm
from tunduk.catalog.models import Agreement, Participant
from tunduk.catalog.services.agreements import record_agreement, terminate_agreement
from tunduk.catalog.views._base import (
    Button,
    FormPage,
    FormPageView,
    ParticipantMixin,
    TundukOperatorMixin,
)
from tunduk.catalog.visibility import is_tunduk_operator, visible_agreements
from tunduk.core.actors import Actor, Member
from tunduk.core.filetypes import document_response

Obj = TypeVar("Obj")


class _AgreementRecordView(FormPageView[Obj, Agreement]):
    """Record a signed agreement of ``kind`` and its signed copy through the service."""

    action_name = "record_agreement"
    kind: str

    def recording_for(self) -> Participant:
        """The participant whose agreement this is."""
        raise NotImplementedError

    def service(self, actor: Actor, obj: Obj, data: dict[str, Any]) -> Agreement:
        return record_agreement(
            actor,
            self.recording_for(),
            kind=self.kind,
            number=data["number"],
            signed_on=data["signed_on"],
            valid_until=data["valid_until"],
            document_upload=data["document"],
            counterparty=data.get("counterparty"),
            service=data.get("service"),
            notes=data["notes"],
        )


class ConnectionAgreementCreateView(TundukOperatorMixin, _AgreementRecordView[Participant]):
    """The operator records a participant's signed connection agreement (003)."""

    form_class = AgreementForm
    kind = AgreementKind.CONNECTION
    success_message = gettext_lazy("The connection agreement is recorded.")

    def get_object(self) -> Participant:
        return get_object_or_404(
            Participant.objects.select_related("subject"), pk=self.kwargs["pk"]
        )

    def recording_for(self) -> Participant:
        return self.object

    def get_success_url(self, result: Agreement) -> str:
        return reverse("catalog:participant-detail", args=[self.object.pk])

    def page(self, form: AgreementForm) -> FormPage:
        participant = self.object
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


class SlaCreateView(ParticipantMixin, _AgreementRecordView[None]):
    """A service owner records an SLA concluded with another participant (003 §2.5)."""

    form_class = SlaForm
    kind = AgreementKind.SLA
    success_message = gettext_lazy("The service-level agreement is recorded.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"participant": self.participant}

    def recording_for(self) -> Participant:
        return self.participant

    def get_success_url(self, result: Agreement) -> str:
        return reverse("catalog:participation")

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


class AgreementTerminateView(FormPageView[Agreement, Agreement]):
    """Record a written notice of termination (003 §7.2); the service checks who may."""

    action_name = "terminate_agreement"
    form_class = TerminationForm
    success_message = gettext_lazy("The termination of the agreement is recorded.")

    def check_role(self, actor: Member) -> None:
        """Anyone signed in: only the parties and the operator see the agreement (404 else)."""

    def get_object(self) -> Agreement:
        return _visible(self.request, self.kwargs["pk"])

    def service(self, actor: Actor, obj: Agreement, data: dict[str, Any]) -> Agreement:
        return terminate_agreement(actor, obj, data["termination_reason"])

    def get_success_url(self, result: Agreement) -> str:
        return self.back_url()

    def back_url(self) -> str:
        if is_tunduk_operator(self.request.user):
            return reverse("catalog:participant-detail", args=[self.object.participant_id])
        return reverse("catalog:participation")

    def page(self, form: TerminationForm) -> FormPage:
        agreement = self.object
        return FormPage(
            title=_("Terminate %(agreement)s") % {"agreement": agreement},
            intro=gettext_lazy(
                "The agreement remains in force until a party notifies its termination in "
                "writing (003 §7.2). The agreement stays on record. A connection agreement "
                "stays in force until the prior notice has run; then the participant is "
                "disconnected, or leaves when it ended the agreement itself (003 §4)."
            ),
            form=form,
            form_id="termination-form",
            buttons=[Button("terminate", gettext_lazy("Terminate"))]
            if agreement.terminated_at is None
            else [],
            back_url=self.back_url(),
        )


class AgreementDocumentView(LoginRequiredMixin, View):
    """The signed copy, for the parties and the operator only; 404 for anyone else."""

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        agreement = _visible(request, pk)
        return document_response(
            agreement.document.open("rb"), agreement.original_name or f"agreement-{agreement.pk}"
        )
