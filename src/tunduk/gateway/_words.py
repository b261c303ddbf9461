"""The language of what the gateway's commands print: Kyrgyz, Russian or English.

The gateway runs without Django, so its reports take their words from the project's
gettext catalogues (``tunduk/locale``, the ``django`` domain the pages use too) through
the standard library. Every message has a context (``gateway status``, ``evidence
report``, …), so it never collides with a page's word that reads the same in English.
English is the messages themselves, byte for byte. Callers write
``pgettext("context", "…")`` with literal strings, so that ``makemessages`` finds them.
"""

from __future__ import annotations

import argparse
import functools
import gettext
from collections.abc import Callable
from pathlib import Path

__all__ = ["LANGUAGES", "Translate", "add_language_option", "translations"]

LANGUAGES = ("en", "ky", "ru")
"""The languages a report can be printed in (``--language``)."""

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

Translate = Callable[[str, str], str]
"""``pgettext(context, message)`` of one language."""


@functools.lru_cache(maxsize=len(LANGUAGES))
def translations(language: str = "en") -> gettext.NullTranslations:
    """The catalogue of ``language`` (one of :data:`LANGUAGES`)."""
    if language not in LANGUAGES:
        raise ValueError(f"no report language {language!r}; choose one of {', '.join(LANGUAGES)}")
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation("django", localedir=LOCALE_DIR, languages=[language])


def add_language_option(parser: argparse.ArgumentParser) -> None:
    """``--language ky|ru|en`` (English by default)."""
    parser.add_argument(
        "--language",
        choices=LANGUAGES,
        default="en",
        help="the language of the report: ky (Kyrgyz), ru (Russian) or en (English, the default)",
    )
