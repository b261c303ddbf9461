"""``tunduk journal verify --gateway-config FILE``: a gateway's journal audited from its files."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.gateway._journal_helpers import (
    CLIENT_SERVER,
    issue_signing,
    make_leaf,
    make_message,
    signed_configuration,
)
from tunduk.__main__ import settings_module
from tunduk.gateway.keys import journal_origin
from tunduk.gateway.leaf import bind_note_key
from tunduk.gateway.messagelog import MessageLog
from tunduk.journal import Signer, drop_append_only_sql, generate_signer
from tunduk.trust import CertificateAuthority
from tunduk.trust.ca import certificate_to_pem

ROOT = Path(__file__).resolve().parents[2]


def _write_gateway(tmp_path: Path, signer: Signer) -> Path:
    """A gateway's configuration file, public journal key, anchor and kept configuration."""
    ca = CertificateAuthority.create("Tunduk Test Root CA")
    signed, anchor = signed_configuration(ca)
    keys = tmp_path / "keys"
    keys.mkdir()
    (keys / "journal.vkey").write_text(signer.verifier().to_key() + "\n")
    identity = issue_signing(ca, CLIENT_SERVER.member)
    (keys / "sign.crt").write_bytes(certificate_to_pem(identity.certificate))
    binding = bind_note_key(identity.key, signer.verifier().to_key(), signer.name)
    (keys / "journal.binding").write_bytes(binding)
    (tmp_path / "anchor.json").write_bytes(anchor.to_bytes())
    kept = tmp_path / "data" / "configurations"
    kept.mkdir(parents=True)
    (kept / "1.json").write_bytes(signed.to_bytes())
    config = tmp_path / "gateway.toml"
    config.write_text(
        '[identity]\ninstance = "KG"\nmember_class = "GOV"\nmember_code = "70000004"\n'
        'server_code = "ss1"\n'
        '[central]\nurl = "http://127.0.0.1:9/"\nanchor = "anchor.json"\n'
        '[keys]\ndir = "keys"\n[data]\ndir = "data"\n'
        '[journal]\nurl = "sqlite:///journal.sqlite3"\n'
    )
    return config


def _fill(url: str, signer: Signer, count: int) -> None:
    async def fill() -> None:
        with MessageLog.open(url, journal_origin(CLIENT_SERVER)) as log:
            for _ in range(count):
                stored = make_message()
                await log.record([(make_leaf(stored), stored)])
            log.sign_checkpoint(signer)

    asyncio.run(fill())


def _verify(config: Path, *options: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/none"  # central's DB must not be used
    env["PYTHONPATH"] = str(ROOT / "src")
    command = [sys.executable, "-m", "tunduk", "journal", "verify", "--no-progress"]
    return subprocess.run(
        [*command, "--gateway-config", str(config), *options],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.fixture
def signer() -> Signer:
    return generate_signer(journal_origin(CLIENT_SERVER))


def test_verify_passes_without_central(tmp_path: Path, signer: Signer) -> None:
    """The command verifies a gateway journal with no central settings or database (issue 9 §4)."""
    config = _write_gateway(tmp_path, signer)
    _fill(f"sqlite://{tmp_path / 'journal.sqlite3'}", signer, 5)
    result = _verify(config)
    assert result.returncode == 0, result.stderr
    assert "5 entries, 1 checkpoints" in result.stdout
    assert "5 bodies match" in result.stdout


def test_verify_names_a_rewritten_body(tmp_path: Path, signer: Signer) -> None:
    """A body changed in the database fails the command, naming the message and the check."""
    config = _write_gateway(tmp_path, signer)
    path = tmp_path / "journal.sqlite3"
    _fill(f"sqlite://{path}", signer, 3)
    with sqlite3.connect(path) as conn:
        for statement in drop_append_only_sql("sqlite"):
            conn.execute(statement)
        conn.execute("UPDATE stored_messages SET body = ? WHERE idx = 2", (b"forged",))
    result = _verify(config)
    assert result.returncode != 0
    assert "message 2: the stored body does not match the leaf's commitment" in result.stderr


def test_the_auditor_reads_the_verdict_in_russian_and_kyrgyz(
    tmp_path: Path, signer: Signer
) -> None:
    """Issue 9 (an auditor verifies a gateway's journal) and the house rule on user-facing
    strings: the summary and the refusal in the auditor's language; the failed check's
    details stay as the journal's library words them, naming the message."""
    config = _write_gateway(tmp_path, signer)
    path = tmp_path / "journal.sqlite3"
    _fill(f"sqlite://{path}", signer, 3)
    passed = _verify(config, "--language", "ru")
    assert passed.returncode == 0, passed.stderr
    assert "журнал шлюза KG/GOV/70000004/ss1 проверен: записей: 3, контрольных точек: 1" in (
        passed.stdout
    )
    with sqlite3.connect(path) as conn:
        for statement in drop_append_only_sql("sqlite"):
            conn.execute(statement)
        conn.execute("UPDATE stored_messages SET body = ? WHERE idx = 1", (b"forged",))
    failed = _verify(config, "--language", "ky")
    assert failed.returncode == 1
    assert "журнал текшерүүдөн өткөн жок: " in failed.stderr
    assert "message 1: the stored body does not match the leaf's commitment" in failed.stderr
    english = _verify(config)
    assert "journal does not hold: " in english.stderr


def test_a_bad_configuration_is_refused_in_the_auditors_language(
    tmp_path: Path, signer: Signer
) -> None:
    """A configuration key that breaks its rule is named with the rule, in Russian."""
    config = _write_gateway(tmp_path, signer)
    text = config.read_text().replace("sqlite:///journal.sqlite3", "mysql://nowhere")
    config.write_text(text)
    result = _verify(config, "--language", "ru")
    assert result.returncode == 1
    assert (
        f"не удаётся прочитать {config}: journal.url: должен начинаться с sqlite:/// или "
        "postgresql://"
    ) in result.stderr


def test_verify_refuses_a_foreign_journal_key(tmp_path: Path, signer: Signer) -> None:
    """Checkpoints not signed by the gateway's published journal key fail verification."""
    config = _write_gateway(tmp_path, signer)
    _fill(f"sqlite://{tmp_path / 'journal.sqlite3'}", generate_signer(signer.name), 2)
    result = _verify(config)
    assert result.returncode != 0
    assert "checkpoint 2: signature" in result.stderr


@pytest.mark.parametrize(
    ("argv", "settings"),
    [
        (["tunduk", "journal", "verify", "--gateway-config", "g.toml"], "outside"),
        (["tunduk", "journal", "verify", "--gateway-config=g.toml"], "outside"),
        (["tunduk", "journal", "verify"], "base"),
        (["tunduk", "journal", "checkpoint", "--gateway-config", "g.toml"], "base"),
    ],
)
def test_gateway_verify_routes_to_outside_settings(argv: list[str], settings: str) -> None:
    """Only `journal verify --gateway-config` runs without central's settings (issue 9 §4)."""
    assert settings_module(argv) == f"tunduk.settings.{settings}"
