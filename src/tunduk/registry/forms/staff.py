"""Forms of the operator's and the authorised body's pages.

The forms only collect input; the rules (an explanation is required, a record with all
17 fields cannot be refused as incomplete, …) are enforced by ``tunduk.registry.services``,
whose errors the views attach to these forms with ``tunduk.core.forms.show_error``.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tunduk.registry.choices import RefusalGround, SubmissionKind


class SubmissionQueueFilterForm(forms.Form):
    """Filters of the review queue (000 §21)."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All kinds")), *SubmissionKind.choices],
        required=False,
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


class RefusalForm(forms.Form):
    """A refusal on one of the grounds of 000 §23 (or 000 §2), with an explanation."""

    ground = forms.ChoiceField(
        label=_("Ground for refusal"),
        choices=RefusalGround.choices,
        widget=forms.RadioSelect,
    )
    explanation = forms.CharField(
        label=_("Explanation for the subject"),
        help_text=_("Say what to correct so the record can be submitted again (000 §23)."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )


class CommentForm(forms.Form):
    """A free-text comment: why an application is rejected or a decommissioning not agreed."""

    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class InformationRequestForm(forms.Form):
    """The authorised body's request for additional information about an element (000 §10)."""

    question = forms.CharField(
        label=_("Question"),
        help_text=_("What the authorised body needs for analysis, control or monitoring."),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    answer_due = forms.DateField(
        label=_("Answer requested by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
