"""Every ``tunduk gateway`` action speaks the administrator's language (``--language ky|ru``).

Issue 9 §1 (the administrator installs the gateway, creates its keys, gets certificates,
archives the journal) and the house rules: bad input gets a translated error that names
the field and the rule, and every user-facing string has Kyrgyz, Russian and English words.
A configuration file, a key or certificate file and a maintenance message are the
administrator's input; English stays word for word what the commands printed before.
"""

from __future__ import annotations

import ast
import io
import re
from pathlib import Path

import pytest

pytest.importorskip("tunduk.gateway.runtime", exc_type=ImportError)

import tunduk.gateway
from tunduk.gateway._words import COMMAND_CONTEXT, Word, translations
from tunduk.gateway.cli import main
from tunduk.gateway.config import load_config
from tunduk.gateway.keys import KeyFileError
from tunduk.gateway.maintenance import maintenance_path

from ._pipeline_helpers import World

GATEWAY_SOURCE = Path(tunduk.gateway.__file__).parent
WORDED_ERRORS = {"ConfigError", "KeyFileError", "MaintenanceError", "ArchiveError"}
SUBJECTLESS_ERRORS = {"ExportError", "NoCheckpointError"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sr]")


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def _said_literal(call: ast.Call) -> ast.expr | None:
    """The argument of ``call`` that holds words the commands say, if it is one."""
    name = call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", "")
    if name in WORDED_ERRORS and len(call.args) >= 2:
        return call.args[1]
    if name in SUBJECTLESS_ERRORS and call.args:
        return call.args[0]
    if name == "say" and len(call.args) >= 2:
        return call.args[1]
    if name == "Word" and call.args:
        return call.args[0]
    if name == "_load_note_key" and len(call.args) >= 3:
        return call.args[2]
    return None


def _literals(argument: ast.expr | None) -> list[str]:
    """A literal, or the literals a condition chooses from (``"… request …" if … else …``)."""
    if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
        return [argument.value]
    if isinstance(argument, ast.IfExp):
        return _literals(argument.body) + _literals(argument.orelse)
    return []


def _module_strings(tree: ast.Module) -> dict[str, str]:
    return {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        for target in node.targets
        if isinstance(target, ast.Name) and isinstance(node.value.value, str)
    }


