"""Recording signed agreements and their termination (003 §2.5, §7.2)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tunduk import limits
from tunduk.catalog.choices import ParticipantStatus
from tunduk.catalog.models import Participant, Service

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AgreementForm(forms.Form):
    """A connection agreement the operator records: number, dates and the signed copy."""

    number = forms.CharField(label=_("Number"), max_length=100)
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE_WIDGET)
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DATE_WIDGET)
    document = forms.FileField(
        label=_("Signed copy"), help_text=_("PDF, PNG, JPEG, DOCX, XLSX, ODT or ODS.")
    )
    notes = forms.CharField(
        max_length=limits.LONG_TEXT,
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SlaForm(AgreementForm):
    """An SLA with another participant, optionally for one of our services (003 §2.5)."""

    counterparty = forms.ModelChoiceField(
        label=_("Other participant"), queryset=Participant.objects.none()
    )
    service = forms.ModelChoiceField(
        label=_("Service"),
        queryset=Service.objects.none(),
        required=False,
        empty_label=_("All our services"),
    )
    field_order = ["counterparty", "service", "number", "signed_on", "valid_until"]

    def __init__(self, *args: Any, participant: Participant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        counterparty = self.fields["counterparty"]
        assert isinstance(counterparty, forms.ModelChoiceField)
        counterparty.queryset = (
            Participant.objects.filter(status=ParticipantStatus.ACTIVE)
            .exclude(pk=participant.pk)
            .select_related("subject")
        )
        service = self.fields["service"]
        assert isinstance(service, forms.ModelChoiceField)
        service.queryset = Service.objects.filter(
            subsystem__participant=participant
        ).select_related("subsystem__participant")


class TerminationForm(forms.Form):
    """The written notice of termination: its reason (003 §7.2)."""

    termination_reason = forms.CharField(
        max_length=limits.LONG_TEXT,
        label=_("Reason for termination"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
