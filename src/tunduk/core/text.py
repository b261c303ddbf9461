"""One-line text: titles that become e-mail subjects and headings are refused with line breaks.

A title with a carriage return or a line feed would add headers to the e-mail whose subject
it becomes (Django refuses to send it, after the change is saved) and break the pages that
show it on one line. The same rule is checked by the forms, the API schemas and the
services, so each answers with an error naming the field.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tunduk.core.errors import InvalidInput

__all__ = ["LINE_BREAKS", "has_line_break", "require_one_line", "validate_one_line"]

# Every character ``str.splitlines`` breaks on: CR and LF, and the rarer separators.
LINE_BREAKS = frozenset("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def _message() -> str:
    return _("Write this on one line, without line breaks.")


def has_line_break(value: str) -> bool:
    """Whether ``value`` contains any line-breaking character."""
    return not LINE_BREAKS.isdisjoint(value)


def validate_one_line(value: str) -> None:
    """A Django validator: ``ValidationError`` when ``value`` has a line break."""
    if has_line_break(value):
        raise ValidationError(_message(), code="line_break")


def require_one_line(value: str, field: str) -> None:
    """Raise ``InvalidInput`` naming ``field`` when ``value`` has a line break."""
    if has_line_break(value):
        raise InvalidInput(_message(), field=field)
