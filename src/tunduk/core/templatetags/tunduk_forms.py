"""Form fields rendered for assistive technology: ``{% field_widget field %}`` draws the input
with ``aria-describedby`` naming its hint and its error (the ids ``includes/form_field.html``
gives them) and ``aria-invalid`` when it has an error (WCAG 1.3.1, 3.3.1)."""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()


def hint_id(field: BoundField) -> str:
    """The id of the field's hint (its help text)."""
    return f"hint-{field.html_name}"


def error_id(field: BoundField) -> str:
    """The id of the field's error message; tests and the error summary refer to it."""
    return f"errors-{field.html_name}"


@register.simple_tag
def field_widget(field: BoundField) -> SafeString:
    """The field's widget, described by its hint and error and marked invalid on an error."""
    described_by = []
    if field.help_text:
        described_by.append(hint_id(field))
    if field.errors:
        described_by.append(error_id(field))
    attrs: dict[str, str | bool] = {}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)
