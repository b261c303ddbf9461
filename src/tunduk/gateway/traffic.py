"""``tunduk gateway traffic``: what went through the gateway lately, and what failed.

Read from the gateway's own journal, read-only (the gateway may be running), over its last
``last`` entries: for each direction (this organisation calling others, others calling
it) and each client → service pair, the requests, the answers by HTTP status and the
failures by X-Road code, and how long the exchanges took (median, 95th percentile and
slowest: on the client side from the client's request to the provider's verified
response, on the provider side from the signed request to the signed answer, which holds
the backend's time); and the most recent failures one by one with their time and
``X-Road-Id``, so an administrator can answer "why did my call fail" or "which service is
slow" without a log search. ``--json`` prints the same for monitoring tools. The journal
is never written.
"""

from __future__ import annotations

import collections
import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TextIO

import orjson

from tunduk.journal import JournalError

from ._status_journal import JournalMissing, read_only_journal, reading_failure
from ._words import Translate, translations
from .config import GatewayConfig
from .leaf import MessageLeaf, decode_leaf

__all__ = ["DEFAULT_LAST", "MAX_LAST", "Traffic", "format_traffic", "print_traffic", "read_traffic"]

DEFAULT_LAST = 10_000
"""Journal entries read when ``--last`` is not given."""
MAX_LAST = 1_000_000
"""At most this many entries are read (about a minute on a small machine)."""
MAX_ROWS = 100
"""Client → service pairs listed per direction (the busiest)."""
MAX_PAIRS = 10_000
"""Distinct pairs counted one by one; any further are counted together as ``(other)``."""
MAX_UNANSWERED = 100_000
"""Requests remembered while their response is awaited in the window (a refusal has none)."""

_DIRECTIONS = ("client", "provider")


@dataclass
class Pair:
    """One client → service pair seen from one side."""

    requests: int = 0
    statuses: collections.Counter[int] = field(default_factory=collections.Counter)
    failures: collections.Counter[str] = field(default_factory=collections.Counter)
    durations_ms: list[float] = field(default_factory=list)
    """From each request's receipt to its response's, on this gateway's clock."""

    def duration_figures(self) -> dict[str, float | int] | None:
        """Median, 95th percentile (nearest rank) and slowest, in ms; None without any."""
        if not self.durations_ms:
            return None
        ordered = sorted(self.durations_ms)
        count = len(ordered)
        return {
            "count": count,
            "p50": round(ordered[math.ceil(0.5 * count) - 1], 3),
            "p95": round(ordered[math.ceil(0.95 * count) - 1], 3),
            "max": round(ordered[-1], 3),
        }


@dataclass
class Traffic:
    """What :func:`read_traffic` found (see the module docstring)."""

    gateway: str
    first: int = 0
    size: int = 0
    since: str | None = None
    until: str | None = None
    other_entries: int = 0
    """Entries that are not message leaves: none in a journal only the gateway wrote."""
    pairs: dict[tuple[str, str, str], Pair] = field(default_factory=dict)
    recent_failures: collections.deque[MessageLeaf] = field(
        default_factory=lambda: collections.deque(maxlen=20)
    )
    _requested: dict[tuple[str, str, str], datetime] = field(
        default_factory=dict, init=False, repr=False
    )
    """When each request of the window was received, until its response is seen."""

    def add(self, leaf: MessageLeaf) -> None:
        """Count one message leaf."""
        key = (leaf.side, leaf.client, leaf.service)
        if key not in self.pairs and len(self.pairs) >= MAX_PAIRS:
            key = (leaf.side, "(other)", "(other)")
        pair = self.pairs.setdefault(key, Pair())
        exchange = (leaf.side, leaf.message_id, leaf.request_id)
        if leaf.kind == "request":
            pair.requests += 1
            if leaf.error is None and len(self._requested) < MAX_UNANSWERED:
                self._requested[exchange] = _moment(leaf.received_at)
        elif leaf.status is not None:
            pair.statuses[leaf.status] += 1
            requested = self._requested.pop(exchange, None)
            if requested is not None:
                elapsed = _moment(leaf.received_at) - requested
                if elapsed.total_seconds() >= 0:  # else the clock was set back meanwhile
                    pair.durations_ms.append(elapsed.total_seconds() * 1000)
        if leaf.error is not None:
            pair.failures[leaf.error] += 1
            self.recent_failures.append(leaf)
        self.since = self.since or leaf.received_at
        self.until = leaf.received_at

    def as_json(self) -> dict[str, Any]:
        """The figures as a JSON-ready dictionary."""
        return {
            "gateway": self.gateway,
            "entries": {"first": self.first, "last": self.size - 1, "size": self.size},
            "since": self.since,
            "until": self.until,
            "other_entries": self.other_entries,
            "pairs": [
                {
                    "side": side,
                    "client": client,
                    "service": service,
                    "requests": pair.requests,
                    "statuses": {str(k): v for k, v in sorted(pair.statuses.items())},
                    "failures": dict(sorted(pair.failures.items())),
                    "duration_ms": pair.duration_figures(),
                }
                for (side, client, service), pair in sorted(
                    self.pairs.items(), key=lambda item: (-item[1].requests, item[0])
                )
            ],
            "recent_failures": [_failure(leaf) for leaf in reversed(self.recent_failures)],
        }


def _moment(received_at: str) -> datetime:
    """A leaf's ``received_at`` (RFC 3339 UTC with microseconds, checked by the leaf)."""
    return datetime.fromisoformat(received_at)


