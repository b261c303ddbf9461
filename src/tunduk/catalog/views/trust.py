"""Gateways and certificates (003 §3.2.1): participants register and request, the operator decides.

A gateway is registered with the CSR of its authentication certificate; approving the
gateway issues that certificate. A signing certificate is requested by CSR and issued,
refused or later revoked by the operator. The private keys never leave the participant.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from tunduk.accounts.auth import signed_in_user
from tunduk.accounts.choices import Role
from tunduk.catalog.choices import (
    CertificateProfile,
    CertificateStatus,
    GatewayStatus,
    RevocationReason,
)
from tunduk.catalog.forms import (
    CertificateRequestForm,
    CertificateRevokeForm,
    CommentForm,
    GatewayForm,
    ReasonForm,
)
from tunduk.catalog.models import Certificate, Gateway, GatewayStatusReport
from tunduk.catalog.services.gateways import (
    decide_gateway,
    issue_certificate,
    refuse_certificate,
    register_gateway,
    request_certificate,
    revoke_certificate,
)
from tunduk.catalog.views._base import (
    Button,
    FormPage,
    FormPageView,
    ParticipantMixin,
    TundukOperatorMixin,
)
from tunduk.catalog.visibility import visible_certificates
from tunduk.core.actors import Actor

# A service names the CSR by its own field; the forms' is the pasted text.
CSR_FIELDS = {"auth_csr_pem": "csr_text", "csr_pem": "csr_text"}


def _text(data: dict[str, Any]) -> str:
    """The pasted CSR, or the uploaded file's content (``PasteOrUploadForm``)."""
    return str(data.get("csr_text") or "")


def _gateways() -> QuerySet[Gateway]:
    return Gateway.objects.select_related("participant__subject")


def _certificates() -> QuerySet[Certificate]:
    return Certificate.objects.select_related("participant__subject", "gateway__participant")


class GatewayQueueView(TundukOperatorMixin, View):
    """Gateways awaiting approval, and every gateway already decided."""

    action_name = "gateway_queue"

    def get(self, request: HttpRequest) -> HttpResponse:
        context = {
            "pending": _gateways().filter(status=GatewayStatus.REQUESTED),
            "decided": _gateways()
            .exclude(status=GatewayStatus.REQUESTED)
            .select_related("status_report"),
            "form": CommentForm(),
        }
        return render(request, "catalog/gateway_list.html", context)


class GatewayDecisionView(TundukOperatorMixin, FormPageView[Gateway, Gateway]):
    """Approve a gateway (its authentication certificate is issued) or refuse it with a reason."""

    action_name = "decide_gateway"
    form_class = CommentForm

    def get_object(self) -> Gateway:
        return get_object_or_404(_gateways(), pk=self.kwargs["pk"])

    def approving(self) -> bool:
        """Whether the operator pressed "Approve" (otherwise the gateway is refused)."""
        return self.request.POST.get("action") == "approve"

    def service(self, actor: Actor, obj: Gateway, data: dict[str, Any]) -> Gateway:
        return decide_gateway(actor, obj, approve=self.approving(), comment=data["comment"])

    def get_success_message(self, result: Gateway) -> str:
        if self.approving():
            return _("%(gateway)s is approved and its authentication certificate issued.") % {
                "gateway": self.object.identifier
            }
        return _("%(gateway)s is refused.") % {"gateway": self.object.identifier}

    def get_success_url(self, result: Gateway) -> str:
        return reverse("catalog:gateway-list")

    def page(self, form: CommentForm) -> FormPage:
        gateway = self.object
        return FormPage(
            title=str(gateway.identifier),
            details="catalog/_gateway_details.html",
            form=form,
            form_id="gateway-decision-form",
            # A decided gateway offers no decision: its page says it has been decided.
            buttons=[
                Button("approve", gettext_lazy("Approve")),
                Button("refuse", gettext_lazy("Refuse")),
            ]
            if gateway.status == GatewayStatus.REQUESTED
            else [],
            back_url=reverse("catalog:gateway-list"),
            extra={
                "gateway": gateway,
                "certificates": gateway.certificates.all(),
                "status_report": GatewayStatusReport.objects.filter(gateway=gateway).first(),
            },
        )


class CertificateListView(TundukOperatorMixin, View):
    """Certificates requested (issue or refuse) and issued (revoke with a reason)."""

    action_name = "certificate_list"

    def get(self, request: HttpRequest) -> HttpResponse:
        context = {
            "requested": _certificates().filter(status=CertificateStatus.REQUESTED),
            "issued": _certificates().filter(status=CertificateStatus.ISSUED),
            "others": _certificates().filter(
                status__in=(CertificateStatus.REFUSED, CertificateStatus.REVOKED)
            )[:50],
        }
        return render(request, "catalog/certificate_list.html", context)


