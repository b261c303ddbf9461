"""The Catalog's open work for the inbox's "awaiting me" (003 §3)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from tunduk.catalog.choices import AccessRequestStatus, CertificateStatus, GatewayStatus
from tunduk.catalog.models import AccessRequest, Certificate, Gateway
from tunduk.notifications.awaiting import AwaitingItem

MOST_PER_LIST = 100


def _tunduk_operator() -> Iterator[AwaitingItem]:
    gateways = Gateway.objects.filter(status=GatewayStatus.REQUESTED).select_related("participant")
    for gateway in gateways[:MOST_PER_LIST]:
        yield AwaitingItem(
            _("Approve or refuse the gateway %(gateway)s") % {"gateway": gateway.identifier},
            reverse("catalog:gateway-decide", args=[gateway.pk]),
            None,
            "003 §3.2.1",
        )
    # A gateway's first authentication certificate is decided with the gateway itself.
    certificates = Certificate.objects.filter(status=CertificateStatus.REQUESTED).exclude(
        gateway__status=GatewayStatus.REQUESTED
    )
    for certificate in certificates.select_related("participant__subject")[:MOST_PER_LIST]:
        yield AwaitingItem(
            _("Issue or refuse the certificate requested by %(subject)s")
            % {"subject": certificate.participant.subject},
            reverse("catalog:certificate-detail", args=[certificate.pk]),
            None,
            "003 §3.2.1",
        )


def _service_owner(user: Any) -> Iterator[AwaitingItem]:
    requests = AccessRequest.objects.filter(
        status=AccessRequestStatus.PENDING,
        service__subsystem__participant__subject_id=user.subject_id,
    ).select_related("service__subsystem__participant", "client__participant")
    for request in requests[:MOST_PER_LIST]:
        yield AwaitingItem(
            _("Decide the request of %(client)s for %(service)s")
            % {"client": request.client.identifier, "service": request.service.identifier},
            reverse("catalog:access-request-decide", args=[request.pk]),
            None,
            "003 §3.2.8",
        )


def catalog_awaiting(user: Any) -> list[AwaitingItem]:
    """The Catalog's open work of ``user``'s role."""
    if user.is_tunduk_operator:
        return list(_tunduk_operator())
    if user.is_subject_employee:
        return list(_service_owner(user))
    return []
