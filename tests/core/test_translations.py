"""The Kyrgyz and Russian catalogues: complete, not fuzzy, placeholders kept, and used by the pages."""

from __future__ import annotations

import ast
import gettext
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

import tunduk

LOCALE_DIR = Path(tunduk.__file__).resolve().parent / "locale"
TRANSLATED = ("ky", "ru")
PLURAL_FORMS = {"ky": 2, "ru": 3, "en": 2}
# A translation may equal its msgid only for these: names that are the same in every language.
SAME_IN_EVERY_LANGUAGE = frozenset({"API", "REST"})
# Placeholders that must survive translation: %(name)s / %(count)d, %s, {name}, HTML tags.
PLACEHOLDER = re.compile(
    r"%\([A-Za-z_][A-Za-z0-9_]*\)[sdif]|%[sdif]|\{[A-Za-z_0-9]*\}|</?[A-Za-z][^<>]*>"
)


def _entries(lang: str, locale_dir: Path = LOCALE_DIR) -> list[dict[str, Any]]:
    """The entries of ``lang``'s django.po under ``locale_dir`` (the project's unless given),
    parsed with the standard library only."""
    entries: list[dict[str, Any]] = []
    entry: dict[str, Any] = {}
    key = ""
    for line in (locale_dir / lang / "LC_MESSAGES" / "django.po").read_text("utf-8").splitlines():
        line = line.strip()
        if not line:
            if "msgid" in entry:
                entries.append(entry)
            entry, key = {}, ""
        elif line.startswith("#,"):
            entry.setdefault("flags", set()).update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            entry[key] = ast.literal_eval(value)
    if "msgid" in entry:
        entries.append(entry)
    return entries


def _messages(lang: str) -> list[dict[str, Any]]:
    """The entries of ``lang`` other than the header and obsolete ones."""
    return [e for e in _entries(lang) if e["msgid"] and not e.get("obsolete")]


def _forms(entry: dict[str, Any]) -> list[str]:
    """The msgstr, or each msgstr[n] of a plural entry."""
    if "msgid_plural" in entry:
        return [v for k, v in sorted(entry.items()) if k.startswith("msgstr[")]
    return [entry["msgstr"]]


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated(lang: str) -> None:
    """Every msgid has a non-empty translation that differs from the English unless allow-listed."""
    messages = _messages(lang)
    assert len(messages) > 500
    untranslated: list[str] = []
    for entry in messages:
        for form in _forms(entry):
            same = form in (entry["msgid"], entry.get("msgid_plural"))
            if not form.strip() or (
                same and re.search(r"[A-Za-z]", form) and form not in SAME_IN_EVERY_LANGUAGE
            ):
                untranslated.append(entry["msgid"])
    assert untranslated == []


@pytest.mark.parametrize("lang", (*TRANSLATED, "en"))
def test_no_fuzzy_entries_and_plural_forms_match_the_header(lang: str) -> None:
    """No entry is fuzzy, and each plural entry has as many forms as the header's Plural-Forms."""
    entries = _entries(lang)
    header = entries[0]["msgstr"]
    assert f"Language: {lang}\n" in header
    assert f"nplurals={PLURAL_FORMS[lang]};" in header
    assert [e["msgid"] for e in entries if "fuzzy" in e.get("flags", ())] == []
    for entry in _messages(lang):
        if "msgid_plural" in entry:
            assert len(_forms(entry)) == PLURAL_FORMS[lang], entry["msgid"]


@pytest.mark.parametrize("lang", TRANSLATED)
def test_placeholders_are_preserved(lang: str) -> None:
    """Each translation keeps exactly the msgid's placeholders and HTML tags."""
    wrong: list[tuple[str, str]] = []
    for entry in _messages(lang):
        expected = Counter(PLACEHOLDER.findall(entry["msgid"]))
        for form in _forms(entry):
            if Counter(PLACEHOLDER.findall(form)) != expected:
                wrong.append((entry["msgid"], form))
            if entry["msgid"].endswith("\n") != form.endswith("\n"):
                wrong.append((entry["msgid"], form))
    assert wrong == []


@pytest.mark.parametrize("lang", TRANSLATED)
def test_compiled_catalogue_matches_the_po_file(lang: str) -> None:
    """The committed django.mo holds the same translations as django.po (compilemessages was run)."""
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for entry in _messages(lang):
        context = entry.get("msgctxt")
        if "msgid_plural" in entry:
            plural = (entry["msgid"], entry["msgid_plural"], 1)
            found = compiled.npgettext(context, *plural) if context else compiled.ngettext(*plural)
            assert found == entry["msgstr[0]"], entry["msgid"]
        elif context:
            assert compiled.pgettext(context, entry["msgid"]) == entry["msgstr"], entry["msgid"]
        else:
            assert compiled.gettext(entry["msgid"]) == entry["msgstr"], entry["msgid"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "heading", "login"),
    [
        ("ky", "Катталган элементтер", "Кирүү"),
        ("ru", "Зарегистрированные элементы", "Вход"),
        ("en", "Registered elements", "Sign in"),
    ],
)
def test_pages_render_in_the_chosen_language(
    client: Client, lang: str, heading: str, login: str
) -> None:
    """/elements/ and the sign-in page are shown in the language of the language cookie."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    elements = client.get("/elements/")
    assert elements.status_code == 200
    assert f'<html lang="{lang}">' in elements.text
    assert heading in elements.text
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert f"<title>{login}" in page.text
