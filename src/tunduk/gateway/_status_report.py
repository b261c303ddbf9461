"""The signed status report a gateway POSTs to central (docs/catalog.md, "Gateway status").

Body (JSON, UTF-8, at most :data:`MAX_REPORT_BYTES`)::

    {"format": "tunduk-gateway-report/1",
     "gateway": "KG/GOV/70000004/ss1",             the reporting gateway
     "sent_at": "2026-11-30T00:20:00.123456Z",     UTC, microseconds; strictly increasing
     "auth_cert_sha256": "<hex>",                  its authentication certificate
     "sign_cert_sha256": "<hex>",                  the certificate that verifies the signature
     "status": {...}}                              tunduk.gateway.status.gateway_status()

Header ``Tunduk-Status-Signature``: base64 of the DER ECDSA P-256 / SHA-256 signature of
the body's exact bytes, made with ``sign.key``. Central answers 204 when it stored the
report, or a JSON error ``{"code", "message", "field", "detail"}``.
"""

from __future__ import annotations

import base64
import urllib.error
import urllib.request
from datetime import UTC, datetime
from typing import Any

import orjson
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from tunduk.gateway.keys import GatewayKeys, KeyConfig
from tunduk.trust.certificates import certificate_hash

__all__ = [
    "MAX_REPORT_BYTES",
    "REPORT_FORMAT",
    "SIGNATURE_HEADER",
    "StatusReportError",
    "post_report",
    "signed_report",
]

REPORT_FORMAT = "tunduk-gateway-report/1"
SIGNATURE_HEADER = "Tunduk-Status-Signature"
MAX_REPORT_BYTES = 256 * 1024
"""Central refuses larger reports; the peers list is cut to fit first."""

_MAX_ERROR_BYTES = 4096


class StatusReportError(Exception):
    """The report could not be made, sent, or central refused it (the message says which)."""


def signed_report(
    config: KeyConfig, keys: GatewayKeys, status: dict[str, Any], *, now: datetime | None = None
) -> tuple[bytes, str]:
    """The report's body and its ``Tunduk-Status-Signature`` header value."""
    try:
        auth_cert, sign_cert = keys.require_certificates()
    except ValueError as error:
        raise StatusReportError(str(error)) from None
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    report = {
        "format": REPORT_FORMAT,
        "gateway": str(config.server),
        "sent_at": moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "auth_cert_sha256": certificate_hash(auth_cert),
        "sign_cert_sha256": certificate_hash(sign_cert),
        "status": status,
    }
    body = orjson.dumps(report, option=orjson.OPT_SORT_KEYS)
    if len(body) > MAX_REPORT_BYTES:
        peers = [peer for peer in status.get("peers", []) if not peer.get("reachable")]
        report["status"] = {**status, "peers": peers[:100], "peers_cut": True}
        body = orjson.dumps(report, option=orjson.OPT_SORT_KEYS)
    signature = keys.sign_key.sign(body, ec.ECDSA(hashes.SHA256()))
    return body, base64.b64encode(signature).decode("ascii")


def post_report(url: str, body: bytes, signature: str, *, timeout: float = 10.0) -> None:
    """POST the report; :class:`StatusReportError` unless central answers 2xx."""
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", SIGNATURE_HEADER: signature},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read(_MAX_ERROR_BYTES)
    except urllib.error.HTTPError as error:
        detail = _message(error.read(_MAX_ERROR_BYTES))
        raise StatusReportError(
            f"central refused the status report: HTTP {error.code}{detail}"
        ) from None
    except (urllib.error.URLError, OSError) as error:
        raise StatusReportError(f"cannot send the status report to {url}: {error}") from None


def _message(data: bytes) -> str:
    try:
        message = orjson.loads(data).get("message")
    except (orjson.JSONDecodeError, AttributeError):
        return ""
    return f": {message}" if isinstance(message, str) else ""
