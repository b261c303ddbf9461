"""The guided element form: the scalar fields of 000 §20 and the lists of fields 8–11."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tunduk import limits
from tunduk.registry import snapshot
from tunduk.registry.choices import ElementType
from tunduk.registry.fields import FIELDS_BY_LIST
from tunduk.registry.models import (
    Element,
    InformationResource,
    Interaction,
    ProvidedService,
    SoftwareItem,
)


class ElementForm(forms.ModelForm[Element]):
    """The scalar fields of the record; field names are the model's attribute names.

    The form only validates and cleans: ``create_element``/``update_element`` save.
    """

    element_type = forms.ChoiceField(
        label=_("Type"),
        choices=ElementType.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Exactly one of the four types of the appendix to the Rules."),
    )

    class Meta:
        model = Element
        fields = snapshot.SCALAR_ATTRIBUTES
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "legal_acts": forms.Textarea(attrs={"rows": 3}),
            "responsible_officials": forms.Textarea(attrs={"rows": 2}),
            "architecture": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A draft may be saved with most fields empty; completeness is checked on submission.
        for name, field in self.fields.items():
            field.required = name == "full_name"

    def _post_clean(self) -> None:
        """Skip the model's own validation: the service validates and names the field."""

    def record_data(self) -> dict[str, Any]:
        """The cleaned values in the shape the services take."""
        return record_values(self.cleaned_data)


def record_values(data: Mapping[str, Any]) -> dict[str, Any]:
    """An ``ElementForm``'s cleaned values in the shape the services take."""
    return {name: data.get(name) for name in snapshot.SCALAR_ATTRIBUTES}


class SoftwareRowForm(forms.ModelForm[SoftwareItem]):
    """One row of field 8."""

    class Meta:
        model = SoftwareItem
        fields = snapshot.LIST_COLUMNS["software"]


class InformationResourceRowForm(forms.ModelForm[InformationResource]):
    """One row of field 9."""

    class Meta:
        model = InformationResource
        fields = snapshot.LIST_COLUMNS["resources"]
        widgets = {"description": forms.TextInput}


class InteractionRowForm(forms.ModelForm[Interaction]):
    """One row of field 10; a registered counterpart set elsewhere is kept as it is."""

    counterpart_id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Interaction
        fields = ("resource_name", "system_name")


class ProvidedServiceRowForm(forms.ModelForm[ProvidedService]):
    """One row of field 11."""

    class Meta:
        model = ProvidedService
        fields = snapshot.LIST_COLUMNS["services"]


def _row_form(model_form: type[forms.ModelForm[Any]]) -> type[forms.Form]:
    """A plain form with the model form's fields, so rows validate without a model instance."""
    fields = dict(model_form.base_fields)
    return type(model_form.__name__.replace("ModelForm", "Form"), (forms.Form,), fields)


ROW_FORMS: dict[str, type[forms.Form]] = {
    "software": _row_form(SoftwareRowForm),
    "resources": _row_form(InformationResourceRowForm),
    "interactions": _row_form(InteractionRowForm),
    "services": _row_form(ProvidedServiceRowForm),
}
# At most ELEMENT_LIST_ROWS rows are built and validated, whatever TOTAL_FORMS claims.
FORMSETS = {
    name: forms.formset_factory(
        row_form,
        extra=1,
        can_delete=True,
        max_num=limits.ELEMENT_LIST_ROWS,
        validate_max=True,
        absolute_max=limits.ELEMENT_LIST_ROWS,
    )
    for name, row_form in ROW_FORMS.items()
}


def too_many_rows(list_name: str) -> str:
    """The refusal of a list over its limit, naming the numbered field; keeps ``%(num)d``."""
    field = FIELDS_BY_LIST[list_name]
    limit = limits.ELEMENT_LIST_ROWS
    text = ngettext(
        "Field %(number)d (%(label)s) may hold at most %(limit)d row.",
        "Field %(number)d (%(label)s) may hold at most %(limit)d rows.",
        limit,
    ) % {"number": field.number, "label": field.label, "limit": limit}
    return text.replace("%", "%%")


class ListFormsets:
    """The four formsets of fields 8–11; each formset's prefix is the list's name."""

    def __init__(self, data: Mapping[str, Any] | None = None, element: Element | None = None):
        self.formsets: dict[str, forms.BaseFormSet[forms.Form]] = {}
        for name, formset_class in FORMSETS.items():
            initial = None
            if element is not None and data is None:
                columns = tuple(ROW_FORMS[name].base_fields)
                initial = [
                    {column: getattr(row, column) for column in columns}
                    for row in getattr(element, name).all()
                ]
            self.formsets[name] = formset_class(
                data,
                prefix=name,
                initial=initial,
                error_messages={"too_many_forms": too_many_rows(name)},
            )

    def __getitem__(self, name: str) -> forms.BaseFormSet[forms.Form]:
        return self.formsets[name]

    def is_valid(self) -> bool:
        return all([formset.is_valid() for formset in self.formsets.values()])

    def lists(self) -> dict[str, list[dict[str, Any]]]:
        """The kept rows of every list, in order, as the services take them."""
        result: dict[str, list[dict[str, Any]]] = {}
        for name, formset in self.formsets.items():
            rows = []
            for row in formset.forms:
                data = getattr(row, "cleaned_data", None)
                if not data or data.get("DELETE"):
                    continue
                rows.append({k: v for k, v in data.items() if k != "DELETE"})
            result[name] = rows
        return result
