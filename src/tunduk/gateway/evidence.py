"""Evidence of one message: export it from a gateway, verify it offline.

``tunduk evidence export MESSAGE-ID --config GATEWAY.toml -o FILE.asice`` writes one
ASiC-E container (:mod:`tunduk.gateway._asice`) holding the request and the response as
exchanged, both journal leaves, both senders' signatures and certificates with their CA,
the signed global configuration in force, the journal key binding and the peers' cosigner
bindings, C2SP tlog-proofs of both leaves to a checkpoint the peer cosigned, and the RFC
3161 token on that checkpoint. ``tunduk evidence verify FILE.asice --anchor ANCHOR.json``
checks it with nothing but the anchor and tells in plain words what it establishes.
``docs/evidence.md`` is the auditor's guide.

Exceptions::

    EvidenceError        verification failed; .check names the check (a Check)
    NoCheckpointError    export: no cosigned, time-stamped checkpoint covers the message yet
    ExportError          export: the message or a piece of its evidence is not there
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from tunduk.globalconf import ConfigurationAnchor, GlobalConfigurationError

from ._asice import ContainerLimits
from ._evidence_errors import Check, EvidenceError, ExportError, NoCheckpointError
from ._evidence_report import EvidenceReport
from ._evidence_verify import verify_evidence
from ._evidence_words import words
from ._words import add_language_option

__all__ = [
    "Check",
    "ContainerLimits",
    "EvidenceError",
    "EvidenceReport",
    "ExportError",
    "NoCheckpointError",
    "cli",
    "verify_evidence",
]

MAX_ANCHOR_BYTES = 1024 * 1024


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tunduk evidence", description="Export or verify the evidence of one message."
    )
    actions = parser.add_subparsers(dest="action", required=True)
    export = actions.add_parser("export", help="write one message's evidence (ASiC-E)")
    export.add_argument("message_id", metavar="MESSAGE-ID", help="the message's X-Road-Id")
    export.add_argument("--config", type=Path, required=True, help="the gateway's TOML file")
    export.add_argument("-o", "--output", type=Path, required=True, help="FILE.asice to write")
    export.add_argument(
        "--wait",
        type=float,
        default=0,
        metavar="SECONDS",
        help="wait up to this long for a checkpoint that covers the message",
    )
    add_language_option(export)
    verify = actions.add_parser("verify", help="verify an evidence file offline")
    verify.add_argument("file", type=Path, metavar="FILE.asice")
    verify.add_argument("--anchor", type=Path, required=True, help="the configuration anchor")
    add_language_option(verify)
    return parser


def cli(argv: Sequence[str], *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run ``tunduk evidence …`` with ``argv`` (the words after ``evidence``); return the
    exit status: 0 when the evidence was written or holds, 1 when it does not, 2 on
    usage errors."""
    out = out or sys.stdout
    err = err or sys.stderr
    options = _parser().parse_args(list(argv))
    if options.action == "verify":
        return _verify(options.file, options.anchor, options.language, out, err)
    from ._evidence_export import export_command

    return export_command(
        options.message_id,
        options.config,
        options.output,
        options.wait,
        out,
        err,
        options.language,
    )


def _verify(path: Path, anchor_path: Path, language: str, out: TextIO, err: TextIO) -> int:
    said = words(language)
    pgettext = said.pgettext
    try:
        anchor = ConfigurationAnchor.from_bytes(_read(anchor_path, MAX_ANCHOR_BYTES))
    except (OSError, GlobalConfigurationError) as error:
        message = pgettext("evidence report", "cannot read the anchor %(path)s: %(error)s")
        err.write(message % {"path": anchor_path, "error": error} + "\n")
        return 2
    try:
        data = _read(path, ContainerLimits().max_container_bytes)
    except OSError as error:
        message = pgettext("evidence report", "cannot read %(path)s: %(error)s")
        err.write(message % {"path": path, "error": error} + "\n")
        return 2
    try:
        report = verify_evidence(data, anchor)
    except EvidenceError as error:
        message = pgettext(
            "evidence report", "evidence does not hold: %(check)s check failed: %(detail)s"
        )
        err.write(message % {"check": said.check(error.check), "detail": error.detail} + "\n")
        return 1
    out.write("\n".join(report.lines(language)) + "\n")
    return 0


def _read(path: Path, limit: int) -> bytes:
    with path.open("rb") as file:
        data = file.read(limit + 1)
    if len(data) > limit:
        raise OSError(f"{path} is larger than {limit} bytes")
    return data
