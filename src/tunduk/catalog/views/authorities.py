"""External CAs (003 §3.2.1): the operator approves and withdraws them; a participant's
engineers register certificates they issued. Both kinds of certificate then live on the
same certificate pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tunduk.catalog.forms import ExternalCaForm, ExternalCertificateForm, ReasonForm
from tunduk.catalog.models import Certificate, ExternalCertificateAuthority
from tunduk.catalog.services.authorities import (
    approve_external_ca,
    register_external_certificate,
    withdraw_external_ca,
)
from tunduk.catalog.views._base import (
    Button,
    FormPage,
    FormPageView,
    ParticipantMixin,
    TundukOperatorMixin,
)
from tunduk.core.actors import Actor

# The services name the uploaded bytes ``certificate``; the form shows the pasted text.
CERTIFICATE_FIELDS = {"certificate": "certificate_text"}


class ExternalCaListView(TundukOperatorMixin, FormPageView[None, ExternalCertificateAuthority]):
    """The approved external CAs, and the form approving another one."""

    action_name = "approve_external_ca"
    form_class = ExternalCaForm
    error_fields = CERTIFICATE_FIELDS

    def service(
        self, actor: Actor, obj: None, data: dict[str, Any]
    ) -> ExternalCertificateAuthority:
        return approve_external_ca(actor, data["name"], data["certificate"])

    def get_success_message(self, result: ExternalCertificateAuthority) -> str:
        return _("%(name)s is approved; the next global configuration lists it.") % {
            "name": result.name
        }

    def get_success_url(self, result: ExternalCertificateAuthority) -> str:
        return reverse("catalog:external-ca-list")

    def page(self, form: ExternalCaForm) -> FormPage:
        return FormPage(
            title=gettext_lazy("Approved external CAs"),
            intro=gettext_lazy(
                "Certification centres other than the exchange's own CA whose participant "
                "certificates gateways accept (003 §3.2.1). Approving one publishes it in the "
                "global configuration."
            ),
            details="catalog/_external_ca_list.html",
            form=form,
            form_id="external-ca-form",
            buttons=[Button("approve", gettext_lazy("Approve"))],
            multipart=True,
            back_url=reverse("catalog:operator-home"),
            extra={"authorities": ExternalCertificateAuthority.objects.order_by("name")},
        )


class ExternalCaWithdrawView(
    TundukOperatorMixin, FormPageView[ExternalCertificateAuthority, ExternalCertificateAuthority]
):
    """Withdraw an approval, saying why; gateways then refuse the CA's certificates."""

    action_name = "withdraw_external_ca"
    form_class = ReasonForm

    def get_object(self) -> ExternalCertificateAuthority:
        return get_object_or_404(ExternalCertificateAuthority, pk=self.kwargs["pk"])

    def service(
        self, actor: Actor, obj: ExternalCertificateAuthority, data: dict[str, Any]
    ) -> ExternalCertificateAuthority:
        return withdraw_external_ca(actor, obj, data["reason"])

    def get_success_message(self, result: ExternalCertificateAuthority) -> str:
        return _("The approval of %(name)s is withdrawn.") % {"name": result.name}

    def get_success_url(self, result: ExternalCertificateAuthority) -> str:
        return reverse("catalog:external-ca-list")

    def page(self, form: ReasonForm) -> FormPage:
        return FormPage(
            title=_("Withdraw the approval of %(name)s") % {"name": self.object.name},
            form=form,
            form_id="external-ca-withdraw-form",
            buttons=[] if self.object.withdrawn_at else [Button("withdraw", _("Withdraw"))],
            back_url=reverse("catalog:external-ca-list"),
        )


class ExternalCertificateRegisterView(ParticipantMixin, FormPageView[None, Certificate]):
    """Register a certificate an approved external CA issued to the participant (003 §3.2.1)."""

    action_name = "register_external_certificate"
    form_class = ExternalCertificateForm
    error_fields = CERTIFICATE_FIELDS

    def get_form(self, bound: bool) -> forms.BaseForm:
        if bound:
            return ExternalCertificateForm(
                self.request.POST, self.request.FILES, participant=self.participant
            )
        return ExternalCertificateForm(participant=self.participant)

    def service(self, actor: Actor, obj: None, data: dict[str, Any]) -> Certificate:
        return register_external_certificate(
            actor,
            self.participant,
            data["profile"],
            data["certificate"],
            gateway=data.get("gateway"),
            request=data.get("request"),
        )

    def get_success_message(self, result: Certificate) -> str:
        return _("The certificate is registered (serial %(serial)s).") % {
            "serial": result.serial_number
        }

    def get_success_url(self, result: Certificate) -> str:
        return reverse("catalog:certificate-detail", args=[result.pk])

    def page(self, form: ExternalCertificateForm) -> FormPage:
        return FormPage(
            title=gettext_lazy("Register a certificate from an approved CA"),
            intro=gettext_lazy(
                "A certificate a certification centre approved by the Tunduk operator issued "
                "to %(member)s or one of its gateways; its subject must name them, as for a "
                "certificate the exchange's CA issues."
            )
            % {"member": self.participant.identifier},
            form=form,
            form_id="external-certificate-form",
            buttons=[Button("register", gettext_lazy("Register"))],
            multipart=True,
            back_url=reverse("catalog:participation"),
            extra={"participant": self.participant},
        )
