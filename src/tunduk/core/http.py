"""The client's address, the one fact that lockouts, rate limits and the audit trail share."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from.

    ``X-Forwarded-For`` is believed only when ``TUNDUK_TRUSTED_PROXY_COUNT`` proxies are
    declared: each of them appends the address it was called from, so the client is the
    N-th entry from the right. Entries further left were written by the client and are
    ignored, so a forged header cannot escape a lockout or a rate limit.
    """
    remote = _valid(request.META.get("REMOTE_ADDR", "") or "")
    hops = settings.TUNDUK_TRUSTED_PROXY_COUNT
    if not hops:
        return remote
    chain = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part]
    if len(chain) < hops:
        return remote
    return _valid(chain[-hops]) or remote


def error_body(code: str, message: str, field: str = "", **detail: Any) -> dict[str, Any]:
    """Every JSON refusal's one shape: ``{"code", "message", "field", "detail"}``."""
    return {"code": code, "message": message, "field": field, "detail": detail}
