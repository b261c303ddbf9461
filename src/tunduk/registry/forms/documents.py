"""Attaching documents (000 §20.12, §20.17) and the decommissioning notice (000 §28)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tunduk import limits
from tunduk.core.text import validate_one_line
from tunduk.registry.choices import DocumentKind

UPLOAD_KINDS = [
    (DocumentKind.TECHNICAL, _("Technical document (field 12)")),
    (DocumentKind.COMMISSIONING_ACT, _("Act of commissioning (field 17)")),
]


class DocumentUploadForm(forms.Form):
    """One electronic copy of a paper document; the service checks its type and size."""

    kind = forms.ChoiceField(label=_("Kind"), choices=UPLOAD_KINDS, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, PNG, JPEG, DOCX, XLSX, ODT or ODS."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.odt,.ods"}
        ),
    )


class DecommissioningNoticeForm(forms.Form):
    """The notice that operation stopped, with a copy of the decision (000 §28)."""

    decision_date = forms.DateField(
        label=_("Date of the decision to stop operation"),
        widget=forms.DateInput(
            attrs={"type": "date", "min": limits.EARLIEST_DATE.isoformat()}, format="%Y-%m-%d"
        ),
    )
    decision_reference = forms.CharField(
        label=_("Decision number"), max_length=200, validators=[validate_one_line]
    )
    decision_copy = forms.FileField(label=_("Copy of the decision"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea, required=False)
