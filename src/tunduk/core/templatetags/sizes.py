"""``{{ bytes|filesize }}``: a file's size with a translated unit and a space before it.

Django's ``filesizeformat`` glues a unit of its own translation to the number (Kyrgyz
read "69бит", bits, for 69 bytes); here every unit is one of the project's msgids, the
number and the unit are separated by a (no-break) space, and the number is formatted
for the active language (issue 11, defect 10).
"""

from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

register = template.Library()

KIB = 1024


@register.filter
def filesize(value: object) -> str:
    """``69`` -> "69 bytes"; ``2048`` -> "2 KB"; ``5_500_000`` -> "5.2 MB" (in the language)."""
    try:
        size = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return ""
    if size < KIB:
        return _no_break(ngettext("%(size)d byte", "%(size)d bytes", size) % {"size": size})
    amount = size / KIB
    unit = gettext("%(size)s KB")
    if amount >= KIB:
        amount, unit = amount / KIB, gettext("%(size)s MB")
    if amount >= KIB:
        amount, unit = amount / KIB, gettext("%(size)s GB")
    digits = 0 if amount >= 10 else 1
    return _no_break(unit % {"size": number_format(round(amount, digits), digits)})


def _no_break(text: str) -> str:
    """The number and its unit stay on one line (the msgids hold a plain space: xgettext
    would keep a ``\\u00a0`` escape as six characters, and no translation would match)."""
    return text.replace(" ", "\u00a0")
