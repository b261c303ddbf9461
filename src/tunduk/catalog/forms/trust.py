"""Gateways and certificate requests (003 §3.2.1): the CSR is pasted or uploaded."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tunduk import limits
from tunduk.catalog.choices import RevocationReason
from tunduk.catalog.forms.access import ReasonForm
from tunduk.catalog.forms.uploads import PasteOrUploadForm

CSR_WIDGET = forms.Textarea(
    attrs={"rows": 10, "spellcheck": "false", "placeholder": "-----BEGIN CERTIFICATE REQUEST-----"}
)


class GatewayForm(PasteOrUploadForm):
    """A gateway (security server) and the CSR of its authentication certificate."""

    text_field = "csr_text"
    file_field = "csr_file"
    text_required = True

    server_code = forms.CharField(label=_("Server code"), max_length=255)
    address = forms.CharField(
        label=_("Address"), max_length=255, help_text=_("Host name or host:port.")
    )
    csr_text = forms.CharField(
        max_length=limits.PEM_TEXT,
        label=_("Authentication certificate signing request (PEM)"),
        required=False,
        widget=CSR_WIDGET,
        help_text=_("The private key stays on your gateway (003 §3.2.1)."),
    )
    csr_file = forms.FileField(label=_("…or upload the CSR"), required=False)


class CertificateRequestForm(PasteOrUploadForm):
    """A signing certificate for the participant's information systems."""

    text_field = "csr_text"
    file_field = "csr_file"
    text_required = True

    csr_text = forms.CharField(
        max_length=limits.PEM_TEXT,
        label=_("Signing certificate signing request (PEM)"),
        required=False,
        widget=CSR_WIDGET,
        help_text=_("The private key stays on your gateway (003 §3.2.1)."),
    )
    csr_file = forms.FileField(label=_("…or upload the CSR"), required=False)


class CertificateRevokeForm(ReasonForm):
    """Why a certificate is revoked, and the reason code its CRL entry carries."""

    code = forms.ChoiceField(
        label=_("Revocation reason code"),
        choices=RevocationReason.choices,
        initial=RevocationReason.UNSPECIFIED,
        required=False,
        help_text=_("Choose “Key compromised” if the private key may be known to someone else."),
    )
