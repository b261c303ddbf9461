"""The public Catalog's search and filters as forms (issue 11, item 14).

Each form validates the page's query parameters and builds the list's one filter class of
``catalog.filters`` — the same class the API reads — so a search covers the same fields on
the page and in the API. Invalid parameters are ignored rather than failing the page.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from tunduk.api.filters import ListFilter
from tunduk.catalog.choices import MemberClass, ParticipantStatus
from tunduk.catalog.filters import ParticipantFilter, ServiceFilter, SubsystemFilter
from tunduk.catalog.models import Participant, Subsystem

M = TypeVar("M", bound=Model)
SEARCH_LENGTH = 200

__all__ = ["ParticipantFilterForm", "ServiceFilterForm", "SubsystemFilterForm"]


def _participants() -> QuerySet[Participant]:
    return Participant.objects.select_related("subject").order_by("member_class", "member_code")


class _CatalogFilterForm(forms.Form):
    """``q`` and the list's own filters; ``filter`` applies them through ``filter_class``."""

    filter_class: type[ListFilter]
    q = forms.CharField(label=_("Search"), required=False, max_length=SEARCH_LENGTH)

    def parameters(self, data: dict[str, Any]) -> dict[str, Any]:
        """The filter's parameters from the cleaned data (model choices become their ids)."""
        return {
            name: (value.pk if isinstance(value, Model) else value) or None
            for name, value in data.items()
        }

    def filter(self, queryset: QuerySet[M]) -> QuerySet[M]:
        """The rows matching the valid parameters."""
        self.is_valid()
        return self.filter_class(**self.parameters(self.cleaned_data)).apply(queryset)


class ParticipantFilterForm(_CatalogFilterForm):
    """Participants by name or member code, member class and status."""

    filter_class = ParticipantFilter
    member_class = forms.ChoiceField(
        label=_("Member class"),
        required=False,
        choices=[("", _("All member classes")), *MemberClass.choices],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *ParticipantStatus.choices],
    )


class SubsystemFilterForm(_CatalogFilterForm):
    """Subsystems by name or code, and participant."""

    filter_class = SubsystemFilter
    participant = forms.ModelChoiceField(
        label=_("Participant"),
        required=False,
        queryset=_participants(),
        empty_label=_("All participants"),
    )


class ServiceFilterForm(_CatalogFilterForm):
    """Services by title, description or code, participant and subsystem."""

    filter_class = ServiceFilter
    participant = forms.ModelChoiceField(
        label=_("Participant"),
        required=False,
        queryset=_participants(),
        empty_label=_("All participants"),
    )
    subsystem = forms.ModelChoiceField(
        label=_("Subsystem"),
        required=False,
        queryset=Subsystem.objects.select_related("participant").order_by(
            "participant__member_code", "subsystem_code"
        ),
        empty_label=_("All subsystems"),
    )