def said_by_the_commands() -> dict[str, str]:
    """Every literal rule and sentence of the gateway's commands, with the file it is in."""
    found: dict[str, str] = {}
    for path in sorted(GATEWAY_SOURCE.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = _module_strings(tree)
        for node in ast.walk(tree):
            argument = _said_literal(node) if isinstance(node, ast.Call) else None
            if isinstance(argument, ast.Name) and argument.id in constants:
                found.setdefault(constants[argument.id], path.name)
                continue
            for literal in _literals(argument):
                found.setdefault(literal, path.name)
    return found


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_every_rule_the_commands_can_say_is_translated(language: str) -> None:
    """Issue 9 §1 and the house rule on user-facing strings: each refusal and report line of
    ``tunduk gateway`` has ky and ru words, with the same placeholders as the English."""
    said = said_by_the_commands()
    assert len(said) >= 60, sorted(said)  # the search sees the raise sites at all
    catalogue = translations(language)
    missing = [
        f"{where}: {english!r}"
        for english, where in said.items()
        if catalogue.pgettext(COMMAND_CONTEXT, english) == english
    ]
    assert not missing, "\n".join(missing)
    for english in said:
        translated = catalogue.pgettext(COMMAND_CONTEXT, english)
        assert sorted(PLACEHOLDER.findall(translated)) == sorted(PLACEHOLDER.findall(english))


def test_a_bad_configuration_key_is_named_with_its_rule_in_russian(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 9 §1 (one documented configuration file), bad input rule: the file, the dotted
    key and the rule, in Russian; exit 2, as in English."""
    participant = world.add("GOV", "70000009", "Agency", ["app"])
    config = world.write_config(participant, journal_url="mysql://nowhere")
    assert _run("status", "--config", str(config), "--language", "ru")[0] == 2
    assert capsys.readouterr().err == (
        f"{config}: journal.url: должен начинаться с sqlite:/// или postgresql://\n"
    )
    assert _run("status", "--config", str(config))[0] == 2
    assert capsys.readouterr().err == (
        f"{config}: journal.url: must start with sqlite:/// or postgresql://\n"
    )


def test_a_forbidden_character_in_the_identity_is_shown_in_kyrgyz(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    """003 §3.1.1 identifiers: the forbidden character is quoted, the allowed ones listed."""
    participant = world.add("GOV", "70000009", "Agency", ["app"])
    config = world.write_config(participant)
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('"70000009"', '"7000 0009"', 1), encoding="utf-8")
    assert _run("init", "--config", str(config), "--language", "ky")[0] == 2
    err = capsys.readouterr().err
    assert "identity.member_code: тыюу салынган ' ' белгисин камтыйт; уруксат берилгендер:" in err
    assert not participant.keys_dir.exists() or not any(participant.keys_dir.iterdir())


def test_init_reports_its_files_and_next_steps_in_russian(world: World) -> None:
    """Issue 9 §1: init in Russian lists what it wrote and the three next steps."""
    participant = world.add("GOV", "70000009", "Agency", ["app"])
    config = world.write_config(participant)
    status, out = _run("init", "--config", str(config), "--language", "ru")
    assert status == 0
    assert f"записано: {participant.keys_dir / 'auth.key'}\n" in out
    assert "Дальнейшие шаги:" in out and "«Сертификаты»" in out
    assert f"tunduk gateway install-certificate --config {config} CERT.pem" in out
    assert "Next steps" not in out


def test_a_foreign_certificate_is_refused_in_kyrgyz_and_nothing_installed(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 9 §1 (install-certificate), attacker's side: a file that is no certificate is
    refused naming it; no .crt appears."""
    participant = world.add("GOV", "70000009", "Agency", ["app"])
    config = world.write_config(participant)
    assert _run("init", "--config", str(config))[0] == 0
    forged = tmp_path / "forged.pem"
    forged.write_bytes(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    argv = ("install-certificate", "--config", str(config), str(forged), "--language", "ky")
    assert _run(*argv)[0] == 1
    err = capsys.readouterr().err
    assert err.startswith("tunduk gateway install-certificate: ")
    assert "PEM же DER түрүндөгү X.509 сертификаты эмес" in err
    assert not (participant.keys_dir / "auth.crt").exists()
    assert not (participant.keys_dir / "sign.crt").exists()


def test_maintenance_in_russian_and_a_message_with_a_line_break_refused(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 9 (X-Road's Server.ServerProxy.MaintenanceMode quotes the administrator's
    message): on and off told in Russian; a message with a line break is refused naming
    --message, and the gateway is not put in maintenance."""
    participant = world.add("GOV", "70000009", "Agency", ["app"])
    config = world.write_config(participant)
    on = ("maintenance", "on", "--config", str(config), "--language", "ru")
    assert _run(*on, "--message", "line\nbreak")[0] == 1
    assert capsys.readouterr().err == (
        "tunduk gateway maintenance: --message: содержит управляющий символ или перевод строки\n"
    )
    assert not maintenance_path(load_config(config)).exists()
    status, out = _run(*on, "--message", "замена диска")
    assert status == 0
    assert re.fullmatch(
        r"\S+ в режиме обслуживания с \S+Z: замена диска; работающий шлюз начнёт отклонять"
        r" сообщения других шлюзов в течение 1 с\n",
        out,
    )
    off = ("maintenance", "off", "--config", str(config), "--language", "ru")
    assert _run(*off)[1].endswith(": обслуживание завершено\n")
    assert _run(*off)[1].endswith(": режим обслуживания не был включён\n")


def test_maintenance_in_english_reads_as_before(world: World) -> None:
    """Issue 9 §1: English is the default and reads word for word as before."""
    participant = world.add("GOV", "70000009", "Agency", ["app"])
    config = world.write_config(participant)
    status, out = _run("maintenance", "on", "--config", str(config))
    assert status == 0
    assert re.fullmatch(
        r"\S+ is in maintenance since \S+Z; a running gateway refuses messages from peers"
        r" within 1 s\n",
        out,
    )


def test_archive_without_a_journal_is_refused_in_kyrgyz(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 9 "who uses it" (archives the journal): no journal yet is said, nothing written."""
    participant = world.add("GOV", "70000009", "Agency", ["app"])
    config = world.write_config(participant)
    target = tmp_path / "archive.sqlite3"
    argv = ("archive", "--config", str(config), "-o", str(target), "--language", "ky")
    assert _run(*argv)[0] == 1
    assert "бул жерде журнал жок (шлюз али бир да жолу иштеген эмес)" in capsys.readouterr().err
    assert not target.exists()


def test_words_in_fields_are_told_in_the_same_language() -> None:
    """Issue 9 §1 (certificates in the profiles of docs/trust.md): a profile name inside a
    rule is translated with it; a path stays as it is."""
    error = KeyFileError(
        Path("keys/sign.crt"),
        "the certificate has the %(found)s profile, not the %(profile)s profile",
        found=Word("authentication certificate"),
        profile=Word("signing certificate"),
    )
    assert str(error) == (
        "keys/sign.crt: the certificate has the authentication certificate profile,"
        " not the signing certificate profile"
    )
    assert error.told("ru") == (
        "keys/sign.crt: у сертификата профиль «сертификат аутентификации»,"
        " а нужен профиль «сертификат подписи»"
    )
