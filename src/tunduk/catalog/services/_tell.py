"""Who the Catalog's decisions and requests reach (003 §3–4), through ``notify``.

Each function is called by the service that decided, inside its transaction.
"""

from __future__ import annotations

from typing import TypedDict

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tunduk.accounts.choices import Role
from tunduk.catalog.choices import (
    AccessRequestStatus,
    CertificateProfile,
    GatewayStatus,
    ParticipantStatus,
    StatusChangeKind,
)
from tunduk.catalog.lifecycle import PARTICIPANT
from tunduk.catalog.models import (
    AccessRequest,
    Certificate,
    Gateway,
    Grant,
    Participant,
    ParticipantStatusChange,
    Subsystem,
)
from tunduk.notifications.kinds import NotificationKind
from tunduk.notifications.recipients import employees_of, holders_of
from tunduk.notifications.services import notify

_MINE = "catalog:participation"
REVOKED_LABEL = _("Revoked")


def participant_registered(participant: Participant) -> None:
    """The subject's employees: they are a member of the exchange (003 §3.1.1)."""
    notify(
        employees_of(participant.subject_id),
        NotificationKind.PARTICIPANT_REGISTERED,
        participant,
        link=reverse(_MINE),
        subject=participant.subject.name,
        member=str(participant.identifier),
    )


def status_notified(change: ParticipantStatusChange) -> None:
    """The other side of a status change, with the reasons and when it takes effect (003 §4)."""
    participant = change.participant
    if change.kind == StatusChangeKind.LEAVE:
        recipients = holders_of(Role.TUNDUK_OPERATOR)
        link = reverse("catalog:participant-detail", args=[participant.pk])
    else:
        recipients = employees_of(participant.subject_id)
        link = reverse(_MINE)
    notify(
        recipients,
        NotificationKind.PARTICIPANT_STATUS_CHANGED,
        change,
        link=link,
        deadline=change.effective_at.date(),
        subject=participant.subject.name,
        status_label=ParticipantStatus(PARTICIPANT.target(change.kind)).label,
        effective=change.effective_at,
        reason=change.reason,
    )


def subsystem_registered(subsystem: Subsystem) -> None:
    """The Tunduk operators: a new subsystem is in the Catalog."""
    notify(
        holders_of(Role.TUNDUK_OPERATOR),
        NotificationKind.SUBSYSTEM_REGISTERED,
        subsystem,
        link=reverse("catalog:participant-detail", args=[subsystem.participant_id]),
        subject=subsystem.participant.subject.name,
        subsystem=str(subsystem.identifier),
    )


def gateway_registered(gateway: Gateway) -> None:
    """The Tunduk operators: a gateway awaits approval."""
    notify(
        holders_of(Role.TUNDUK_OPERATOR),
        NotificationKind.GATEWAY_REGISTERED,
        gateway,
        link=reverse("catalog:gateway-decide", args=[gateway.pk]),
        subject=gateway.participant.subject.name,
        gateway=str(gateway.identifier),
    )


def gateway_decided(gateway: Gateway, comment: str) -> None:
    """The participant's employees: their gateway is approved or refused."""
    notify(
        employees_of(gateway.participant.subject_id),
        NotificationKind.GATEWAY_DECIDED,
        gateway,
        link=reverse(_MINE),
        gateway=str(gateway.identifier),
        outcome_label=GatewayStatus(gateway.status).label,
        comment=comment,
    )


class _CertificateWords(TypedDict):
    gateway: str
    subject: str
    usage_label: Promise


def _certificate_words(certificate: Certificate) -> _CertificateWords:
    gateway = certificate.gateway
    return {
        "gateway": str(gateway.identifier) if gateway else str(certificate.participant.identifier),
        "subject": certificate.participant.subject.name,
        "usage_label": CertificateProfile(certificate.profile).label,
    }


def certificate_requested(certificate: Certificate) -> None:
    """The Tunduk operators: a certificate to issue or refuse."""
    notify(
        holders_of(Role.TUNDUK_OPERATOR),
        NotificationKind.CERTIFICATE_REQUESTED,
        certificate,
        link=reverse("catalog:certificate-detail", args=[certificate.pk]),
        **_certificate_words(certificate),
    )


def certificate_decided(certificate: Certificate, kind: NotificationKind) -> None:
    """The participant's employees: issued, refused or revoked, with the reason."""
    notify(
        employees_of(certificate.participant.subject_id),
        kind,
        certificate,
        link=reverse(_MINE),
        reason=certificate.revocation_reason,
        **_certificate_words(certificate),
    )


def access_requested(request: AccessRequest) -> None:
    """The service owner's employees: a request to decide (003 §3.2.8)."""
    owner = request.service.subsystem.participant
    notify(
        employees_of(owner.subject_id),
        NotificationKind.ACCESS_REQUESTED,
        request,
        link=reverse("catalog:access-request-decide", args=[request.pk]),
        service=str(request.service.identifier),
        client=str(request.client.identifier),
    )


def access_decided(request: AccessRequest) -> None:
    """The requesting participant's employees: granted or refused, with the comment."""
    notify(
        employees_of(request.client.participant.subject_id),
        NotificationKind.ACCESS_DECIDED,
        request,
        link=reverse(_MINE),
        service=str(request.service.identifier),
        outcome_label=AccessRequestStatus(request.status).label,
        comment=request.comment,
    )


def grant_revoked(grant: Grant) -> None:
    """The client's employees: their access to the service ends, with the reason."""
    if grant.client is None:
        return
    notify(
        employees_of(grant.client.participant.subject_id),
        NotificationKind.GRANT_CHANGED,
        grant,
        link=reverse(_MINE),
        service=str(grant.service.identifier),
        client=str(grant.client.identifier),
        outcome_label=REVOKED_LABEL,
        reason=grant.revocation_reason,
    )
