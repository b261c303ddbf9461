"""Django's own validation messages, translated again in the project's catalogues.

Django's Kyrgyz catalogue glues the number or the quoted value to the next word: a field
over its limit read "эң көп 500символ" (issue 11). The project's catalogues (``LOCALE_PATHS``)
take precedence over Django's, so each message listed here, with exactly Django's msgid, gets
a properly spaced translation in ``locale/ky`` (and Django's wording in ``locale/ru``).
Nothing reads these values: the module exists so that ``makemessages`` keeps the msgids.
tests/core/test_framework_messages.py checks that no Django message a Kyrgyz form can show
still glues a number to a word.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop, ngettext_lazy

__all__ = ["OVERRIDDEN"]

OVERRIDDEN = (
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure this filename has at most %(max)d character (it has %(length)d).",
        "Ensure this filename has at most %(max)d characters (it has %(length)d).",
        "max",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit in total.",
        "Ensure that there are no more than %(max)s digits in total.",
        "max",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s decimal place.",
        "Ensure that there are no more than %(max)s decimal places.",
        "max",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit before the decimal point.",
        "Ensure that there are no more than %(max)s digits before the decimal point.",
        "max",
    ),
    gettext_noop(
        "File extension “%(extension)s” is not allowed. Allowed extensions are: "
        "%(allowed_extensions)s."
    ),
    gettext_noop("“%(pk)s” is not a valid value."),
    gettext_noop(
        "“%(value)s” value has the correct format (YYYY-MM-DD) but it is an invalid date."
    ),
    gettext_noop(
        "%(datetime)s couldn’t be interpreted in time zone %(current_timezone)s; it may be "
        "ambiguous or it may not exist."
    ),
)
