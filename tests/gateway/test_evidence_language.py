"""The verifier's report in the reader's language: Kyrgyz, Russian or English (issue 9 §5).

A court or an auditor in Kyrgyzstan reads the report of ``tunduk evidence verify`` in
Kyrgyz or Russian with ``--language``; English stays the default, word for word.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from tunduk.gateway._evidence_words import LANGUAGES, words
from tunduk.gateway.evidence import Check, cli

from ._evidence_helpers import Case, World, make_case, make_world

LABELS = {
    "ky": ("Ким сураган:", "Кимден:", "Кол койгон:", "Журналда:", "Убакыт белгиси:"),
    "ru": ("Кто запросил:", "У кого:", "Подписал:", "Журнал:", "Метка времени:"),
}


@pytest.fixture(scope="module")
def world() -> World:
    return make_world()


@pytest.fixture
def files(world: World, tmp_path: Path) -> tuple[Case, Path, Path]:
    case = make_case(world)
    evidence = tmp_path / "message.asice"
    evidence.write_bytes(case.container())
    anchor = tmp_path / "anchor.json"
    anchor.write_bytes(world.anchor.to_bytes())
    return case, evidence, anchor


def _verify(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = cli(["verify", *argv], out=out, err=err)
    return status, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_the_report_reads_in_kyrgyz_and_russian(files, language: str):
    """Every line is in the chosen language, every placeholder filled, the facts unchanged."""
    case, evidence, anchor = files

    status, text, err = _verify(str(evidence), "--anchor", str(anchor), "--language", language)

    assert status == 0, err
    for label in LABELS[language]:
        assert label in text
    assert case.gathered.message_id in text
    assert "KG/GOV/70000004/pension-accounts (Social fund" in text
    assert "%(" not in text and "Who asked" not in text and "Checks passed" not in text
    passed = text.strip().splitlines()[-1]
    assert [name.strip() for name in passed.split(":", 1)[1].split(",")] == [
        words(language).check(check) for check in Check
    ]


def test_labels_line_up_in_every_language(files):
    """The labelled lines share one column, however long the language's longest label is."""
    _, evidence, anchor = files
    for language in LANGUAGES:
        _, text, _ = _verify(str(evidence), "--anchor", str(anchor), "--language", language)
        labelled = text.splitlines()[1:-2]
        columns = {re.match(r"[^:]+:\s+", line).end() for line in labelled}  # type: ignore[union-attr]
        assert len(columns) == 1, (language, labelled)


def test_english_stays_the_default_word_for_word(files):
    """Without --language the report is the English one the auditor's guide quotes."""
    _, evidence, anchor = files

    default = _verify(str(evidence), "--anchor", str(anchor))
    english = _verify(str(evidence), "--anchor", str(anchor), "--language", "en")

    assert default == english
    assert "Who asked:  KG/GOV/70000004/pension-accounts" in default[1]
    assert [words("en").check(check) for check in Check] == [check.value for check in Check]


def test_a_changed_byte_is_named_in_russian(files):
    """Attacker's side: a cut container fails, and the Russian report names the check."""
    _, evidence, anchor = files
    evidence.write_bytes(evidence.read_bytes()[:-10])

    status, text, err = _verify(str(evidence), "--anchor", str(anchor), "--language", "ru")

    assert status == 1 and text == ""
    assert err.startswith("доказательство не подтверждено: проверка «контейнер» не пройдена:")


def test_an_unreadable_anchor_is_told_in_kyrgyz(files, tmp_path: Path):
    _, evidence, _ = files

    status, _, err = _verify(
        str(evidence), "--anchor", str(tmp_path / "missing.json"), "--language", "ky"
    )

    assert status == 2
    assert "конфигурация якорун окуу мүмкүн эмес" in err


def test_an_unknown_language_is_a_usage_error(files, capsys):
    _, evidence, anchor = files

    with pytest.raises(SystemExit) as exit_:
        cli(["verify", str(evidence), "--anchor", str(anchor), "--language", "de"])

    assert exit_.value.code == 2
    assert "invalid choice: 'de'" in capsys.readouterr().err


def test_words_refuse_a_language_without_a_catalogue():
    with pytest.raises(ValueError, match="no report language 'fr'"):
        words("fr")
