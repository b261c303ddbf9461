"""The public list's search, filters and ordering as a form; the exports honour the same.

What they match is ``registry.filters.ElementFilter``, which the API uses too.
"""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tunduk.registry.choices import ElementType
from tunduk.registry.filters import ElementFilter
from tunduk.registry.lifecycle import PUBLIC_STATUSES
from tunduk.registry.models import Element, Subject

ORDERING_CHOICES = [
    ("name", _("Name (A–Z)")),
    ("-name", _("Name (Z–A)")),
    ("code", _("Registration code")),
    ("-registered", _("Newest registrations first")),
    ("registered", _("Oldest registrations first")),
    ("-code", _("Registration code, descending")),
]


class ElementFilterForm(forms.Form):
    """``q``, ``type``, ``status``, ``subject`` and ``ordering`` of the list and the exports."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *ElementType.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses"))]
        + [(status.value, status.label) for status in PUBLIC_STATUSES],
    )
    subject = forms.ModelChoiceField(
        label=_("Subject"),
        required=False,
        queryset=Subject.objects.only("id", "name", "name_ru", "short_name").order_by("name"),
        empty_label=_("All subjects"),
    )
    ordering = forms.ChoiceField(label=_("Order by"), required=False, choices=ORDERING_CHOICES)

    def filter(self, queryset: QuerySet[Element]) -> QuerySet[Element]:
        """Apply the valid parameters; invalid ones are ignored rather than failing the page."""
        self.is_valid()
        data = self.cleaned_data
        subject = data.get("subject")
        matching = ElementFilter(
            q=data.get("q") or None,
            type=data.get("type") or None,
            status=data.get("status") or None,
            subject=subject.pk if subject else None,
        )
        return matching.ordered(queryset, data.get("ordering") or "name")
