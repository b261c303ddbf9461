"""The public list's search, filters and ordering as a form; the exports honour the same.

What they match is ``registry.filters.ElementFilter``, which the API uses too.
"""

from __future__ import annotations

from html import escape
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from tunduk.core.search import MAX_QUERY
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


class PlainSelect(forms.Select):
    """A ``<select>`` whose options are joined in Python, not rendered one template each.

    Django renders every option through a template; for the 200 subjects of a large
    Registry that was most of the time of a search page (docs/search.md, ``make bench``).
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = {str(item) for item in self.format_value(value)}
        # ``html.escape`` directly: Django's lazy-aware ``escape`` costs several times more.
        options = "".join(
            f'<option value="{escape(str(key))}"{" selected" if str(key) in chosen else ""}>'
            f"{escape(str(label))}</option>"
            for key, label in self.choices
        )
        # Every value and label is escaped above.
        return format_html("<select{}>{}</select>", flatatt(final), mark_safe(options))


class ElementFilterForm(forms.Form):
    """``q``, ``type``, ``status``, ``subject`` and ``ordering`` of the list and the exports."""

    q = forms.CharField(label=_("Search"), required=False, max_length=MAX_QUERY)
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
        widget=PlainSelect,
    )
    ordering = forms.ChoiceField(label=_("Order by"), required=False, choices=ORDERING_CHOICES)

    def filter(self, queryset: QuerySet[Element]) -> QuerySet[Element]:
        """Apply the valid parameters; invalid ones are ignored rather than failing the page.

        A search that is too long finds nothing (its error is shown beside the field):
        listing everything instead would answer a question that was not asked.
        """
        self.is_valid()
        if "q" in self.errors:
            return queryset.none()
        data = self.cleaned_data
        subject = data.get("subject")
        matching = ElementFilter(
            q=data.get("q") or None,
            type=data.get("type") or None,
            status=data.get("status") or None,
            subject=subject.pk if subject else None,
        )
        return matching.ordered(queryset, data.get("ordering") or "name")
