"""Small forms for single actions: submit a record, answer a request, apply for access."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tunduk.registry.choices import ElementType
from tunduk.registry.models import AccessApplication, Subject
from tunduk.registry.services.applications import APPLICATION_FIELDS


class SubmitForm(forms.Form):
    """Send the record for review; an incomplete one only when the employee confirms."""

    allow_incomplete = forms.BooleanField(
        label=_("Submit anyway — the operator may refuse it as incomplete (000 §23.2)"),
        required=False,
    )


class InformationRequestAnswerForm(forms.Form):
    """The subject's answer to the authorised body's question (000 §10)."""

    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 6}))


class AccessApplicationForm(forms.ModelForm[AccessApplication]):
    """The written notification of 000 §15 with the content of 000 §16–17."""

    subject = forms.ModelChoiceField(
        label=_("Accounting subject"),
        queryset=Subject.objects.only("id", "name", "name_ru", "short_name").order_by("name"),
    )
    element_type = forms.ChoiceField(
        label=_("Type of the element"), choices=ElementType.choices, widget=forms.RadioSelect
    )

    class Meta:
        model = AccessApplication
        fields = ("subject", *APPLICATION_FIELDS)
        widgets = {"appointment_decision": forms.TextInput}

    def _post_clean(self) -> None:
        """Skip the model's own validation: ``submit_application`` validates and saves."""

    def application_data(self) -> dict[str, str]:
        """The values in the shape ``submit_application`` takes."""
        return {name: self.cleaned_data[name] for name in APPLICATION_FIELDS}
