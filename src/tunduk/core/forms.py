"""Show a service's ``RuleError`` on the form, next to the field it names."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms

from tunduk.core.errors import RuleError


def show_error(
    form: forms.BaseForm,
    error: RuleError,
    formsets: Mapping[str, forms.BaseFormSet[forms.Form]] | None = None,
    rename: Mapping[str, str] | None = None,
) -> None:
    """Attach ``error.message`` to the field ``error.field`` names, or to the whole form.

    List rows are named ``<list>.<row>.<column>`` (e.g. ``software.0.name``); they go to
    that row of the list's formset. ``rename`` maps a service's field name to the form's
    when they differ (e.g. ``file`` → ``decision_copy``).
    """
    name = error.field or ""
    name = (rename or {}).get(name, name)
    parts = name.split(".")
    if formsets and len(parts) == 3 and parts[0] in formsets and parts[1].isdigit():
        formset = formsets[parts[0]]
        row = int(parts[1])
        forms_by_position = [f for f in formset.forms if _kept(f)]
        if row < len(forms_by_position):
            target = forms_by_position[row]
            column = parts[2] if parts[2] in target.fields else None
            target.add_error(column, error.message)
            return
    if name in form.fields:
        form.add_error(name, error.message)
    else:
        form.add_error(None, error.message)


def _kept(row: forms.Form) -> bool:
    """Whether a formset row was sent to the service (filled in and not removed)."""
    data = getattr(row, "cleaned_data", None)
    if not data:
        return False
    return not data.get("DELETE")
