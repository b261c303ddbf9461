"""Gateways and certificates (003 §3.2.1): participants register and request, the operator decides.

A gateway is registered with the CSR of its authentication certificate; approving the
gateway issues that certificate. A signing certificate is requested by CSR and issued,
refused or later revoked by the operator. The private keys never leave the participant.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
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
    ParticipantMixin,
    RoleRequiredMixin,
    TundukOperatorMixin,
    attempt,
)
from tunduk.core.permissions import require_role


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


class GatewayDecisionView(TundukOperatorMixin, View):
    """Approve a gateway (its authentication certificate is issued) or refuse it with a reason."""

    action_name = "decide_gateway"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        gateway = get_object_or_404(_gateways(), pk=pk)
        return self.page(gateway, CommentForm()).render(request)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        gateway = get_object_or_404(_gateways(), pk=pk)
        form = CommentForm(request.POST)
        approve = request.POST.get("action") == "approve"
        status = 400
        if form.is_valid():
            comment = form.cleaned_data["comment"]
            outcome = attempt(
                form,
                lambda: decide_gateway(request.user, gateway, approve=approve, comment=comment),
            )
            if outcome.ok:
                messages.success(
                    request,
                    _("%(gateway)s is approved and its authentication certificate issued.")
                    % {"gateway": gateway.identifier}
                    if approve
                    else _("%(gateway)s is refused.") % {"gateway": gateway.identifier},
                )
                return redirect("catalog:gateway-list")
            status = outcome.status
        return self.page(gateway, form).render(request, status)

    @staticmethod
    def page(gateway: Gateway, form: CommentForm) -> FormPage:
        return FormPage(
            title=str(gateway.identifier),
            details="catalog/_gateway_details.html",
            form=form,
            form_id="gateway-decision-form",
            buttons=[
                Button("approve", gettext_lazy("Approve")),
                Button("refuse", gettext_lazy("Refuse")),
            ],
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


class CertificateDetailView(RoleRequiredMixin, View):
    """A certificate and its PEM, for the operator and the participant's engineers.

    The operator issues, refuses and revokes; the participant's engineers may revoke
    their own issued certificate (a lost or compromised key must not wait for anyone).
    """

    action_name = "certificate_detail"
    actions = ("issue", "refuse", "revoke")

    def check_role(self, request: HttpRequest) -> None:
        require_role(
            request.user, Role.TUNDUK_OPERATOR, Role.SUBJECT_EMPLOYEE, action=self.action_name
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        certificate = self.get_certificate(pk)
        return self.page(certificate, self.form_class(certificate)()).render(request)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        certificate = self.get_certificate(pk)
        form = self.form_class(certificate)(request.POST)
        action = request.POST.get("action", "")
        status = 400
        if form.is_valid() and action in self.actions:
            reason = form.cleaned_data["reason"]
            code = form.cleaned_data.get("code") or RevocationReason.UNSPECIFIED
            outcome = attempt(form, lambda: self.run(action, certificate, reason, code))
            if outcome.ok:
                messages.success(
                    request,
                    _("The certificate is now “%(status)s”.")
                    % {"status": self.get_certificate(pk).get_status_display()},
                )
                return redirect("catalog:certificate-detail", pk=pk)
            status = outcome.status
        return self.page(certificate, form).render(request, status)

    @staticmethod
    def form_class(certificate: Certificate) -> type[ReasonForm]:
        """An issued certificate's form also asks for the CRL reason code."""
        if certificate.status == CertificateStatus.ISSUED:
            return CertificateRevokeForm
        return ReasonForm

    def run(self, action: str, certificate: Certificate, reason: str, code: str) -> Certificate:
        if action == "issue":
            return issue_certificate(self.request.user, certificate)
        if action == "refuse":
            return refuse_certificate(self.request.user, certificate, reason)
        return revoke_certificate(self.request.user, certificate, reason, code)

    def get_certificate(self, pk: int) -> Certificate:
        """The certificate if the user's participant holds it (or the user is the operator);
        another participant's answers 404, as if it did not exist."""
        certificate = get_object_or_404(_certificates(), pk=pk)
        user = signed_in_user(self.request)
        if not user.is_tunduk_operator and user.subject_id != certificate.participant.subject_id:
            raise Http404
        return certificate

    def page(self, certificate: Certificate, form: ReasonForm) -> FormPage:
        buttons = []
        operator = signed_in_user(self.request).is_tunduk_operator
        if operator and certificate.status == CertificateStatus.REQUESTED:
            buttons = [
                Button("issue", gettext_lazy("Issue")),
                Button("refuse", gettext_lazy("Refuse")),
            ]
        elif certificate.status == CertificateStatus.ISSUED:
            # get_certificate already let only the operator and the owner's engineers in.
            buttons = [Button("revoke", gettext_lazy("Revoke"))]
        return FormPage(
            title=str(certificate),
            details="catalog/_certificate_details.html",
            form=form,
            form_id="certificate-form",
            buttons=buttons,
            extra={"certificate": certificate, "show_form": bool(buttons)},
        )


class GatewayCreateView(ParticipantMixin, View):
    """Register a gateway of the participant with its authentication CSR (003 §3.2.1)."""

    action_name = "register_gateway"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(GatewayForm()).render(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = GatewayForm(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            outcome = attempt(
                form,
                lambda: register_gateway(
                    request.user,
                    self.participant,
                    data["server_code"],
                    data["address"],
                    form.text(),
                ),
                rename={"auth_csr_pem": "csr_text", "csr_pem": "csr_text"},
            )
            if outcome.result is not None:
                messages.success(
                    request,
                    _("%(gateway)s is registered and awaits the operator's approval.")
                    % {"gateway": outcome.result.identifier},
                )
                return redirect("catalog:participation")
            status = outcome.status
        return self.page(form).render(request, status)

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


class CertificateRequestView(ParticipantMixin, View):
    """Request the signing certificate of the participant's information systems (003 §3.2.1)."""

    action_name = "request_certificate"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(CertificateRequestForm()).render(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CertificateRequestForm(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            outcome = attempt(
                form,
                lambda: request_certificate(
                    request.user, self.participant, CertificateProfile.SIGNING, form.text()
                ),
                rename={"auth_csr_pem": "csr_text", "csr_pem": "csr_text"},
            )
            if outcome.ok:
                messages.success(request, _("The request has been sent to the operator."))
                return redirect("catalog:participation")
            status = outcome.status
        return self.page(form).render(request, status)

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
