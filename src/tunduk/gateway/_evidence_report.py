"""What a verified evidence file establishes, and how it is told in plain words."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ._evidence_errors import Check
from ._evidence_words import words
from ._words import Translate

__all__ = ["EvidenceReport", "Party", "SignerInfo"]


@dataclass(frozen=True)
class Party:
    """A client subsystem or a service, with the names the configuration gives them."""

    identifier: str
    member_name: str
    subsystem_name: str

    def describe(self, language: str = "en") -> str:
        """``KG/GOV/70000004/pension-accounts (Social fund, subsystem Pension accounts)``."""
        pgettext = words(language).pgettext
        names = [
            self.member_name
            or pgettext("evidence report", "a member the configuration does not name")
        ]
        if self.subsystem_name:
            names.append(
                pgettext("evidence report", "subsystem %(name)s") % {"name": self.subsystem_name}
            )
        return f"{self.identifier} ({', '.join(names)})"


@dataclass(frozen=True)
class SignerInfo:
    """Who signed one direction: the member and its certificate."""

    member: str
    subject: str
    serial: str
    ca_name: str


@dataclass(frozen=True)
class EvidenceReport:
    """Everything ``tunduk evidence verify`` established, for printing or for a program."""

    message_id: str
    request_id: str
    client: Party
    service: Party
    method: str
    path: str
    query: str
    status: int | None
    exported_by: str
    received: list[tuple[str, str, str]]
    """(``request`` or ``response``, the gateway that received it, when)."""
    signers: dict[str, SignerInfo]
    erased: list[str]
    configuration_version: int
    journal_origin: str
    checkpoint_size: int
    checkpoint_root: bytes
    leaf_indexes: dict[str, int]
    cosigned_by: list[tuple[str, int]]
    timestamp: datetime
    tsa_name: str
    checks: list[Check] = field(default_factory=list)

    def lines(self, language: str = "en") -> list[str]:
        """The report in plain words, one statement a line, in ``language`` (ky, ru, en)."""
        said = words(language)
        pgettext = said.pgettext
        labelled: list[tuple[str, str]] = [
            (pgettext("evidence report", "Who asked"), self.client.describe(language)),
            (pgettext("evidence report", "What"), f"{self.method} {self.path}{self._query()}"),
            (pgettext("evidence report", "Of whom"), self.service.describe(language)),
            (pgettext("evidence report", "Answer"), self._status(pgettext)),
        ]
        labelled += [
            (pgettext("evidence report", "When"), _received(pgettext, kind, gateway, when))
            for kind, gateway, when in self.received
        ]
        labelled += [
            (pgettext("evidence report", "Signed"), _signed(pgettext, kind, self.signers[kind]))
            for kind in ("request", "response")
        ]
        labelled += [
            (pgettext("evidence report", "Erased"), _erased(pgettext, kind)) for kind in self.erased
        ]
        labelled.append((pgettext("evidence report", "Journal"), self._journal(pgettext)))
        labelled += [
            (
                pgettext("evidence report", "Cosigned"),
                pgettext("evidence report", "by %(member)s's gateway at %(time)s")
                % {"member": member, "time": datetime.fromtimestamp(when, UTC)},
            )
            for member, when in self.cosigned_by
        ]
        labelled.append(
            (
                pgettext("evidence report", "Time-stamp"),
                pgettext("evidence report", "%(time)s by %(tsa)s")
                % {"time": self.timestamp, "tsa": self.tsa_name},
            )
        )
        width = max(len(label) for label, _ in labelled) + 2
        heading = pgettext(
            "evidence report", "Evidence for message %(message_id)s (request %(request_id)s) holds."
        ) % {"message_id": self.message_id, "request_id": self.request_id}
        version = pgettext(
            "evidence report", "Checked against global configuration version %(version)s."
        ) % {"version": self.configuration_version}
        passed = pgettext("evidence report", "Checks passed: %(checks)s") % {
            "checks": ", ".join(said.check(check) for check in self.checks)
        }
        return [
            heading,
            *(f"{label}:".ljust(width) + text for label, text in labelled),
            version,
            passed,
        ]

    def _query(self) -> str:
        return f"?{self.query}" if self.query else ""

    def _status(self, pgettext: Translate) -> str:
        if self.status is None:
            return pgettext("evidence report", "no status")
        return pgettext("evidence report", "HTTP status %(status)s") % {"status": self.status}

    def _journal(self, pgettext: Translate) -> str:
        entries = ", ".join(
            (
                pgettext("evidence report", "request %(index)s")
                if kind == "request"
                else pgettext("evidence report", "response %(index)s")
            )
            % {"index": index}
            for kind, index in self.leaf_indexes.items()
        )
        return pgettext(
            "evidence report",
            "the journal of %(gateway)s (origin %(origin)s), entries %(entries)s,"
            " in the checkpoint of size %(size)s, root %(root)s",
        ) % {
            "gateway": self.exported_by,
            "origin": self.journal_origin,
            "entries": entries,
            "size": self.checkpoint_size,
            "root": base64.b64encode(self.checkpoint_root).decode(),
        }


def _received(pgettext: Translate, kind: str, gateway: str, when: str) -> str:
    if kind == "request":
        text = pgettext("evidence report", "the request was received by %(gateway)s at %(time)s")
    else:
        text = pgettext("evidence report", "the response was received by %(gateway)s at %(time)s")
    return text % {"gateway": gateway, "time": when}


def _signed(pgettext: Translate, kind: str, signer: SignerInfo) -> str:
    if kind == "request":
        text = pgettext(
            "evidence report",
            "the request by member %(member)s, certificate %(subject)s (serial %(serial)s)"
            " issued by %(issuer)s",
        )
    else:
        text = pgettext(
            "evidence report",
            "the response by member %(member)s, certificate %(subject)s (serial %(serial)s)"
            " issued by %(issuer)s",
        )
    return text % {
        "member": signer.member,
        "subject": signer.subject,
        "serial": signer.serial,
        "issuer": signer.ca_name,
    }


def _erased(pgettext: Translate, kind: str) -> str:
    if kind == "request":
        return pgettext("evidence report", "the request body, under the retention rules")
    return pgettext("evidence report", "the response body, under the retention rules")
