"""Start-up check: outside development the journal's signing key must exist."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from tunduk.journaling.keys import KEY_ALTERNATIVE
from tunduk.trust.keyfiles import CHECK_TAG, missing_key_message


@register(CHECK_TAG)
def journal_key_exists(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """An error naming the journal key file when neither it nor the key variable is set."""
    if settings.TUNDUK_DEVELOPMENT_TRUST or settings.TUNDUK_JOURNAL_SIGNING_KEY:
        return []
    path = Path(settings.TUNDUK_JOURNAL_KEY_FILE)
    if path.exists():
        return []
    return [Error(missing_key_message(path, KEY_ALTERNATIVE), id="journaling.E001")]


@register(CHECK_TAG)
def checkpoints_are_time_stamped(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Outside development a real TSA and its trust anchors must be configured.

    Without them checkpoints would be signed but not time-stamped, and nobody could tell
    from the journal alone when a checkpoint was made (issue 7, finding 2).
    """
    if settings.TUNDUK_DEVELOPMENT_TRUST:
        return []
    if not settings.TUNDUK_TSA_URL or not settings.TUNDUK_TSA_ROOTS:
        return [
            Error(
                "Journal checkpoints must be time-stamped: set TUNDUK_TSA_URL to the RFC 3161"
                " time-stamping authority and TUNDUK_TSA_ROOTS to its trust anchors (PEM files).",
                id="journaling.E002",
            )
        ]
    return [
        Error(f"TUNDUK_TSA_ROOTS names {path}, which does not exist.", id="journaling.E003")
        for path in settings.TUNDUK_TSA_ROOTS
        if not Path(path).is_file()
    ]
