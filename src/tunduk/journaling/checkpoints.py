"""Signing, time-stamping and reading the Registry's published checkpoints."""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction

from tunduk.journal import SignedCheckpoint, StoredCheckpoint, open_checkpoint
from tunduk.journal.timestamp import request_timestamp, verify_timestamp
from tunduk.journaling.keys import development_tsa, signer, tsa_roots, verifier
from tunduk.journaling.log import registry_log, storage

logger = logging.getLogger(__name__)


def timestamp(data: bytes) -> bytes | None:
    """An RFC 3161 token over ``data`` from the configured TSA (the development TSA when configured)."""
    if settings.TUNDUK_TSA_URL:
        return request_timestamp(settings.TUNDUK_TSA_URL, data, roots=tsa_roots())
    if settings.TUNDUK_DEVELOPMENT_TRUST:
        return development_tsa().timestamp(data)
    return None


def verify_checkpoint_timestamp(body: bytes, token: bytes) -> datetime:
    """Check a stored checkpoint's token and return its time (raises ``TimestampError``)."""
    return verify_timestamp(token, body, roots=tsa_roots())


@transaction.atomic
def publish_checkpoint() -> StoredCheckpoint | None:
    """Sign and time-stamp a checkpoint when the log has grown since the last one.

    The very first checkpoint is signed even for an empty log, so that ``journal verify``
    can demand one from the start. The token is stored with the checkpoint in one row:
    checkpoint rows are append-only.
    """
    log = registry_log()
    size = log.size()
    latest = log.storage.latest_checkpoint()
    if latest is not None and latest.tree_size >= size:
        return None
    log.sign_checkpoint(signer(), size=size, timestamper=timestamp)
    logger.info("journal checkpoint published at size %d", size)
    return log.storage.latest_checkpoint()


def latest_checkpoint() -> SignedCheckpoint | None:
    """The latest published checkpoint, its signature checked."""
    stored = storage().latest_checkpoint()
    if stored is None:
        return None
    return open_checkpoint(stored.note, [verifier()], origin=settings.TUNDUK_JOURNAL_ORIGIN)
