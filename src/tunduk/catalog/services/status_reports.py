"""Gateways report their own state to central, signed; the Catalog keeps the last report.

The wire format is the gateway's (``tunduk.gateway._status_report``; docs/catalog.md,
"Gateway status reports"): a JSON body and a ``Tunduk-Status-Signature`` header holding
the base64 DER ECDSA signature of the body's exact bytes. The body is hostile until
checked, in this order:

1. at most :data:`MAX_REPORT_BYTES`, bounded JSON of the expected shape;
2. ``gateway`` is an approved gateway of the Catalog;
3. ``sign_cert_sha256`` is an issued, unexpired, unrevoked signing certificate of that
   gateway's participant, and its key verifies the signature over the body;
4. ``auth_cert_sha256`` is an issued authentication certificate of that gateway;
5. ``sent_at`` is within :data:`CLOCK_WINDOW` of central's clock and later than the
   last stored report's (so a captured report can be neither replayed nor reordered).

Only then is it stored, replacing the previous one. Telemetry, not a change to the
Catalog: neither audited nor journaled.
"""

from __future__ import annotations

import base64
import binascii
import re
from datetime import datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tunduk.catalog.choices import CertificateProfile, CertificateStatus, GatewayStatus
from tunduk.catalog.models import Certificate, Gateway, GatewayStatusReport
from tunduk.identifiers import IdentifierError, parse_server
from tunduk.untrusted import DocumentShapeError, load_json

__all__ = [
    "CLOCK_WINDOW",
    "MAX_REPORT_BYTES",
    "REPORT_FORMAT",
    "SIGNATURE_HEADER",
    "StatusReportRefused",
    "accept_status_report",
    "check_report_size",
]

REPORT_FORMAT = "tunduk-gateway-report/1"
SIGNATURE_HEADER = "Tunduk-Status-Signature"
MAX_REPORT_BYTES = 256 * 1024
CLOCK_WINDOW = timedelta(minutes=5)
"""How far a report's ``sent_at`` may be from central's clock, either way."""

_MAX_SIGNATURE_CHARS = 200  # base64 of a DER ECDSA P-384 signature is under 140
_SHA256 = re.compile(r"[0-9a-f]{64}")


