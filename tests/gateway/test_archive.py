"""``tunduk gateway archive``: the administrator archives the journal (issue 9, who uses it;
003 §3.2.5, logs kept for the retention period; 004, records usable in court) into one
verified file that ``tunduk journal verify --journal`` checks again later."""

from __future__ import annotations

import io
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.gateway._journal_helpers import CLIENT_SERVER
from tests.gateway.test_journal_verify_command import ROOT, _fill, _write_gateway
from tunduk.gateway.cli import main
from tunduk.gateway.keys import journal_origin
from tunduk.journal import Signer, drop_append_only_sql, generate_signer


@pytest.fixture
def signer() -> Signer:
    return generate_signer(journal_origin(CLIENT_SERVER))


def _archive(config: Path, target: Path) -> tuple[int, str]:
    out = io.StringIO()
    return main(["archive", "--config", str(config), "-o", str(target)], out=out), out.getvalue()


def _verify_archive(config: Path, archive: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/none"  # central's DB must not be used
    env["PYTHONPATH"] = str(ROOT / "src")
    command = [sys.executable, "-m", "tunduk", "journal", "verify", "--no-progress"]
    return subprocess.run(
        [*command, "--gateway-config", str(config), "--journal", str(archive)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_archive_is_one_verified_owner_only_file(tmp_path: Path, signer: Signer) -> None:
    """The copy holds every entry, checkpoint and body, is verified at once, is readable by
    the owner only (bodies are personal data), has no write-ahead log beside it, and
    verifies again later on its own."""
    config = _write_gateway(tmp_path, signer)
    _fill(f"sqlite://{tmp_path / 'journal.sqlite3'}", signer, 5)
    archive = tmp_path / "archive" / "journal-2026.sqlite3"
    archive.parent.mkdir()
    status, text = _archive(config, archive)
    assert status == 0, text
    assert "verified it: 5 entries, 1 checkpoints" in text and "5 bodies" in text
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert sorted(p.name for p in archive.parent.iterdir()) == ["journal-2026.sqlite3"]
    with sqlite3.connect(archive) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert conn.execute("SELECT COUNT(*) FROM stored_messages").fetchone() == (5,)
    again = _verify_archive(config, archive)
    assert again.returncode == 0, again.stderr
    assert "5 entries, 1 checkpoints" in again.stdout


def test_a_rewritten_archive_fails_verification(tmp_path: Path, signer: Signer) -> None:
    """Someone edits a body in the archive years later: verifying it names the message and
    the check; the live journal is untouched and still verifies."""
    config = _write_gateway(tmp_path, signer)
    _fill(f"sqlite://{tmp_path / 'journal.sqlite3'}", signer, 3)
    archive = tmp_path / "journal-archive.sqlite3"
    assert _archive(config, archive)[0] == 0
    with sqlite3.connect(archive) as conn:
        for statement in drop_append_only_sql("sqlite"):
            conn.execute(statement)
        conn.execute("UPDATE stored_messages SET body = ? WHERE idx = 2", (b"forged",))
    result = _verify_archive(config, archive)
    assert result.returncode != 0
    assert "message 2: the stored body does not match the leaf's commitment" in result.stderr
    assert _verify_archive(config, tmp_path / "journal.sqlite3").returncode == 0


def test_an_existing_file_is_never_overwritten(
    tmp_path: Path, signer: Signer, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _write_gateway(tmp_path, signer)
    _fill(f"sqlite://{tmp_path / 'journal.sqlite3'}", signer, 1)
    target = tmp_path / "kept.sqlite3"
    target.write_bytes(b"last year's archive")
    assert _archive(config, target)[0] == 1
    assert "exists already" in capsys.readouterr().err
    assert target.read_bytes() == b"last year's archive"


def test_nothing_to_archive_and_postgresql_are_explained(
    tmp_path: Path, signer: Signer, capsys: pytest.CaptureFixture[str]
) -> None:
    """A gateway that never ran has no journal; a PostgreSQL journal goes to pg_dump."""
    config = _write_gateway(tmp_path, signer)
    assert _archive(config, tmp_path / "a.sqlite3")[0] == 1
    assert "there is no journal" in capsys.readouterr().err
    text = config.read_text().replace(
        'url = "sqlite:///journal.sqlite3"', 'url = "postgresql://postgres@127.0.0.1:5432/x"'
    )
    config.write_text(text)
    assert _archive(config, tmp_path / "b.sqlite3")[0] == 1
    assert "pg_dump" in capsys.readouterr().err
    assert not (tmp_path / "a.sqlite3").exists() and not (tmp_path / "b.sqlite3").exists()
