"""TUNDUK_JOURNAL_WITNESSES is read once and a wrong key stops start-up (issue 7 (2))."""

from __future__ import annotations

from pathlib import Path

import pytest

from tunduk.journal import generate_cosigner, generate_signer
from tunduk.settings.env import ConfigurationError, Environment


def test_witness_keys_are_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Issue 7 (2): comma-separated cosignature/v1 verifier keys become the witness list."""
    keys = [generate_cosigner(f"w{n}.example.kg").verifier().to_key() for n in range(2)]
    monkeypatch.setenv("TUNDUK_JOURNAL_WITNESSES", ", ".join(keys))
    assert Environment.read(tmp_path).journal_witnesses == keys


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("not-a-key", "is not a verifier key"),
        (generate_signer("log.example.kg").verifier().to_key(), "not a witness"),
    ],
)
def test_wrong_witness_key_stops_start_up(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, value: str, message: str
) -> None:
    """Issue 7 (2): a malformed key, or a log (0x01) key, in the witness list is refused."""
    monkeypatch.setenv("TUNDUK_JOURNAL_WITNESSES", value)
    with pytest.raises(ConfigurationError, match=message):
        Environment.read(tmp_path)
