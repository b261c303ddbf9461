"""Search, filters and ordering of the public list; the exports honour the same parameters."""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from tunduk.registry.choices import ElementType
from tunduk.registry.lifecycle import PUBLIC_STATUSES
from tunduk.registry.models import Element, Subject

ORDERINGS = {
    "name": ("full_name", "id"),
    "-name": ("-full_name", "-id"),
    "code": ("registration_code",),
    "-code": ("-registration_code",),
    "registered": ("registered_at", "id"),
    "-registered": ("-registered_at", "-id"),
}
ORDERING_CHOICES = [
    ("name", _("Name (A–Z)")),
    ("-name", _("Name (Z–A)")),
    ("code", _("Registration code")),
    ("-registered", _("Newest registrations first")),
    ("registered", _("Oldest registrations first")),
    ("-code", _("Registration code, descending")),
]


def public_elements() -> QuerySet[Element]:
    """Elements that are or were registered: the only ones the public may see."""
    return Element.objects.filter(status__in=PUBLIC_STATUSES)


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
        queryset=Subject.objects.only("id", "name", "short_name").order_by("name"),
        empty_label=_("All subjects"),
    )
    ordering = forms.ChoiceField(label=_("Order by"), required=False, choices=ORDERING_CHOICES)

    def filter(self, queryset: QuerySet[Element]) -> QuerySet[Element]:
        """Apply the valid parameters; invalid ones are ignored rather than failing the page."""
        self.is_valid()
        data = self.cleaned_data
        query = (data.get("q") or "").strip()
        if query:
            queryset = queryset.filter(
                Q(full_name__icontains=query)
                | Q(short_name__icontains=query)
                | Q(registration_code__icontains=query)
                | Q(subject__name__icontains=query)
                | Q(subject__short_name__icontains=query)
            )
        if data.get("type"):
            queryset = queryset.filter(element_type=data["type"])
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("subject"):
            queryset = queryset.filter(subject=data["subject"])
        return queryset.order_by(*ORDERINGS[data.get("ordering") or "name"])
