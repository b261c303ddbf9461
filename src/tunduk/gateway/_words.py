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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "COMMAND_CONTEXT",
    "LANGUAGES",
    "Translate",
    "Word",
    "WordedError",
    "add_language_option",
    "say",
    "translations",
]

LANGUAGES = ("en", "ky", "ru")
"""The languages a report can be printed in (``--language``)."""

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

Translate = Callable[[str, str], str]
"""``pgettext(context, message)`` of one language."""

COMMAND_CONTEXT = "gateway command"
"""The context of what ``tunduk gateway`` says and of :class:`WordedError` rules."""


@functools.lru_cache(maxsize=len(LANGUAGES))
def translations(language: str = "en") -> gettext.NullTranslations:
    """The catalogue of ``language`` (one of :data:`LANGUAGES`)."""
    if language not in LANGUAGES:
        raise ValueError(f"no report language {language!r}; choose one of {', '.join(LANGUAGES)}")
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation("django", localedir=LOCALE_DIR, languages=[language])


def say(language: str, message: str) -> str:
    """``message`` (a literal of the gateway's commands) in ``language``."""
    return translations(language).pgettext(COMMAND_CONTEXT, message)


def add_language_option(parser: argparse.ArgumentParser) -> None:
    """``--language ky|ru|en`` (English by default)."""
    parser.add_argument(
        "--language",
        choices=LANGUAGES,
        default="en",
        help="the language it prints in: ky (Kyrgyz), ru (Russian) or en (English, the default)",
    )


@dataclass(frozen=True)
class Word:
    """A :class:`WordedError` field that is a word of ours (``"signing certificate"``).

    Told in the reader's language, where other fields (paths, numbers) stay as they are.
    """

    english: str

    def __str__(self) -> str:
        return self.english


def _fill(rule: str, fields: Mapping[str, object]) -> str:
    return rule % fields if fields else rule


class WordedError(ValueError):
    """A refusal about ``subject`` (a key, a file) whose ``rule`` can be told in any language.

    ``rule`` is an English sentence, a literal at the raise site, with ``%(name)s`` fields
    filled from ``fields``. ``str()`` and :attr:`message` read in English, as the logs
    want; :meth:`told` looks the rule up in a catalogue under :data:`COMMAND_CONTEXT`
    (``tests/gateway/test_command_language.py`` checks that every literal rule is there).
    """

    def __init__(self, subject: object, rule: str, **fields: object) -> None:
        self.subject = str(subject)
        self.rule = rule
        self.fields = fields
        self.message = _fill(rule, fields)
        """The rule in English, fields filled in."""
        super().__init__(self._join(self.message))

    def told(self, language: str = "en") -> str:
        """``subject: rule`` in ``language`` (one of :data:`LANGUAGES`)."""
        fields = {
            name: say(language, value.english) if isinstance(value, Word) else value
            for name, value in self.fields.items()
        }
        return self._join(_fill(say(language, self.rule), fields))

    def _join(self, said: str) -> str:
        return f"{self.subject}: {said}" if self.subject else said