def _failure(leaf: MessageLeaf) -> dict[str, Any]:
    return {
        "at": leaf.received_at,
        "side": leaf.side,
        "message_id": leaf.message_id,
        "client": leaf.client,
        "service": leaf.service,
        "method": leaf.method,
        "path": leaf.path,
        "error": leaf.error,
    }


def read_traffic(config: GatewayConfig, *, last: int = DEFAULT_LAST, failures: int = 20) -> Traffic:
    """The traffic of the last ``last`` journal entries (1 to :data:`MAX_LAST`).

    Raises ``ValueError`` for bounds out of range or a journal that cannot be read.
    """
    if not 0 < last <= MAX_LAST:
        raise ValueError(f"--last must be between 1 and {MAX_LAST}")
    if not 0 <= failures <= 1000:
        raise ValueError("--failures must be between 0 and 1000")
    traffic = Traffic(str(config.server), recent_failures=collections.deque(maxlen=failures))
    try:
        with read_only_journal(config.journal_url) as journal:
            traffic.size = journal.storage.size()
            traffic.first = max(0, traffic.size - last)
            for row in journal.storage.iter_leaves(traffic.first, batch=5000):
                if row.index >= traffic.size:
                    break  # appended while reading: the window stays the one announced
                try:
                    traffic.add(decode_leaf(row.entry))
                except JournalError:
                    traffic.other_entries += 1
    except JournalMissing as missing:
        raise ValueError(str(missing)) from None
    except Exception as error:
        words = reading_failure(error)
        if words is None:
            raise
        raise ValueError(words) from None
    return traffic


def _direction_title(pgettext: Translate, side: str) -> str:
    if side == "client":
        return pgettext("gateway traffic", "as client (this organisation calling others)")
    return pgettext("gateway traffic", "as provider (others calling this organisation)")


def format_traffic(traffic: Traffic, language: str = "en") -> str:
    """The traffic as lines for a terminal, in ``language`` (ky, ru, en)."""
    pgettext = translations(language).pgettext
    if traffic.size == 0:
        return (
            pgettext("gateway traffic", "traffic of %(gateway)s: the journal is empty")
            % {"gateway": traffic.gateway}
            + "\n"
        )
    lines = [
        pgettext(
            "gateway traffic",
            "traffic of %(gateway)s: journal entries %(first)s–%(last)s of %(size)s,"
            " %(since)s to %(until)s",
        )
        % {
            "gateway": traffic.gateway,
            "first": traffic.first,
            "last": traffic.size - 1,
            "size": traffic.size,
            "since": traffic.since or "?",
            "until": traffic.until or "?",
        }
    ]
    if traffic.other_entries:
        lines.append(
            pgettext(
                "gateway traffic",
                "%(count)s entries are not message leaves: the journal was written to by"
                " something other than this gateway; run tunduk journal verify --gateway-config",
            )
            % {"count": traffic.other_entries}
        )
    document = traffic.as_json()
    for side in _DIRECTIONS:
        lines.extend(
            _pairs(pgettext, side, [row for row in document["pairs"] if row["side"] == side])
        )
    recent = document["recent_failures"]
    lines.append(
        pgettext("gateway traffic", "recent failures, newest first: %(count)s")
        % {"count": len(recent) or pgettext("gateway traffic", "none")}
    )
    for item in recent:
        lines.append(
            f"  {item['at']} {item['side']} {item['error']}: {item['client']} → {item['service']}"
            f" {item['method']} {item['path'] or '/'} (X-Road-Id {item['message_id']})"
        )
    return "\n".join(lines) + "\n"


def _pairs(pgettext: Translate, side: str, rows: list[dict[str, Any]]) -> list[str]:
    """One direction: its totals, then a line per client → service pair (the busiest)."""
    lines = [
        pgettext("gateway traffic", "%(title)s: %(requests)s request(s), %(failed)s failure(s)")
        % {
            "title": _direction_title(pgettext, side),
            "requests": sum(row["requests"] for row in rows),
            "failed": sum(sum(row["failures"].values()) for row in rows),
        }
    ]
    for row in rows[:MAX_ROWS]:
        statuses = " ".join(f"{k}×{v}" for k, v in row["statuses"].items())
        failures = " ".join(f"{k}×{v}" for k, v in row["failures"].items())
        text = pgettext("gateway traffic", "%(client)s → %(service)s: %(requests)s request(s)") % {
            "client": row["client"],
            "service": row["service"],
            "requests": row["requests"],
        }
        text += "; " + (statuses or pgettext("gateway traffic", "no answer"))
        if failures:
            text += f"; {failures}"
        durations = row["duration_ms"]
        if durations is not None:
            text += "; " + pgettext(
                "gateway traffic",
                "time: median %(p50)s ms, 95%% within %(p95)s ms, slowest %(max)s ms",
            ) % {key: f"{durations[key]:.1f}" for key in ("p50", "p95", "max")}
        lines.append("  " + text)
    if len(rows) > MAX_ROWS:
        lines.append(
            "  "
            + pgettext("gateway traffic", "… and %(count)s more pairs (--json lists all)")
            % {"count": len(rows) - MAX_ROWS}
        )
    return lines


def print_traffic(
    config: GatewayConfig,
    out: TextIO,
    *,
    last: int,
    failures: int,
    as_json: bool,
    language: str = "en",
) -> int:
    """``tunduk gateway traffic``: print :func:`format_traffic` in ``language`` (or JSON);
    exit 0."""
    traffic = read_traffic(config, last=last, failures=failures)
    if as_json:
        out.write(orjson.dumps(traffic.as_json(), option=orjson.OPT_INDENT_2).decode() + "\n")
    else:
        out.write(format_traffic(traffic, language))
    return 0
