"""``tunduk journal verify --language ky|ru|en``: the verdict in the reader's language.

The house rule on user-facing strings: every sentence the command says has Kyrgyz, Russian
and English words. The details of a failed check stay as the journal's library words them.
"""

from __future__ import annotations

import ast
import io
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

import tunduk.journaling
from tunduk.gateway._words import translations
from tunduk.journaling.checkpoints import publish_checkpoint
from tunduk.journaling.words import JOURNAL_CONTEXT

SOURCE = Path(tunduk.journaling.__file__).parent
PLACEHOLDER = re.compile(r"%\(\w+\)[sr]")


def said_by_the_command() -> set[str]:
    """Every literal the journal's commands pass to ``say``, read from the source."""
    found: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "say"
                and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)
            ):
                found.add(node.args[1].value)
    return found


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_every_sentence_of_journal_verify_is_translated(language: str) -> None:
    said = said_by_the_command()
    assert len(said) >= 10, sorted(said)  # the search sees the call sites at all
    catalogue = translations(language)
    missing = [s for s in said if catalogue.pgettext(JOURNAL_CONTEXT, s) == s]
    assert not missing, missing
    for english in said:
        translated = catalogue.pgettext(JOURNAL_CONTEXT, english)
        assert sorted(PLACEHOLDER.findall(translated)) == sorted(PLACEHOLDER.findall(english))


@pytest.mark.django_db
def test_the_registrys_journal_verified_in_russian() -> None:
    publish_checkpoint()
    out = io.StringIO()
    call_command("journal", "verify", "--no-progress", "--language", "ru", stdout=out)
    assert re.search(
        r"журнал проверен: записей: \d+, контрольных точек: \d+, строки совпадают", out.getvalue()
    )
    english = io.StringIO()
    call_command("journal", "verify", "--no-progress", stdout=english)
    assert "rows match" in english.getvalue()


@pytest.mark.django_db
def test_a_negative_age_is_refused_in_kyrgyz() -> None:
    """Bad input: the option and its rule, in the reader's language."""
    with pytest.raises(CommandError) as refused:
        call_command(
            "journal", "verify", "--no-progress", "--max-checkpoint-age", "-1", "--language", "ky"
        )
    assert str(refused.value) == "--max-checkpoint-age терс сан боло албайт"


@pytest.mark.django_db
def test_an_unreadable_trusted_checkpoint_is_named_in_russian(tmp_path: Path) -> None:
    missing = tmp_path / "kept.txt"
    with pytest.raises(CommandError) as refused:
        call_command(
            "journal",
            "verify",
            "--no-progress",
            "--trusted-checkpoint",
            str(missing),
            "--language",
            "ru",
        )
    assert str(refused.value).startswith(
        f"не удаётся прочитать доверенную контрольную точку {missing}: "
    )
