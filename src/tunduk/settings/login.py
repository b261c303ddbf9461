"""The environment's settings for signing in and for the anonymous forms (issue 7, finding 4).

Kept apart from ``env.py`` so the sign-in protection reads as one unit: lockout after
failed logins, two-factor sign-in for staff, the client address behind a reverse proxy,
and the rate of anonymous access applications.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from tunduk.settings.env import ConfigurationError, _bool

_RATE = re.compile(r"^\d+/\d*[smhd]$")  # django-ratelimit's grammar: "10/h", "30/5m"


def _positive_int(name: str, default: int, minimum: int = 1) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}, got {value}")
    return value


@dataclass(frozen=True)
class LoginEnvironment:
    """``TUNDUK_LOGIN_*``, ``TUNDUK_STAFF_TWO_FACTOR``, ``TUNDUK_TRUSTED_PROXY_COUNT``,
    ``TUNDUK_APPLICATION_RATE`` and ``TUNDUK_CACHE_*``."""

    failure_limit: int
    cooloff_minutes: int
    staff_two_factor_required: bool
    trusted_proxy_count: int
    application_rate: str
    cache_backend: str
    cache_location: str

    @classmethod
    def read(cls) -> LoginEnvironment:
        """Read and validate the variables; raise ``ConfigurationError`` on bad values."""
        rate = os.environ.get("TUNDUK_APPLICATION_RATE", "10/h")
        if not _RATE.match(rate):
            raise ConfigurationError(
                f"TUNDUK_APPLICATION_RATE must look like 10/h or 30/5m, got {rate!r}"
            )
        return cls(
            failure_limit=_positive_int("TUNDUK_LOGIN_FAILURE_LIMIT", 5),
            cooloff_minutes=_positive_int("TUNDUK_LOGIN_COOLOFF_MINUTES", 15),
            staff_two_factor_required=_bool("TUNDUK_STAFF_TWO_FACTOR", False),
            trusted_proxy_count=_positive_int("TUNDUK_TRUSTED_PROXY_COUNT", 0, minimum=0),
            application_rate=rate,
            cache_backend=os.environ.get(
                "TUNDUK_CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"
            ),
            cache_location=os.environ.get("TUNDUK_CACHE_LOCATION", ""),
        )
