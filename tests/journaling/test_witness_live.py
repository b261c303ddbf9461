"""A witness and a monitor run against a real central on loopback: consistent checkpoints are
cosigned and published; rewritten history is refused by the witness and reported by the
monitor (issue 7 (2))."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from tests.factories import make_element, make_registered
from tunduk.journal import Verifier, open_checkpoint, open_note
from tunduk.journal.cosigning import COSIGNED_FILE, REFUSED_FILE
from tunduk.journaling.checkpoint_checks import TrustedCheckpoint
from tunduk.journaling.checkpoints import publish_checkpoint
from tunduk.journaling.keys import verifier
from tunduk.journaling.log import registry_log
from tunduk.journaling.verification import verify_registry

pytestmark = pytest.mark.django_db(transaction=True)

JOURNAL_TABLES = ("journal_leaf", "journal_node", "journal_checkpoint", "journal_head")


@dataclass
class Central:
    """Central on loopback, its journal key, and one witness directory configured there."""

    url: str
    log_vkey: str
    witness_dir: Path
    witness_vkey: str
    monitor_state: Path


def _run(*args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as error:
        raise CommandError(f"{error} | stderr: {err.getvalue()}") from error
    return out.getvalue()


@pytest.fixture
def central(live_server, settings, tmp_path, employee, operator) -> Central:
    """A registered element, a signed checkpoint, and a witness central trusts."""
    witness_dir = tmp_path / "witness"
    witness_vkey = _run("witness", "init", "--state", str(witness_dir), "--name", "w.example.kg")
    settings.TUNDUK_JOURNAL_WITNESSES = [witness_vkey.strip()]
    make_registered(employee, operator)
    assert publish_checkpoint() is not None
    url = f"{live_server.url}/journal"
    return Central(url, verifier().to_key(), witness_dir, witness_vkey.strip(), tmp_path / "seen")


def _serve(central: Central) -> str:
    return _run(
        "witness", "serve", "--once", "--state", str(central.witness_dir),
        "--log-url", central.url, "--log-vkey", central.log_vkey,
    )  # fmt: skip


def _monitor(central: Central, *extra: str) -> str:
    return _run("journal", "monitor", central.url, "--state", str(central.monitor_state), *extra)


def _published(live_server) -> str:
    with urllib.request.urlopen(f"{live_server.url}/journal/checkpoint/cosigned") as answer:
        return str(answer.read().decode())


def _published_or_none(live_server) -> str | None:
    try:
        return _published(live_server)
    except urllib.error.HTTPError as error:
        assert error.code == 404
        return None


def test_witness_init_writes_private_key_and_prints_vkey(central):
    """Issue 7 (2): `witness init` writes its key 0600 and prints a cosignature/v1 verifier key."""
    key_file = central.witness_dir / "witness.key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert central.witness_vkey.startswith("w.example.kg+")
    with pytest.raises(CommandError, match="already holds"):
        _run("witness", "init", "--state", str(central.witness_dir), "--name", "again")


def test_witness_cosigns_and_central_publishes(central, live_server, employee):
    """Issue 7 (2): the witness cosigns consistent checkpoints and central publishes them."""
    first = registry_log().size()
    assert f"size {first}" in _serve(central)
    published = _published(live_server)
    witness_key = open_note(published, [Verifier.from_key(central.witness_vkey)]).verified_by
    assert witness_key and open_checkpoint(published, [verifier()]).checkpoint.size == first
    assert (central.witness_dir / COSIGNED_FILE).read_text() == published
    assert "already cosigned" in _serve(central)
    make_element(employee, full_name="Grown later")
    publish_checkpoint()
    assert "cosigned and published" in _serve(central)
    grown = open_checkpoint(_published(live_server), [verifier()]).checkpoint
    assert grown.size == registry_log().size() > first


def test_monitor_pins_key_and_checks_growth(central, employee):
    """Issue 7 (2): the monitor pins the log key, keeps the checkpoint and proves growth."""
    first = _monitor(central)
    assert "pinned the log key" in first and "kept the first" in first
    assert central.monitor_state.read_text() == registry_log().storage.latest_checkpoint().note
    assert "unchanged" in _monitor(central)
    make_element(employee, full_name="Grown later")
    publish_checkpoint()
    assert "consistency proof checked" in _monitor(central)
    with pytest.raises(CommandError, match="differs from the one pinned"):
        _monitor(central, "--log-vkey", central.witness_vkey)


def test_monitor_requires_witness_cosignature_when_asked(central):
    """Issue 7 (2): with --witness-key the monitor checks the cosigned checkpoint and its line."""
    _serve(central)
    out = _monitor(central, "--witness-key", central.witness_vkey)
    assert "cosigned by w.example.kg" in out
    stranger = _run(
        "witness", "init", "--state", str(central.monitor_state.parent / "x"), "--name", "x"
    )
    with pytest.raises(CommandError, match="no valid cosignature by witness x"):
        _monitor(central, "--witness-key", stranger.strip())


def test_witness_needs_no_database(central, tmp_path):
    """Issue 7 (2): `witness serve` runs with an unreachable database and still cosigns."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tunduk.settings.base",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/unreachable",
        "TUNDUK_DATA_DIR": str(tmp_path / "data"),
    }
    command = [sys.executable, "-m", "tunduk", "witness", "serve", "--once"]
    command += ["--state", str(central.witness_dir), "--log-url", central.url]
    command += ["--log-vkey", central.log_vkey]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "cosigned and published" in done.stdout


# --- rewriting history -------------------------------------------------------------


