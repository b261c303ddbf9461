"""``tunduk gateway traffic``: the administrator watches traffic and errors (issue 9, who uses
it; 004, each organisation's history of its exchanges) from the gateway's own journal,
read-only, while the gateway runs."""

from __future__ import annotations

import io
import json
import re
import uuid

import pytest

pytest.importorskip("tunduk.gateway.runtime", exc_type=ImportError)

from tunduk.gateway.cli import main
from tunduk.gateway.traffic import MAX_LAST

from ._clients import Reply, http_call
from .conftest import PROVIDER_SUBSYSTEM, Exchange


def _call(exchange: Exchange, path: str) -> Reply:
    headers = {"X-Road-Client": exchange.client_id, "X-Road-Id": str(uuid.uuid4())}
    return http_call(exchange.client_gw.client_url, "GET", path, headers)


def _traffic(config_path: str, *extra: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(["traffic", "--config", config_path, *extra], out=out)
    return status, out.getvalue()


@pytest.fixture
def calls(exchange: Exchange) -> dict[str, Reply]:
    """Three good calls (one answered 404 by the service) and one without a grant."""
    replies = {
        "good": _call(exchange, exchange.service_path + "/persons/1"),
        "again": _call(exchange, exchange.service_path + "/persons/2"),
        "missing": _call(exchange, exchange.service_path + "/status/404"),
        "denied": _call(exchange, f"/r1/{exchange.provider.service(PROVIDER_SUBSYSTEM, 'secret')}"),
    }
    assert [reply.status for reply in replies.values()] == [200, 200, 404, 500]
    return replies


def test_the_client_side_counts_answers_and_lists_the_failure(
    exchange: Exchange, calls: dict[str, Reply]
) -> None:
    """Per client → service pair: requests, answers by status, failures by code; the failure
    itself with its time and X-Road-Id, so the caller's question is answered at once."""
    status, text = _traffic(str(exchange.client_gw.config.path))
    assert status == 0
    assert f"traffic of {exchange.client.server}: journal entries 0–6 of 7" in text
    assert "as client (this organisation calling others): 4 request(s), 1 failure(s)" in text
    assert f"  {exchange.client_id} → {exchange.service_id}: 3 request(s); 200×2 404×1" in text
    secret = exchange.provider.service(PROVIDER_SUBSYSTEM, "secret")
    assert (
        f"  {exchange.client_id} → {secret}: 1 request(s); no answer;"
        " Server.ServerProxy.AccessDenied×1" in text
    )
    assert "as provider (others calling this organisation): 0 request(s), 0 failure(s)" in text
    denied_id = calls["denied"].header("X-Road-Id")
    assert (
        f"Server.ServerProxy.AccessDenied: {exchange.client_id} → {secret}"
        f" GET /r1/{secret} (X-Road-Id {denied_id})" in text
    )


def test_the_provider_side_sees_the_same_calls_from_its_side(
    exchange: Exchange, calls: dict[str, Reply]
) -> None:
    """The provider's gateway counts the same exchanges as calls it served, as JSON."""
    status, text = _traffic(str(exchange.provider_gw.config.path), "--json")
    assert status == 0
    document = json.loads(text)
    assert document["gateway"] == str(exchange.provider.server)
    pairs = {(row["side"], row["service"]): row for row in document["pairs"]}
    served = pairs["provider", exchange.service_id]
    assert served["requests"] == 3 and served["statuses"] == {"200": 2, "404": 1}
    refused = pairs["provider", exchange.provider.service(PROVIDER_SUBSYSTEM, "secret")]
    assert refused["failures"] == {"Server.ServerProxy.AccessDenied": 1}
    assert [item["message_id"] for item in document["recent_failures"]] == [
        calls["denied"].header("X-Road-Id")
    ]


def test_last_reads_only_the_newest_entries(exchange: Exchange, calls: dict[str, Reply]) -> None:
    """``--last 1``: only the newest entry (the refused request) is counted."""
    status, text = _traffic(str(exchange.client_gw.config.path), "--last", "1", "--json")
    assert status == 0
    document = json.loads(text)
    assert document["entries"] == {"first": 6, "last": 6, "size": 7}
    assert [row["requests"] for row in document["pairs"]] == [1]


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (("--last", "0"), f"--last must be between 1 and {MAX_LAST}"),
        (("--last", str(MAX_LAST + 1)), f"--last must be between 1 and {MAX_LAST}"),
        (("--failures", "-1"), "--failures must be between 0 and 1000"),
    ],
)
def test_bounds_are_checked(
    exchange: Exchange, extra: tuple[str, ...], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Out-of-range options are refused with the rule, nothing is read."""
    status, _ = _traffic(str(exchange.client_gw.config.path), *extra)
    assert status == 1
    assert words in capsys.readouterr().err


def test_a_gateway_that_never_ran(world, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    """No journal yet: said so, exit 1, and no journal file is created by looking."""
    participant = world.add("GOV", "70000009", "Agency", ["app"])
    config = world.write_config(participant)
    status, _ = _traffic(str(config))
    assert status == 1
    assert "does not exist yet" in capsys.readouterr().err
    assert not (participant.directory / "journal.sqlite3").exists()


def test_a_rewritten_row_is_flagged_not_shown(exchange: Exchange, calls: dict[str, Reply]) -> None:
    """Someone with the database rewrote a leaf, with terminal escapes in it: the command
    neither crashes nor prints the bytes; it counts the entry and points to journal verify
    (issue 9 §4: the journal is evidence; a reader must not trust a row it cannot decode)."""
    url = exchange.client.journal_url
    if not url.startswith("sqlite://"):
        pytest.skip(
            "the row is rewritten with sqlite3 (the PostgreSQL journal: make test-postgres)"
        )
    import sqlite3

    from tunduk.journal import drop_append_only_sql

    with sqlite3.connect(url[len("sqlite://") :]) as conn:
        for statement in drop_append_only_sql("sqlite"):
            conn.execute(statement)
        conn.execute("UPDATE journal_leaf SET entry = ? WHERE idx = 0", (b"\x1b[2J forged",))
    status, text = _traffic(str(exchange.client_gw.config.path))
    assert status == 0
    assert "1 entries are not message leaves" in text and "journal verify" in text
    assert "\x1b" not in text
    assert "as client (this organisation calling others): 3 request(s), 1 failure(s)" in text


def test_a_slow_service_shows_in_the_times_of_both_sides(exchange: Exchange) -> None:
    """Issue 9, who uses it (the administrator watches traffic and errors): they see which
    service is slow: the provider side times its backend,
    the client side the whole exchange, which is never shorter; a refusal has no time."""
    for seconds in ("0", "0", "0.4"):
        assert _call(exchange, exchange.service_path + f"/slow?seconds={seconds}").status == 200
    denied = f"/r1/{exchange.provider.service(PROVIDER_SUBSYSTEM, 'secret')}"
    assert _call(exchange, denied).status == 500
    figures = {}
    for side, gateway in (("client", exchange.client_gw), ("provider", exchange.provider_gw)):
        status, text = _traffic(str(gateway.config.path), "--json")
        assert status == 0
        rows = {row["service"]: row for row in json.loads(text)["pairs"] if row["side"] == side}
        figures[side] = rows[exchange.service_id]["duration_ms"]
        assert rows[denied.removeprefix("/r1/")]["duration_ms"] is None
    for side in ("client", "provider"):
        assert figures[side]["count"] == 3
        assert figures[side]["p50"] < 400 <= figures[side]["max"]
        assert figures[side]["p95"] == figures[side]["max"]  # 3 samples: the 95th is the last
    assert figures["client"]["max"] >= figures["provider"]["max"]
    status, text = _traffic(str(exchange.provider_gw.config.path), "--language", "ru")
    assert status == 0
    line = next(line for line in text.splitlines() if exchange.service_id in line)
    assert re.search(
        r"; время: медиана \d+\.\d мс, 95% не дольше \d+\.\d мс, самый долгий \d+\.\d мс$", line
    )


def test_a_response_stamped_before_its_request_has_no_time() -> None:
    """A clock set back between a request and its response (or a rewritten receive time)
    must not show as a negative duration in the pair's times; the answer still counts."""
    import dataclasses

    from tunduk.gateway.traffic import Traffic

    from ._journal_helpers import make_leaf, make_message

    stored = make_message()
    request = dataclasses.replace(make_leaf(stored), received_at="2026-11-30T10:00:05.000000Z")
    response = dataclasses.replace(
        make_leaf(stored, kind="response"),
        message_id=request.message_id,
        request_id=request.request_id,
        received_at="2026-11-30T10:00:01.000000Z",
    )
    traffic = Traffic("KG/GOV/70000004/ss1")
    traffic.add(request)
    traffic.add(response)
    (pair,) = traffic.pairs.values()
    assert pair.requests == 1 and pair.statuses[200] == 1
    assert pair.duration_figures() is None
