"""What a verified evidence file establishes, and how it is told in plain words."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ._evidence_errors import Check

__all__ = ["EvidenceReport", "Party", "SignerInfo"]


@dataclass(frozen=True)
class Party:
    """A client subsystem or a service, with the names the configuration gives them."""

    identifier: str
    member_name: str
    subsystem_name: str

    def describe(self) -> str:
        """``KG/GOV/70000004/pension-accounts (Social fund, subsystem Pension accounts)``."""
        names = [self.member_name or "a member the configuration does not name"]
        if self.subsystem_name:
            names.append(f"subsystem {self.subsystem_name}")
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
    received: list[tuple[str, str]]
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

    def lines(self) -> list[str]:
        """The report in plain words, one statement a line."""
        query = f"?{self.query}" if self.query else ""
        status = "no status" if self.status is None else f"HTTP status {self.status}"
        lines = [
            f"Evidence for message {self.message_id} (request {self.request_id}) holds.",
            f"Who asked:  {self.client.describe()}",
            f"What:       {self.method} {self.path}{query}",
            f"Of whom:    {self.service.describe()}",
            f"Answer:     {status}",
        ]
        lines += [f"When:       {what} at {when}" for what, when in self.received]
        for kind in ("request", "response"):
            signer = self.signers[kind]
            lines.append(
                f"Signed:     the {kind} by member {signer.member}, certificate"
                f" {signer.subject} (serial {signer.serial}) issued by {signer.ca_name}"
            )
        lines += [f"Erased:     the {kind} body, under the retention rules" for kind in self.erased]
        root = base64.b64encode(self.checkpoint_root).decode()
        indexes = ", ".join(f"{kind} {index}" for kind, index in self.leaf_indexes.items())
        lines.append(
            f"Journal:    the journal of {self.exported_by} (origin {self.journal_origin}),"
            f" entries {indexes}, in the checkpoint of size {self.checkpoint_size}, root {root}"
        )
        lines += [
            f"Cosigned:   by {member}'s gateway at {datetime.fromtimestamp(when, UTC)}"
            for member, when in self.cosigned_by
        ]
        lines.append(f"Time-stamp: {self.timestamp} by {self.tsa_name}")
        lines.append(f"Checked against global configuration version {self.configuration_version}.")
        lines.append("Checks passed: " + ", ".join(self.checks))
        return lines
