"""The journal's signing key, verifier key and time-stamping authority, from settings."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from tunduk.journal import Signer, Verifier, generate_signer
from tunduk.trust.keyfiles import missing_key_message, write_private

if TYPE_CHECKING:
    from tunduk.trust import TimeStampAuthority


KEY_ALTERNATIVE = "set TUNDUK_JOURNAL_SIGNING_KEY (a PRIVATE+KEY+… note signer key)"
"""How else an operator provides the journal's key (for the missing-key message)."""


@cache
def signer() -> Signer:
    """The note signer: ``TUNDUK_JOURNAL_SIGNING_KEY``, or the key file ``TUNDUK_JOURNAL_KEY_FILE``.

    Development creates the file on first use; elsewhere a missing key is an error.
    """
    if settings.TUNDUK_JOURNAL_SIGNING_KEY:
        return Signer.from_key(settings.TUNDUK_JOURNAL_SIGNING_KEY)
    path = Path(settings.TUNDUK_JOURNAL_KEY_FILE)
    if path.exists():
        return Signer.from_key(path.read_text().strip())
    if not settings.TUNDUK_DEVELOPMENT_TRUST:
        raise ImproperlyConfigured(missing_key_message(path, KEY_ALTERNATIVE))
    return create_signer_file()


def create_signer_file() -> Signer:
    """Create the journal's key file, owner-only; an existing file is never replaced."""
    path = Path(settings.TUNDUK_JOURNAL_KEY_FILE)
    key = generate_signer(settings.TUNDUK_JOURNAL_ORIGIN)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_private(path, (key.to_key() + "\n").encode())
    return key


def verifier() -> Verifier:
    """The published verifier key of the Registry's journal."""
    return signer().verifier()


def tsa_roots() -> list[bytes]:
    """Trust anchors for checkpoint time-stamps (PEM)."""
    roots = [Path(path).read_bytes() for path in settings.TUNDUK_TSA_ROOTS]
    if not settings.TUNDUK_TSA_URL and settings.TUNDUK_DEVELOPMENT_TRUST:
        roots.append(development_tsa().root_pem)
    return roots


@cache
def development_tsa() -> TimeStampAuthority:
    """The in-process development TSA from ``tunduk.trust`` (used when no TSA URL is set)."""
    from tunduk.trust import TimeStampAuthority

    return TimeStampAuthority.load_or_create(Path(settings.TUNDUK_TSA_STATE_DIR))
