"""The language of ``tunduk evidence verify``'s report: Kyrgyz, Russian or English.

The gateway runs without Django, so the report takes its words from the project's gettext
catalogues (``tunduk/locale``, the ``django`` domain the pages use too) through the
standard library. Every message has the context ``evidence report`` or ``evidence
check``, so it never collides with a page's word that reads the same in English.
English is the messages themselves, byte for byte.
"""

from __future__ import annotations

import functools
import gettext
from pathlib import Path

from ._evidence_errors import Check

__all__ = ["LANGUAGES", "Words", "words"]

LANGUAGES = ("en", "ky", "ru")
"""The languages a report can be printed in (``--language``)."""

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


class Words:
    """The report's messages in one language.

    Callers write ``pgettext("evidence report", "…")`` with literal strings, so that
    ``makemessages`` finds every message the report uses.
    """

    def __init__(self, translations: gettext.NullTranslations) -> None:
        self.pgettext = translations.pgettext

    def check(self, check: Check) -> str:
        """The name of one check in this language."""
        pgettext = self.pgettext
        names = {
            Check.CONTAINER: pgettext("evidence check", "container"),
            Check.MANIFEST: pgettext("evidence check", "manifest"),
            Check.INDEX: pgettext("evidence check", "index"),
            Check.CONFIGURATION: pgettext("evidence check", "configuration"),
            Check.CERTIFICATES: pgettext("evidence check", "certificates"),
            Check.LEAVES: pgettext("evidence check", "leaves"),
            Check.DIGESTS: pgettext("evidence check", "message digests"),
            Check.SIGNATURES: pgettext("evidence check", "signatures"),
            Check.COMMITMENTS: pgettext("evidence check", "body commitments"),
            Check.INCLUSION: pgettext("evidence check", "inclusion proofs"),
            Check.CHECKPOINT: pgettext("evidence check", "checkpoint signature"),
            Check.COSIGNATURES: pgettext("evidence check", "cosignatures"),
            Check.TIMESTAMP: pgettext("evidence check", "time-stamp"),
        }
        return names[check]


@functools.lru_cache(maxsize=len(LANGUAGES))
def words(language: str = "en") -> Words:
    """The report's words in ``language`` (one of :data:`LANGUAGES`)."""
    if language not in LANGUAGES:
        raise ValueError(f"no report language {language!r}; choose one of {', '.join(LANGUAGES)}")
    if language == "en":
        return Words(gettext.NullTranslations())
    return Words(gettext.translation("django", localedir=LOCALE_DIR, languages=[language]))
