"""The operator's form for a day transfer."""

from __future__ import annotations

from django import forms

from tunduk.workdays.models import DayTransfer


class DayTransferForm(forms.ModelForm):  # type: ignore[type-arg]  # generic only in the stubs
    """Add or edit one decreed transfer; the weekday rules live in ``DayTransfer.clean``."""

    class Meta:
        model = DayTransfer
        fields = ["date", "kind", "decree", "note"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
