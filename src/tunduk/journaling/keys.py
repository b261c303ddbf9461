"""The journal's signing key, verifier key and time-stamping authority, from settings."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from tunduk.journal import Signer, Verifier, generate_signer

if TYPE_CHECKING:
    from tunduk.trust import TimeStampAuthority


@cache
def signer() -> Signer:
    """The note signer: ``TUNDUK_JOURNAL_SIGNING_KEY``, or in development a key file kept on disk."""
    if settings.TUNDUK_JOURNAL_SIGNING_KEY:
        return Signer.from_key(settings.TUNDUK_JOURNAL_SIGNING_KEY)
    if not settings.TUNDUK_DEVELOPMENT_TRUST:
        raise ImproperlyConfigured(
            "Set TUNDUK_JOURNAL_SIGNING_KEY (a PRIVATE+KEY+… note signer key) to sign checkpoints."
        )
    path = Path(settings.TUNDUK_JOURNAL_KEY_FILE)
    if path.exists():
        return Signer.from_key(path.read_text().strip())
    key = generate_signer(settings.TUNDUK_JOURNAL_ORIGIN)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(key.to_key() + "\n")
    path.chmod(0o600)
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
