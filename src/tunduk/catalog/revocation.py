"""Publishing revocations: central's signed CRL and the revoked serials of the configuration.

The database is the one record of what was revoked (``Certificate`` rows in status
``revoked``, written by :func:`tunduk.catalog.services.gateways.revoke_certificate`);
both publications are derived from it. The CRL is re-signed when that list changes
and before it goes stale (:data:`CRL_VALIDITY`, renewed at half-life by the scheduled
configuration task), and is served at :func:`crl_url`, which the global configuration
names for the CA.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tunduk import globalconf as gc
from tunduk.catalog.choices import CertificateStatus
from tunduk.catalog.models import Certificate, CertificateRevocationList
from tunduk.catalog.trust import central_ca
from tunduk.core.audit import Event, record
from tunduk.journaling.log import append_change
from tunduk.trust.revocation import RevokedCertificate, build_crl

logger = logging.getLogger(__name__)

CRL_VALIDITY = timedelta(hours=1)
"""From a CRL's thisUpdate to its nextUpdate; a new one is signed after half of it."""

CRL_MEDIA_TYPE = "application/pkix-crl"
"""RFC 5280 §4.2.1.13 / RFC 2585 media type of a DER CRL."""


def crl_url() -> str:
    """The public URL of the CA's CRL, as the global configuration names it."""
    return settings.SITE_URL.rstrip("/") + reverse("globalconf:crl")


def revoked_certificates(now: datetime, authority: int | None = None) -> list[RevokedCertificate]:
    """Revoked certificates that have not expired at ``now``, lowest serial first.

    Those of the participants' CA by default (what its CRL lists), or those the approved
    external CA with id ``authority`` issued (listed under it in the configuration: the
    exchange cannot sign that CA's CRL). An expired certificate fails validation anyway,
    so it leaves both lists (RFC 5280 §3.3 allows it) and they do not grow without bound.
    """
    rows = (
        Certificate.objects.filter(
            status=CertificateStatus.REVOKED, not_after__gt=now, external_ca=authority
        )
        .exclude(serial_number="")
        .values_list("serial_number", "revocation_code", "revoked_at")
    )
    entries = [
        RevokedCertificate(int(serial, 16), x509.ReasonFlags[code], revoked_at or now)
        for serial, code, revoked_at in rows
    ]
    return sorted(entries, key=lambda entry: entry.serial)


def revoked_serials(now: datetime, authority: int | None = None) -> list[gc.RevokedSerial]:
    """The configuration's form of :func:`revoked_certificates` (whole seconds, never ahead)."""
    generated_at = now.replace(microsecond=0)
    return [
        gc.RevokedSerial(
            format(entry.serial, "x"), min(entry.revoked_at.replace(microsecond=0), generated_at)
        )
        for entry in revoked_certificates(now, authority)
    ]


def _digest(entries: list[RevokedCertificate]) -> str:
    """What the CRL says, ignoring its times: the CA and each (serial, reason, time)."""
    digest = hashlib.sha256(central_ca().certificate.fingerprint(hashes.SHA256()))
    for entry in entries:
        digest.update(f"{entry.serial:x} {entry.reason.value} {entry.revoked_at}\n".encode())
    return digest.hexdigest()


@transaction.atomic
def publish_crl(*, force: bool = False) -> CertificateRevocationList | None:
    """Sign and store a new CRL when the revocations changed or the last one nears nextUpdate.

    Runs inside the revocation's transaction, so a revocation is never committed
    without the CRL that lists it.
    """
    latest = CertificateRevocationList.objects.select_for_update().order_by("-number").first()
    now = timezone.now()
    entries = revoked_certificates(now)
    digest = _digest(entries)
    fresh = latest is not None and latest.next_update - now > CRL_VALIDITY / 2
    if latest is not None and latest.content_sha256 == digest and fresh and not force:
        return None
    number = 1 if latest is None else latest.number + 1
    this_update = now.replace(microsecond=0)  # CRL times are whole seconds
    crl = build_crl(
        central_ca(),
        entries,
        next_update_hours=int(CRL_VALIDITY / timedelta(hours=1)),
        now=this_update,
        crl_number=number,
    )
    stored = CertificateRevocationList.objects.create(
        number=number,
        this_update=this_update,
        next_update=this_update + CRL_VALIDITY,
        content_sha256=digest,
        der=crl.public_bytes(serialization.Encoding.DER),
    )
    record(Event.CRL_PUBLISHED, obj=stored, number=number, entries=len(entries))
    append_change(Event.CRL_PUBLISHED, stored, None, {"number": number, "entries": len(entries)})
    logger.info("CRL %d published with %d entries", number, len(entries))
    return stored


def current_crl() -> CertificateRevocationList:
    """The newest CRL, signing one first if there is none or it is past its nextUpdate."""
    latest = CertificateRevocationList.objects.order_by("-number").first()
    if latest is None or latest.next_update <= timezone.now():
        publish_crl(force=True)
        latest = CertificateRevocationList.objects.order_by("-number").first()
    assert latest is not None  # publish_crl(force=True) always stores one
    return latest
