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
        return ngettext("%(size)d\u00a0byte", "%(size)d\u00a0bytes", size) % {"size": size}
    amount = size / KIB
    unit = gettext("%(size)s\u00a0KB")
    if amount >= KIB:
        amount, unit = amount / KIB, gettext("%(size)s\u00a0MB")
    if amount >= KIB:
        amount, unit = amount / KIB, gettext("%(size)s\u00a0GB")
    digits = 0 if amount >= 10 else 1
    return unit % {"size": number_format(round(amount, digits), digits)}
