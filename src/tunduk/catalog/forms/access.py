"""Access requests, the owner's decisions and grants (004 "multilateral", 003 §3.2.8)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tunduk import limits
from tunduk.catalog.forms.participants import SubsystemChoiceField
from tunduk.catalog.models import Endpoint, Group, Participant, Service, Subsystem


def _endpoint_field(service: Service) -> forms.ModelChoiceField[Endpoint]:
    return forms.ModelChoiceField(
        label=_("Endpoint"),
        queryset=service.endpoints.all(),
        required=False,
        empty_label=_("The whole service"),
    )


class AccessRequestForm(forms.Form):
    """Ask the owner for access for one of our subsystems, to the service or one endpoint."""

    client = SubsystemChoiceField(label=_("For our subsystem"), queryset=Subsystem.objects.none())
    purpose = forms.CharField(
        max_length=limits.LONG_TEXT,
        label=_("Purpose of the access"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, *args: Any, service: Service, participant: Participant, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        client = self.fields["client"]
        assert isinstance(client, SubsystemChoiceField)
        client.queryset = participant.subsystems.select_related("participant")
        self.fields["endpoint"] = _endpoint_field(service)


class GrantForm(forms.Form):
    """The owner grants a subsystem or a whole group access without a request."""

    client = SubsystemChoiceField(
        label=_("Subsystem"), queryset=Subsystem.objects.none(), required=False
    )
    group = forms.ModelChoiceField(
        label=_("…or group"), queryset=Group.objects.all(), required=False
    )

    def __init__(self, *args: Any, service: Service, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        client = self.fields["client"]
        assert isinstance(client, SubsystemChoiceField)
        client.queryset = (
            Subsystem.objects.exclude(pk=service.subsystem_id)
            .select_related("participant")
            .order_by("participant__member_code", "subsystem_code")
        )
        self.fields["endpoint"] = _endpoint_field(service)


class CommentForm(forms.Form):
    """A decision's comment: required when refusing, optional when granting or approving."""

    comment = forms.CharField(
        max_length=limits.LONG_TEXT,
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReasonForm(forms.Form):
    """Why something is revoked or refused; the service requires it."""

    reason = forms.CharField(
        max_length=limits.LONG_TEXT,
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
