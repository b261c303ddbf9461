"""Names in the state language and the official language, shown in the reader's language.

Elements, subjects and services are named in Kyrgyz (the state language, required) and
Russian (the official language, optional). A Russian reader sees the Russian name when
there is one; every other reader sees the Kyrgyz one; either falls back to the other
when its own is empty (docs/search.md).
"""

from __future__ import annotations

from django.utils.translation import get_language

__all__ = ["OFFICIAL_LANGUAGE", "STATE_LANGUAGE", "in_reader_language"]

STATE_LANGUAGE = "ky"
OFFICIAL_LANGUAGE = "ru"


def in_reader_language(state: str, official: str, language: str | None = None) -> str:
    """``official`` for a Russian reader, ``state`` for any other; the other when empty."""
    language = (language or get_language() or STATE_LANGUAGE).split("-")[0]
    if language == OFFICIAL_LANGUAGE:
        return official or state
    return state or official
