"""``tunduk gateway status`` and ``traffic`` in the administrator's language (``--language
ky|ru``); English stays word for word what the commands print by default.

Issue 9 §1 (``status``) and "who uses it" (the administrator watches traffic and errors);
the house rule that every user-facing string has Kyrgyz, Russian and English words."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest

pytest.importorskip("tunduk.gateway.runtime", exc_type=ImportError)

from tunduk.gateway.cli import main
from tunduk.gateway.status import format_status

from ._clients import http_call
from .conftest import Exchange

STATUS: dict[str, Any] = {
    "gateway": "KG/GOV/70000004/ss1",
    "at": "2026-11-30T12:00:00.000000Z",
    "configuration": {
        "state": "valid",
        "instance": "KG",
        "version": 18,
        "expires_at": "2026-11-30T12:10:00Z",
    },
    "certificates": {
        "auth": {
            "state": "valid",
            "subject": "CN=ss1",
            "sha256": "ab" * 32,
            "not_after": "2028-11-29T11:51:13Z",
            "days_left": 729,
        },
        "sign": {"state": "revoked", "error": "revoked on 2026-11-01"},
    },
    "journal": {
        "state": "ok",
        "size": 38,
        "last_checkpoint": {
            "tree_size": 38,
            "at": "2026-11-30T11:59:00Z",
            "timestamped": True,
            "cosignatures": 1,
        },
    },
    "maintenance": {"on": True, "since": "2026-11-30T11:00:00Z", "message": "disk swap"},
    "peers": [
        {
            "gateway": "KG/GOV/70000001/ss1",
            "address": "127.0.0.1:5501",
            "reachable": True,
            "ms": 7.5,
        },
        {"gateway": "KG/GOV/70000002/ss1", "address": "127.0.0.1:5502", "error": "timed out"},
        {"gateway": "KG/GOV/70000005/ss1", "address": "ss1.example:5500", "skipped": True},
    ],
}

WORDS = {
    "ky": ("шлюзу", "жарактуу", "кайтарылып алынган", "техникалык тейлөө", "шериктер"),
    "ru": ("шлюз", "действует", "отозван", "техническое обслуживание", "доступны 1 из 2"),
}


def test_english_status_is_unchanged() -> None:
    text = format_status(STATUS)
    assert text.splitlines()[:3] == [
        "gateway KG/GOV/70000004/ss1 at 2026-11-30T12:00:00.000000Z",
        "configuration: valid, KG version 18, expires 2026-11-30T12:10:00Z",
        "authentication certificate: valid, until 2028-11-29T11:51:13Z (729 days), CN=ss1,"
        f" SHA-256 {'ab' * 32}",
    ]
    assert "signing certificate: revoked\n  revoked on 2026-11-01" in text
    assert "maintenance: on since 2026-11-30T11:00:00Z: disk swap (peers are refused)" in text
    assert "peers: 1 of 2 reachable" in text


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_status_reads_in_kyrgyz_and_russian(language: str) -> None:
    """Every line translated, every fact kept, no English left but names and codes."""
    text = format_status(STATUS, language)

    for word in WORDS[language]:
        assert word in text
    for fact in ("KG/GOV/70000004/ss1", "2028-11-29T11:51:13Z", "disk swap", "timed out", "7.5"):
        assert fact in text
    assert "%(" not in text
    english = {"gateway", "configuration:", "certificate", "maintenance", "peers", "journal:"}
    assert not any(word in text for word in english)
    assert len(text.splitlines()) == len(format_status(STATUS).splitlines())


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_traffic_reads_in_kyrgyz_and_russian(exchange: Exchange, language: str) -> None:
    reply = http_call(
        exchange.client_gw.client_url,
        "GET",
        exchange.service_path + "/persons/1",
        {"X-Road-Client": exchange.client_id},
    )
    assert reply.status == 200
    out = io.StringIO()

    status = main(
        ["traffic", "--config", str(exchange.client_gw.config.path), "--language", language],
        out=out,
    )

    text = out.getvalue()
    assert status == 0
    assert f"{exchange.client_id} → {exchange.service_id}" in text and "200×1" in text
    assert "%(" not in text
    assert not re.search(r"\brequest\(s\)|\bas client\b|recent failures", text)


def test_status_command_takes_the_language(exchange: Exchange) -> None:
    out = io.StringIO()

    status = main(
        ["status", "--config", str(exchange.client_gw.config.path), "--language", "ru"], out=out
    )

    assert status == 0  # configuration, certificates and journal all valid
    assert out.getvalue().startswith(f"шлюз {exchange.client.server}, ")
    assert "конфигурация: действует" in out.getvalue()
