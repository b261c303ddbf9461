"""Per-address limits on what anyone may send without an account (issue 7, finding 4).

The access application needs no account, so the page and the API share one counter per
client address, kept in Django's cache by django-ratelimit (``TUNDUK_APPLICATION_RATE``,
e.g. ``10/h``). Past the limit the caller gets ``RateLimited`` (HTTP 429).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import ngettext
from django_ratelimit.core import get_usage

from tunduk.core.errors import RateLimited
from tunduk.core.http import client_ip

APPLICATION_GROUP = "registry:access-application"
# One IPv6 subscriber usually holds a whole /64, so it is counted as one address.
IPV6_PREFIX = 64


def _address(group: str, request: HttpRequest) -> str:
    address = client_ip(request)
    if address is None:
        # A request without a usable address shares one counter rather than escaping the limit.
        return "unknown"
    if ipaddress.ip_address(address).version == 6:
        return str(ipaddress.ip_network(f"{address}/{IPV6_PREFIX}", strict=False))
    return address


def limit_access_applications(request: HttpRequest) -> None:
    """Count one submitted access application; raise ``RateLimited`` past the rate."""
    usage = get_usage(
        request,
        group=APPLICATION_GROUP,
        key=_address,
        rate=settings.TUNDUK_APPLICATION_RATE,
        increment=True,
    )
    if usage is None or not usage["should_limit"]:
        return
    seconds = max(1, int(usage["time_left"]))
    minutes = max(1, -(-seconds // 60))  # rounded up, so "1 minute" is never too early
    raise RateLimited(
        ngettext(
            "Too many access applications were sent from your address. Try again in %(minutes)d minute.",
            "Too many access applications were sent from your address. Try again in %(minutes)d minutes.",
            minutes,
        )
        % {"minutes": minutes},
        retry_after=seconds,
    )
