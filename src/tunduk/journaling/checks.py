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
