"""File sizes say bytes, with a space before the unit, in every language (issue 11, 10)."""

from __future__ import annotations

import pytest
from django.utils import translation

from tunduk.core.templatetags.sizes import filesize


@pytest.mark.parametrize(
    ("size", "shown"),
    [(1, "1\u00a0byte"), (69, "69\u00a0bytes"), (2048, "2.0\u00a0KB"), (5_500_000, "5.2\u00a0MB")],
)
def test_sizes_in_english(size, shown):
    """A number, a space, then the unit: never a unit glued to the number."""
    with translation.override("en"):
        assert filesize(size) == shown


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_sizes_never_say_bits_or_glue_the_unit(language):
    """Kyrgyz read "69бит" (bits) from Django's filter; ours keeps the space and no bits."""
    with translation.override(language):
        shown = filesize(69)
    assert shown.startswith("69\u00a0") and "бит" not in shown


def test_a_non_number_shows_nothing():
    """A missing size does not raise in a template."""
    assert filesize(None) == ""
