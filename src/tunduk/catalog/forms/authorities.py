"""External CAs and the certificates they issued (003 §3.2.1): pasted PEM or an uploaded
PEM or DER file, read only up to the size a certificate may have."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tunduk.catalog.choices import CertificateProfile, CertificateStatus, GatewayStatus
from tunduk.catalog.models import Certificate, Gateway, Participant
from tunduk.trust.external import MAX_CERTIFICATE_BYTES

CERTIFICATE_WIDGET = forms.Textarea(
    attrs={"rows": 10, "spellcheck": "false", "placeholder": "-----BEGIN CERTIFICATE-----"}
)


class CertificateUploadForm(forms.Form):
    """One certificate, pasted (PEM) or uploaded (PEM or DER); :meth:`certificate_bytes`."""

    certificate_text = forms.CharField(
        max_length=MAX_CERTIFICATE_BYTES,
        label=_("Certificate (PEM)"),
        required=False,
        widget=CERTIFICATE_WIDGET,
    )
    certificate_file = forms.FileField(
        label=_("…or upload the certificate (PEM or DER)"), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("certificate_file")
        if upload:
            # One byte more than allowed is enough to refuse it, without reading the rest.
            content = upload.read(MAX_CERTIFICATE_BYTES + 1)
            if len(content) > MAX_CERTIFICATE_BYTES:
                self.add_error(
                    "certificate_file",
                    _("The file is larger than %(limit)d bytes; upload one certificate.")
                    % {"limit": MAX_CERTIFICATE_BYTES},
                )
                return data
            data["certificate"] = content
        elif data.get("certificate_text"):
            data["certificate"] = str(data["certificate_text"]).encode("ascii", "replace")
        elif not self.errors:
            self.add_error("certificate_text", _("Paste the certificate or upload its file."))
        return data


class ExternalCaForm(CertificateUploadForm):
    """The operator approves an external CA by its name and certificate."""

    name = forms.CharField(label=_("Name of the CA"), max_length=200)
    field_order = ["name", "certificate_text", "certificate_file"]


class ExternalCertificateForm(CertificateUploadForm):
    """A participant registers a certificate an approved external CA issued."""

    profile = forms.ChoiceField(label=_("Profile"), choices=CertificateProfile.choices)
    gateway = forms.ModelChoiceField(
        label=_("Gateway (for an authentication certificate)"),
        queryset=Gateway.objects.none(),
        required=False,
    )
    request = forms.ModelChoiceField(
        label=_("Your pending request it was issued for (optional)"),
        queryset=Certificate.objects.none(),
        required=False,
        help_text=_("The certificate's key must then be the request's."),
    )
    field_order = ["profile", "gateway", "request", "certificate_text", "certificate_file"]

    def __init__(self, *args: Any, participant: Participant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the participant's own gateways and requests can be chosen.
        gateway_field = self.fields["gateway"]
        assert isinstance(gateway_field, forms.ModelChoiceField)
        gateway_field.queryset = participant.gateways.exclude(status=GatewayStatus.REFUSED)
        request_field = self.fields["request"]
        assert isinstance(request_field, forms.ModelChoiceField)
        request_field.queryset = participant.certificates.filter(status=CertificateStatus.REQUESTED)
