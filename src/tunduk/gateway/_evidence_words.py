"""The words of ``tunduk evidence verify``'s report in the reader's language (:mod:`._words`)."""

from __future__ import annotations

import functools
import gettext

from ._evidence_errors import Check
from ._words import LANGUAGES, translations

__all__ = ["LANGUAGES", "Words", "words"]


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
    return Words(translations(language))