class StatusReportRefused(Exception):
    """Why a report was refused: HTTP ``status``, a stable ``code``, a translated message."""

    def __init__(self, status: int, code: str, message: str, field: str = "") -> None:
        super().__init__(f"{code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.field = field


def accept_status_report(
    body: bytes, signature: str | None, *, now: datetime | None = None
) -> GatewayStatusReport:
    """Check a gateway's signed report and store it as its last; raise :class:`StatusReportRefused`."""
    now = now or timezone.now()
    check_report_size(len(body))
    raw_signature = _signature(signature)
    report = _parse(body)
    gateway = _gateway(report["gateway"])
    certificate = _signing_certificate(gateway, report["sign_cert_sha256"], now)
    _verify(certificate, raw_signature, body)
    if not Certificate.objects.filter(
        gateway=gateway,
        profile=CertificateProfile.AUTHENTICATION,
        status=CertificateStatus.ISSUED,
        sha256=report["auth_cert_sha256"],
    ).exists():
        raise StatusReportRefused(
            403,
            "auth_certificate_unknown",
            _("The authentication certificate is not an issued certificate of this gateway."),
            "auth_cert_sha256",
        )
    sent_at = report["sent_at"]
    if abs(now - sent_at) > CLOCK_WINDOW:
        raise StatusReportRefused(
            403,
            "outside_window",
            _("The report's time is more than %(minutes)d minutes from central's clock.")
            % {"minutes": CLOCK_WINDOW.seconds // 60},
            "sent_at",
        )
    return _store(gateway, certificate, report, now)


def check_report_size(length: int) -> None:
    """Refuse (413) a report of ``length`` bytes over :data:`MAX_REPORT_BYTES`, before reading it."""
    if length > MAX_REPORT_BYTES:
        raise StatusReportRefused(
            413,
            "too_large",
            _("A status report may be at most %(limit)d bytes.") % {"limit": MAX_REPORT_BYTES},
        )


def _signature(header: str | None) -> bytes:
    if not header:
        raise StatusReportRefused(
            401, "signature_missing", _("The report carries no signature header.")
        )
    try:
        if len(header) > _MAX_SIGNATURE_CHARS:
            raise ValueError("too long")
        return base64.b64decode(header, validate=True)
    except (ValueError, binascii.Error):
        raise StatusReportRefused(
            401, "signature_malformed", _("The signature header is not valid base64.")
        ) from None


def _malformed(field: str) -> StatusReportRefused:
    return StatusReportRefused(
        400,
        "malformed",
        _("The report's field %(field)s is missing or wrong.") % {"field": field},
        field,
    )


def _parse(body: bytes) -> dict[str, Any]:
    """The report's fields, typed; ``sent_at`` as an aware datetime."""
    try:
        value = load_json(body, max_depth=16, max_items=50_000)
    except (ValueError, UnicodeDecodeError, DocumentShapeError):
        raise StatusReportRefused(
            400, "malformed", _("The report is not a JSON document of the expected size and shape.")
        ) from None
    if not isinstance(value, dict) or value.get("format") != REPORT_FORMAT:
        raise _malformed("format")
    for field in ("gateway", "sent_at", "auth_cert_sha256", "sign_cert_sha256"):
        if not isinstance(value.get(field), str):
            raise _malformed(field)
    for field in ("auth_cert_sha256", "sign_cert_sha256"):
        if _SHA256.fullmatch(value[field]) is None:
            raise _malformed(field)
    if not isinstance(value.get("status"), dict):
        raise _malformed("status")
    try:
        sent_at = datetime.fromisoformat(value["sent_at"])
    except ValueError:
        raise _malformed("sent_at") from None
    if sent_at.tzinfo is None:
        raise _malformed("sent_at")
    return {**value, "sent_at": sent_at}


def _gateway(text: str) -> Gateway:
    try:
        server = parse_server(text)
    except IdentifierError:
        raise _malformed("gateway") from None
    member = server.member
    gateway = (
        Gateway.objects.select_related("participant")
        .filter(
            participant__instance=member.instance,
            participant__member_class=member.member_class,
            participant__member_code=member.member_code,
            server_code=server.server_code,
            status=GatewayStatus.APPROVED,
        )
        .first()
    )
    if gateway is None:
        raise StatusReportRefused(
            403,
            "unknown_gateway",
            _("%(gateway)s is not an approved gateway.") % {"gateway": text},
            "gateway",
        )
    return gateway


def _signing_certificate(gateway: Gateway, digest: str, now: datetime) -> Certificate:
    certificate = Certificate.objects.filter(
        participant=gateway.participant, profile=CertificateProfile.SIGNING, sha256=digest
    ).first()
    if certificate is None or certificate.status != CertificateStatus.ISSUED:
        raise StatusReportRefused(
            403,
            "signing_certificate_invalid",
            _("The signing certificate is not an issued, unrevoked certificate of %(member)s.")
            % {"member": gateway.participant.identifier},
            "sign_cert_sha256",
        )
    if certificate.not_after is not None and certificate.not_after < now:
        raise StatusReportRefused(
            403,
            "signing_certificate_invalid",
            _("The signing certificate expired."),
            "sign_cert_sha256",
        )
    return certificate


def _verify(certificate: Certificate, signature: bytes, body: bytes) -> None:
    public_key = x509.load_pem_x509_certificate(certificate.certificate_pem.encode()).public_key()
    try:
        if not isinstance(public_key, ec.EllipticCurvePublicKey):
            raise InvalidSignature
        public_key.verify(signature, body, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise StatusReportRefused(
            403,
            "bad_signature",
            _("The signature does not verify with the gateway's signing certificate."),
        ) from None


def _store(
    gateway: Gateway, certificate: Certificate, report: dict[str, Any], now: datetime
) -> GatewayStatusReport:
    """Replace the last report, only by a later one (checked under the row's lock)."""
    with transaction.atomic():
        Gateway.objects.select_for_update().filter(pk=gateway.pk).first()
        last = GatewayStatusReport.objects.filter(gateway=gateway).first()
        if last is not None and report["sent_at"] <= last.sent_at:
            raise StatusReportRefused(
                409,
                "replayed",
                _("A report sent at the same time or later is already stored."),
                "sent_at",
            )
        stored, _created = GatewayStatusReport.objects.update_or_create(
            gateway=gateway,
            defaults={
                "sent_at": report["sent_at"],
                "received_at": now,
                "auth_cert_sha256": report["auth_cert_sha256"],
                "signing_certificate": certificate,
                "report": report["status"],
            },
        )
    return stored
