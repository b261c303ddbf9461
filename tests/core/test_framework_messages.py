"""Django's own validation messages in Kyrgyz: a number is never glued to the next word
(issue 11: "500символ"); the project's catalogue re-translates what Django's glues."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import django
import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from tests.core.test_translations import _entries
from tests.factories import EmployeeFactory
from tunduk.registry.models import Element

DJANGO_LOCALE = Path(django.__file__).resolve().parent / "conf" / "locale"
KYRGYZ_LETTER = "А-Яа-яЁёӨөҮүҢң"
# A placeholder, or a closing quote, followed by a letter; or a letter followed by a placeholder.
GLUED = re.compile(
    rf"(%(\([A-Za-z_]+\))?[sd]|[”»])[{KYRGYZ_LETTER}]|[{KYRGYZ_LETTER}]%(\([A-Za-z_]+\))?[sd]"
)


def _catalogue(language: str) -> dict[object, str]:
    """Django's compiled catalogue: msgid (or (msgid, form)) -> translation."""
    with (DJANGO_LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as mo:
        return gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]


def _current_plurals() -> dict[str, str]:
    """Django's current msgids (its English catalogue), each with its plural ("" if none)."""
    return {
        entry["msgid"]: entry.get("msgid_plural", "")
        for entry in _entries("en", DJANGO_LOCALE)
        if entry["msgid"]
    }


def _glued_in_django() -> list[str]:
    """Django's current msgids whose Kyrgyz translation glues a placeholder to a word."""
    current = _current_plurals()
    return sorted(
        {
            key[0] if isinstance(key, tuple) else key
            for key, text in _catalogue("ky").items()
            if (key[0] if isinstance(key, tuple) else key) in current and GLUED.search(text)
        }
    )


def test_djangos_kyrgyz_catalogue_still_glues_so_the_check_below_can_fail() -> None:
    """The check has something to check: Django's own Kyrgyz length message is glued."""
    glued = _glued_in_django()
    assert any(msgid.startswith("Ensure this value has at most") for msgid in glued), glued


@pytest.mark.parametrize("msgid", _glued_in_django())
def test_no_django_message_glues_a_number_to_a_word_in_kyrgyz(msgid: str) -> None:
    """Each of Django's messages that its Kyrgyz catalogue glues reads spaced in the project."""
    plural = _current_plurals()[msgid]
    with translation.override("ky"):
        text = translation.ngettext(msgid, plural, 500) if plural else translation.gettext(msgid)
    assert text not in (msgid, plural), "left in English"
    assert not GLUED.search(text), text


@pytest.mark.django_db
def test_a_too_long_name_reads_500_space_characters_in_kyrgyz(client: Client) -> None:
    """000 §20 field 1: a 501-character name is refused with "500 символ", not "500символ"."""
    employee = EmployeeFactory()
    client.force_login(employee)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ky"
    response = client.post("/elements/new/", {"full_name": "Ы" * 501, "short_name": "Ы"})
    assert response.status_code == 400
    html = response.text
    assert 'id="errors-full_name"' in html
    assert "500 символ" in html
    assert "500символ" not in html
    assert not Element.objects.filter(subject=employee.subject).exists()


def test_the_projects_own_kyrgyz_messages_keep_numbers_apart_from_words() -> None:
    """No Kyrgyz message of the project glues a placeholder or a closing quote to a word."""
    glued = [
        form
        for entry in _entries("ky")
        if entry["msgid"]
        for key, form in entry.items()
        if key.startswith("msgstr") and GLUED.search(form)
    ]
    assert glued == []
