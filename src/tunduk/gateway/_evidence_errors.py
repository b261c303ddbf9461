"""The checks an evidence file goes through, in order, and the error that names one."""

from __future__ import annotations

from enum import StrEnum

from ._words import WordedError

__all__ = ["Check", "EvidenceError", "ExportError", "NoCheckpointError"]


class Check(StrEnum):
    """Each check of ``tunduk evidence verify``, in the order they run."""

    CONTAINER = "container"
    MANIFEST = "manifest"
    INDEX = "index"
    CONFIGURATION = "configuration"
    CERTIFICATES = "certificates"
    LEAVES = "leaves"
    DIGESTS = "message digests"
    SIGNATURES = "signatures"
    COMMITMENTS = "body commitments"
    INCLUSION = "inclusion proofs"
    CHECKPOINT = "checkpoint signature"
    COSIGNATURES = "cosignatures"
    TIMESTAMP = "time-stamp"


class EvidenceError(Exception):
    """Evidence that does not hold; :attr:`check` names the check that failed."""

    def __init__(self, check: Check, detail: str) -> None:
        """Record which ``check`` failed and why (``detail``, plain English)."""
        super().__init__(f"{check} check failed: {detail}")
        self.check = check
        self.detail = detail


class NoCheckpointError(WordedError):
    """No signed, cosigned and time-stamped checkpoint covers the message yet (export)."""

    def __init__(self, rule: str, **fields: object) -> None:
        """``rule``: an English literal with ``%(name)s`` fields (see :class:`WordedError`)."""
        super().__init__("", rule, **fields)


class ExportError(WordedError):
    """The message, or a piece of its evidence, is not in this gateway; the message says what."""

    def __init__(self, rule: str, **fields: object) -> None:
        """``rule``: an English literal with ``%(name)s`` fields (see :class:`WordedError`)."""
        super().__init__("", rule, **fields)
