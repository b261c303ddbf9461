"""The language ``tunduk journal verify`` reports in (``--language ky|ru|en``).

The command also runs beside a gateway, without central's settings, so it reads the
project's gettext catalogues through the standard library, as the gateway's commands do.
Its messages have the context ``journal command``; English is the messages themselves.
The details after a colon (which entry, which check) stay English, as the journal's
library words them.
"""

from __future__ import annotations

from tunduk.gateway._words import LANGUAGES, translations

__all__ = ["JOURNAL_CONTEXT", "LANGUAGES", "say"]

JOURNAL_CONTEXT = "journal command"


def say(language: str, message: str, **fields: object) -> str:
    """``message`` (a literal with ``%(name)s`` fields) in ``language``, fields filled in."""
    said = translations(language).pgettext(JOURNAL_CONTEXT, message)
    return said % fields if fields else said