@pytest.fixture
def guards_lifted() -> Iterator[None]:
    """Remove any append-only triggers on the journal tables, as an operator with superuser
    rights could, and put them back afterwards so later tests keep them."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in JOURNAL_TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            saved: list[str] = []
        else:
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name LIKE 'journal_%'"
            )
            saved = [row[0] for row in cursor.fetchall()]
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name LIKE 'journal_%'"
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP TRIGGER "{name}"')
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in JOURNAL_TABLES:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        for statement in saved:
            cursor.execute(statement)


def _rewrite(keep: int, entries: list[bytes]) -> None:
    """Delete every checkpoint and every leaf from ``keep`` on, append ``entries`` instead,
    and sign a new checkpoint with central's own key."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM journal_checkpoint")
        cursor.execute("DELETE FROM journal_leaf WHERE idx >= %s", [keep])
        cursor.execute("SELECT level, idx FROM journal_node")
        stale = [(lv, ix) for lv, ix in cursor.fetchall() if (ix + 1) << lv > keep]
        for level, index in stale:
            cursor.execute("DELETE FROM journal_node WHERE level = %s AND idx = %s", [level, index])
        cursor.execute("UPDATE journal_head SET tree_size = %s WHERE id = 1", [keep])
    with transaction.atomic():
        if entries:
            registry_log().append_many(entries)
    assert publish_checkpoint() is not None


def _forged(count: int) -> list[bytes]:
    return [b'{"event":"forged","n":%d}' % n for n in range(count)]


REWRITES = {
    # Rewrite a covered entry, re-append the rest with new digests, and grow past the
    # cosigned size: the consistency proof from the cosigned size fails.
    "rewritten and grown": (lambda size: _rewrite(2, _forged(size)), "inconsistent"),
    # Same size, other entries: a second tree of the size the witness cosigned.
    "same size, other tree": (lambda size: _rewrite(2, _forged(size - 2)), "fork"),
    # Roll back: drop the later entries and sign a smaller tree.
    "rolled back": (lambda size: _rewrite(2, []), "backwards"),
}


@pytest.mark.parametrize("way", list(REWRITES))
def test_rewritten_history_is_refused_by_witness_and_reported_by_monitor(
    central, live_server, guards_lifted, way
):
    """Issue 7 (2): each way of rewriting cosigned history makes the witness refuse, the
    monitor report the fork and `journal verify` against the witness's cosigned checkpoint
    fail; central keeps publishing only the honest cosigned checkpoint."""
    _serve(central)
    _monitor(central)
    kept = TrustedCheckpoint("cosigned", (central.witness_dir / COSIGNED_FILE).read_text())
    witness = [Verifier.from_key(central.witness_vkey)]
    assert verify_registry(trusted=[kept], witnesses=witness).checkpoints.failures == []
    honest = _published(live_server)
    size = registry_log().size()
    rewrite, reason = REWRITES[way]
    rewrite(size)
    failures = verify_registry(trusted=[kept], witnesses=witness).checkpoints.failures
    assert [f for f in failures if f.startswith("trusted checkpoint cosigned:")], failures
    with pytest.raises(CommandError, match=reason):
        _serve(central)
    refused = (central.witness_dir / REFUSED_FILE).read_text()
    assert refused == registry_log().storage.latest_checkpoint().note
    assert _published_or_none(live_server) in (honest, None)
    with pytest.raises(CommandError, match="NOT CONSISTENT WITH WHAT YOU SAW"):
        _monitor(central)
    assert central.monitor_state.with_name("seen.fork").read_text() == refused
    with pytest.raises(CommandError, match=reason):
        _serve(central)  # the witness's state did not move: it keeps refusing


def test_monitor_accepts_an_older_prefix_but_keeps_the_newer(central, employee, guards_lifted):
    """Issue 7 (2): a log serving an older checkpoint that is a prefix of the kept one is not a
    fork; the monitor says so and keeps the newer checkpoint."""
    make_element(employee, full_name="Grown later")
    newest = publish_checkpoint()
    _monitor(central)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM journal_checkpoint WHERE tree_size = %s", [newest.tree_size])
    assert "is a prefix of the kept size" in _monitor(central)
    assert central.monitor_state.read_text() == newest.note


def test_witness_init_refuses_bad_name(tmp_path):
    """Issue 7 (2): a key name with spaces or '+' cannot be a C2SP key name."""
    with pytest.raises(CommandError, match="not valid"):
        _run("witness", "init", "--state", str(tmp_path / "w"), "--name", "bad name")


def _as_outsider(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``tunduk <args>`` as someone outside the operator would: no TUNDUK_* variable,
    no settings module chosen, none of central's keys, in an empty directory."""
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path)}
    command = [sys.executable, "-m", "tunduk", *args]
    return subprocess.run(
        command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )


def test_anyone_can_monitor_and_witness_with_the_public_urls_alone(central, tmp_path):
    """Issue 7 (2): `journal monitor` and `witness` run on an outsider's machine without
    central's secret key, keys, time-stamping authority or site URL."""
    outsider = tmp_path / "outsider"
    outsider.mkdir()
    state = str(outsider / "seen.checkpoint")
    monitored = _as_outsider(outsider, "journal", "monitor", central.url, "--state", state)
    assert monitored.returncode == 0, monitored.stderr
    assert "kept the first checkpoint" in monitored.stdout
    witness_dir = str(outsider / "witness")
    initialised = _as_outsider(
        outsider, "witness", "init", "--state", witness_dir, "--name", "o.kg"
    )
    assert initialised.returncode == 0, initialised.stderr
    assert initialised.stdout.startswith("o.kg+")
    assert not (outsider / "var").exists(), "an outsider's tool creates no server data directory"
