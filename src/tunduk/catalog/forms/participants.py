"""Forms of the Tunduk operator and of notices: participants, status changes, groups."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tunduk import limits
from tunduk.catalog.choices import MemberClass, NoticeKind
from tunduk.catalog.models import Participant, Subsystem
from tunduk.core.text import validate_one_line
from tunduk.registry.models import Subject

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SubsystemChoiceField(forms.ModelChoiceField[Subsystem]):
    """Subsystems shown by identifier and name."""

    def label_from_instance(self, obj: Subsystem) -> str:
        return f"{obj.identifier} — {obj.name}"


class ParticipantForm(forms.Form):
    """The operator registers a subject as a member (003 §3.1.1); the service checks the code."""

    subject = forms.ModelChoiceField(
        label=_("Accounting subject"),
        queryset=Subject.objects.filter(participant__isnull=True).order_by("name"),
    )
    member_class = forms.ChoiceField(label=_("Member class"), choices=MemberClass.choices)
    member_code = forms.CharField(
        label=_("Member code"),
        max_length=255,
        help_text=_(
            "Usually the organisation's tax number (INN). Letters, digits and ' ( ) + , - . = ? only."
        ),
    )


class StatusChangeForm(forms.Form):
    """Suspend, reinstate, disconnect or leave: reasons and when it takes effect (003 §4)."""

    reason = forms.CharField(
        max_length=limits.LONG_TEXT,
        label=_("Reasons"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent at once to the other side as the prior notice (003 §4)."),
    )
    effective_at = forms.DateTimeField(
        label=_("Takes effect"),
        required=False,
        widget=DATETIME_WIDGET,
        help_text=_(
            "Leave empty for the earliest time allowed: at once for a reinstatement, after the "
            "prior notice for a suspension, disconnection or leaving (003 §4)."
        ),
    )


class OperatorStatusChangeForm(StatusChangeForm):
    """The operator's change, which may be a suspension at once for a security incident."""

    security_incident = forms.BooleanField(
        label=_("Suspend at once for a security incident (003 §2.4, §2.6)"),
        required=False,
        help_text=_(
            "Only a suspension may skip the prior notice; it is marked as made for a "
            "security incident."
        ),
    )


class NoticeForm(forms.Form):
    """An outage, maintenance, violation or error reported at once (003 §3.2.13)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=NoticeKind.choices)
    subsystem = SubsystemChoiceField(
        label=_("Subsystem concerned"), queryset=Subsystem.objects.none(), required=False
    )
    title = forms.CharField(label=_("Title"), max_length=300, validators=[validate_one_line])
    description = forms.CharField(
        max_length=limits.LONG_TEXT,
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DATETIME_WIDGET)
    ends_at = forms.DateTimeField(label=_("Ends"), required=False, widget=DATETIME_WIDGET)

    def __init__(self, *args: Any, participant: Participant | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["subsystem"]
        if participant is None:
            del self.fields["subsystem"]
        else:
            assert isinstance(field, SubsystemChoiceField)
            field.queryset = participant.subsystems.select_related("participant")


class GroupForm(forms.Form):
    """A global group of subsystems (a grant to a group covers every member)."""

    code = forms.CharField(label=_("Group code"), max_length=255)
    description = forms.CharField(label=_("Description"), max_length=500)


class MembershipForm(forms.Form):
    """Add a subsystem to a group."""

    subsystem = SubsystemChoiceField(
        label=_("Subsystem"),
        queryset=Subsystem.objects.select_related("participant").order_by(
            "participant__member_code", "subsystem_code"
        ),
    )
