"""``tunduk gateway status`` as lines for a terminal, in Kyrgyz, Russian or English.

English is word for word what the command always printed; ``--language ky`` or ``ru``
takes the words from the project's catalogues (:mod:`._words`). Identifiers, addresses,
subjects, times and the errors of other components stay as they are.
"""

from __future__ import annotations

from typing import Any

from ._words import Translate, translations

__all__ = ["format_status"]

Status = dict[str, Any]


def _state(pgettext: Translate, state: str) -> str:
    """A state word of the status document in the reader's language."""
    states = {
        "valid": pgettext("gateway state", "valid"),
        "expired": pgettext("gateway state", "expired"),
        "missing": pgettext("gateway state", "missing"),
        "error": pgettext("gateway state", "error"),
        "not yet valid": pgettext("gateway state", "not yet valid"),
        "revoked": pgettext("gateway state", "revoked"),
        "untrusted": pgettext("gateway state", "untrusted"),
        "not installed": pgettext("gateway state", "not installed"),
    }
    return states.get(state, state)


def format_status(status: Status, language: str = "en") -> str:
    """The status as lines for a terminal, in ``language`` (ky, ru, en)."""
    pgettext = translations(language).pgettext
    lines = [
        pgettext("gateway status", "gateway %(gateway)s at %(at)s")
        % {"gateway": status.get("gateway", "?"), "at": status.get("at", "?")}
    ]
    conf = status.get("configuration", {})
    if "version" in conf:
        lines.append(
            pgettext(
                "gateway status",
                "configuration: %(state)s, %(instance)s version %(version)s, expires %(expires)s",
            )
            % {
                "state": _state(pgettext, conf["state"]),
                "instance": conf["instance"],
                "version": conf["version"],
                "expires": conf["expires_at"],
            }
        )
    else:
        lines.append(
            pgettext("gateway status", "configuration: %(state)s")
            % {"state": _state(pgettext, conf.get("state", "?"))}
        )
    if conf.get("error"):
        lines.append(f"  {conf['error']}")
    lines.extend(_certificates(pgettext, status.get("certificates", {})))
    lines.extend(_journal(pgettext, status.get("journal", {})))
    lines.append(_maintenance(pgettext, status.get("maintenance", {})))
    lines.extend(_peers(pgettext, status.get("peers", [])))
    return "\n".join(lines) + "\n"


def _peers(pgettext: Translate, peers: list[Status]) -> list[str]:
    checked = [peer for peer in peers if not peer.get("skipped")]
    reachable = sum(1 for peer in checked if peer.get("reachable"))
    lines = [
        pgettext("gateway status", "peers: %(reachable)s of %(checked)s reachable")
        % {"reachable": reachable, "checked": len(checked)}
    ]
    for peer in peers:
        where = {"gateway": peer["gateway"], "address": peer["address"]}
        if peer.get("skipped"):
            text = pgettext(
                "gateway status", "%(gateway)s at %(address)s: member suspended, not checked"
            )
        elif peer.get("reachable"):
            text = pgettext("gateway status", "%(gateway)s at %(address)s: ok (%(ms)s ms)")
            where["ms"] = peer["ms"]
        else:
            text = pgettext("gateway status", "%(gateway)s at %(address)s: %(error)s")
            where["error"] = peer.get("error")
        lines.append("  " + text % where)
    return lines


def _certificates(pgettext: Translate, section: Status) -> list[str]:
    if "error" in section:
        return [pgettext("gateway status", "certificates: %(error)s") % {"error": section["error"]}]
    lines = []
    for name in ("auth", "sign"):
        entry = section.get(name, {})
        values = {"state": _state(pgettext, entry.get("state", "?"))}
        if "not_after" in entry:
            values |= {
                "until": entry["not_after"],
                "days": entry["days_left"],
                "subject": entry["subject"],
                "sha256": entry["sha256"],
            }
            if name == "auth":
                text = pgettext(
                    "gateway status",
                    "authentication certificate: %(state)s, until %(until)s (%(days)s days),"
                    " %(subject)s, SHA-256 %(sha256)s",
                )
            else:
                text = pgettext(
                    "gateway status",
                    "signing certificate: %(state)s, until %(until)s (%(days)s days),"
                    " %(subject)s, SHA-256 %(sha256)s",
                )
        elif name == "auth":
            text = pgettext("gateway status", "authentication certificate: %(state)s")
        else:
            text = pgettext("gateway status", "signing certificate: %(state)s")
        lines.append(text % values)
        if entry.get("error"):
            lines.append(f"  {entry['error']}")
    return lines


def _maintenance(pgettext: Translate, section: Status) -> str:
    if not section.get("on"):
        return pgettext("gateway status", "maintenance: off")
    if section.get("state") == "error":
        return pgettext(
            "gateway status", "maintenance: on (the file cannot be read: %(error)s)"
        ) % {"error": section.get("error")}
    if section.get("message"):
        return pgettext(
            "gateway status", "maintenance: on since %(since)s: %(message)s (peers are refused)"
        ) % {"since": section.get("since"), "message": section["message"]}
    return pgettext("gateway status", "maintenance: on since %(since)s (peers are refused)") % {
        "since": section.get("since")
    }


def _journal(pgettext: Translate, section: Status) -> list[str]:
    if section.get("state") != "ok":
        state = _state(pgettext, section.get("state", "?"))
        if not section.get("error"):
            return [pgettext("gateway status", "journal: %(state)s") % {"state": state}]
        return [
            pgettext("gateway status", "journal: %(state)s: %(error)s")
            % {"state": state, "error": section["error"]}
        ]
    lines = [pgettext("gateway status", "journal: %(size)s entries") % {"size": section["size"]}]
    checkpoint = section.get("last_checkpoint")
    if checkpoint is None:
        lines.append(pgettext("gateway status", "last checkpoint: none yet"))
        return lines
    if checkpoint["timestamped"]:
        stamped = pgettext("gateway status", "time-stamped")
    else:
        stamped = pgettext("gateway status", "not time-stamped")
    lines.append(
        pgettext(
            "gateway status",
            "last checkpoint: size %(size)s at %(at)s, %(stamped)s, cosigned by %(count)s peer(s)",
        )
        % {
            "size": checkpoint["tree_size"],
            "at": checkpoint["at"],
            "stamped": stamped,
            "count": checkpoint["cosignatures"],
        }
    )
    return lines
