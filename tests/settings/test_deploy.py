"""Production start-up: Django's deployment check is clean, and missing keys stop the server.

Each test runs the real ``tunduk`` command in a child process with a production-like
environment (TUNDUK_DEBUG unset), the way an operator would.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

KEY_FILES = [
    Path("ca", "ca-key.pem"),
    Path("globalconf", "signer-key.pem"),
    Path("journal-signer.key"),
]


def _run(
    data_dir: Path, *args: str, tsa: bool = True, **variables: str
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m tunduk <args>`` (or ``python -c``) as production would, with umask 0."""
    roots = data_dir / "tsa-root.pem"
    roots.write_text("-----BEGIN CERTIFICATE-----\n")  # only its existence is checked at start
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "tunduk.settings.base",
        "TUNDUK_SECRET_KEY": secrets.token_urlsafe(50),
        "TUNDUK_DATA_DIR": str(data_dir),
        "TUNDUK_ALLOWED_HOSTS": "registry.tunduk.example.kg",
        "TUNDUK_SITE_URL": "https://registry.tunduk.example.kg",
    }
    env |= variables
    if tsa:
        env |= {"TUNDUK_TSA_URL": "https://tsa.example.kg/tsr", "TUNDUK_TSA_ROOTS": str(roots)}
    command = [sys.executable, *(args if args[0] == "-c" else ("-m", "tunduk", *args))]
    return subprocess.run(
        command, env=env, cwd=data_dir, capture_output=True, text=True, timeout=300, umask=0
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    """Issue 7 (3): `tunduk check --deploy` with production settings and keys prints no warning."""
    assert _run(tmp_path, "trust", "init").returncode == 0
    result = _run(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stderr + result.stdout


def test_start_up_without_keys_fails_naming_the_file(tmp_path):
    """Issue 7 (3): outside development, missing keys stop the server; none are made on the fly."""
    checked = _run(tmp_path, "check")
    served = _run(tmp_path, "-c", "import tunduk.wsgi")
    for result in (checked, served):
        assert result.returncode != 0
        assert str(tmp_path / "ca" / "ca-key.pem") in result.stderr
        assert str(tmp_path / "globalconf" / "signer-key.pem") in result.stderr
        assert "tunduk trust init" in result.stderr
    assert not [p for p in KEY_FILES if (tmp_path / p).exists()]


def test_start_up_without_a_time_stamping_authority_fails(tmp_path):
    """Issue 7 (2, 3): outside development, checkpoints must be time-stamped: no TSA, no start."""
    assert _run(tmp_path, "trust", "init").returncode == 0
    result = _run(tmp_path, "check", tsa=False)
    assert result.returncode != 0
    assert "journaling.E002" in result.stderr and "TUNDUK_TSA_URL" in result.stderr
    assert _run(tmp_path, "check").returncode == 0


def test_trust_init_creates_owner_only_keys_and_keeps_existing_ones(tmp_path):
    """Issue 7 (3): `trust init` writes keys 0600 (umask 0), never replaces one; the data dir is 0700."""
    assert _run(tmp_path, "trust", "init").returncode == 0
    first = {p: (tmp_path / p).read_bytes() for p in KEY_FILES}
    data_dir = tmp_path / "created-by-the-server"
    created = _run(tmp_path, "trust", "init", TUNDUK_DATA_DIR=str(data_dir))
    assert data_dir.stat().st_mode & 0o777 == 0o700, created.stderr
    for path in KEY_FILES:
        assert (tmp_path / path).stat().st_mode & 0o777 == 0o600
    again = _run(tmp_path, "trust", "init")
    assert again.returncode == 0, again.stderr
    assert {p: (tmp_path / p).read_bytes() for p in KEY_FILES} == first