class CertificateDetailView(FormPageView[Certificate, Certificate]):
    """A certificate and its PEM, for the operator and the participant's engineers.

    The operator issues, refuses and revokes; the participant's engineers may revoke
    their own issued certificate (a lost or compromised key must not wait for anyone).
    """

    action_name = "certificate_detail"
    allowed_roles = (Role.TUNDUK_OPERATOR, Role.SUBJECT_EMPLOYEE)
    actions = ("issue", "refuse", "revoke")

    def get_object(self) -> Certificate:
        """The certificate if the user's participant holds it (or the user is the operator);
        another participant's answers 404, as if it did not exist."""
        visible = visible_certificates(self.request.user).select_related(
            "participant__subject", "gateway__participant"
        )
        return get_object_or_404(visible, pk=self.kwargs["pk"])

    def get_form(self, bound: bool) -> forms.BaseForm:
        """An issued certificate's form also asks for the CRL reason code."""
        form_class = ReasonForm
        if self.object.status == CertificateStatus.ISSUED:
            form_class = CertificateRevokeForm
        return form_class(self.request.POST) if bound else form_class()

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Only the three actions are run; anything else shows the form again (400)."""
        if request.POST.get("action", "") not in self.actions:
            self.object = self.get_object()
            self.formsets = {}
            form = self.get_form(bound=True)
            form.is_valid()
            return self.render_form(form, status=400)
        return super().post(request, *args, **kwargs)

    def service(self, actor: Actor, obj: Certificate, data: dict[str, Any]) -> Certificate:
        action = self.request.POST.get("action", "")
        if action == "issue":
            return issue_certificate(actor, obj)
        if action == "refuse":
            return refuse_certificate(actor, obj, data["reason"])
        code = data.get("code") or RevocationReason.UNSPECIFIED
        return revoke_certificate(actor, obj, data["reason"], code)

    def get_success_message(self, result: Certificate) -> str:
        current = self.get_object()
        return _("The certificate is now “%(status)s”.") % {"status": current.get_status_display()}

    def get_success_url(self, result: Certificate) -> str:
        return reverse("catalog:certificate-detail", args=[self.object.pk])

    def page(self, form: ReasonForm) -> FormPage:
        certificate = self.object
        buttons = []
        operator = signed_in_user(self.request).is_tunduk_operator
        if operator and certificate.status == CertificateStatus.REQUESTED:
            buttons = [
                Button("issue", gettext_lazy("Issue")),
                Button("refuse", gettext_lazy("Refuse")),
            ]
        elif certificate.status == CertificateStatus.ISSUED:
            # get_object already let only the operator and the owner's engineers in.
            buttons = [Button("revoke", gettext_lazy("Revoke"))]
        return FormPage(
            title=str(certificate),
            details="catalog/_certificate_details.html",
            form=form,
            form_id="certificate-form",
            buttons=buttons,
            extra={"certificate": certificate, "show_form": bool(buttons)},
        )


class GatewayCreateView(ParticipantMixin, FormPageView[None, Gateway]):
    """Register a gateway of the participant with its authentication CSR (003 §3.2.1)."""

    action_name = "register_gateway"
    form_class = GatewayForm
    error_fields = CSR_FIELDS

    def service(self, actor: Actor, obj: None, data: dict[str, Any]) -> Gateway:
        return register_gateway(
            actor, self.participant, data["server_code"], data["address"], _text(data)
        )

    def get_success_message(self, result: Gateway) -> str:
        return _("%(gateway)s is registered and awaits the operator's approval.") % {
            "gateway": result.identifier
        }

    def get_success_url(self, result: Gateway) -> str:
        return reverse("catalog:participation")

    def page(self, form: GatewayForm) -> FormPage:
        return FormPage(
            title=gettext_lazy("Register a gateway"),
            intro=gettext_lazy(
                "Your security server: its identifier is %(member)s/SERVERCODE. The operator "
                "approves it and issues its authentication certificate from your CSR."
            )
            % {"member": self.participant.identifier},
            form=form,
            form_id="gateway-form",
            buttons=[Button("register", gettext_lazy("Register"))],
            multipart=True,
            back_url=reverse("catalog:participation"),
            extra={"participant": self.participant},
        )


class CertificateRequestView(ParticipantMixin, FormPageView[None, Certificate]):
    """Request the signing certificate of the participant's information systems (003 §3.2.1)."""

    action_name = "request_certificate"
    form_class = CertificateRequestForm
    error_fields = CSR_FIELDS
    success_message = gettext_lazy("The request has been sent to the operator.")

    def service(self, actor: Actor, obj: None, data: dict[str, Any]) -> Certificate:
        return request_certificate(actor, self.participant, CertificateProfile.SIGNING, _text(data))

    def get_success_url(self, result: Certificate) -> str:
        return reverse("catalog:participation")

    def page(self, form: CertificateRequestForm) -> FormPage:
        return FormPage(
            title=gettext_lazy("Request a signing certificate"),
            intro=gettext_lazy(
                "The CSR's subject names your member (%(member)s); the operator issues the "
                "certificate or says why not."
            )
            % {"member": self.participant.identifier},
            form=form,
            form_id="certificate-request-form",
            buttons=[Button("request", gettext_lazy("Request"))],
            multipart=True,
            back_url=reverse("catalog:participation"),
            extra={"participant": self.participant},
        )
