"""Who sees what in the Catalog: one set of rules for the pages and the API.

The Catalog is public where the exchange needs it to be: participants, subsystems,
services with their shared fields and endpoints, groups and public notices (the public
pages show enabled services and current notices, never violation reports). A service's
backend URL and OpenAPI document, a participant's status history, access requests,
grants, gateways and certificates are shown only to the Tunduk operator and to the
employees of the participants concerned.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from tunduk.accounts.choices import Role
from tunduk.catalog.choices import NoticeKind
from tunduk.catalog.models import (
    AccessRequest,
    Agreement,
    Certificate,
    Gateway,
    Grant,
    Notice,
    Participant,
    Service,
    Subsystem,
)
from tunduk.core.actors import Actor

# Violations may describe weaknesses; they go to the operator, not to the public pages.
PUBLIC_NOTICE_KINDS = (
    NoticeKind.OUTAGE,
    NoticeKind.MAINTENANCE,
    NoticeKind.ERROR,
    NoticeKind.INCIDENT,
)


def is_tunduk_operator(user: Actor) -> bool:
    """The Tunduk operator sees the whole Catalog (003 §3.1)."""
    return bool(user.is_authenticated and user.role == Role.TUNDUK_OPERATOR)


def own_subject_id(user: Actor) -> int | None:
    """The subject whose participant the user works for, if the user is its employee."""
    if user.is_authenticated and user.role == Role.SUBJECT_EMPLOYEE:
        return user.subject_id
    return None


def sees_internals(user: Actor, participant: Participant) -> bool:
    """The operator and the participant's own employees see what the public does not."""
    subject_id = own_subject_id(user)
    return is_tunduk_operator(user) or (
        subject_id is not None and subject_id == participant.subject_id
    )


def _restricted(queryset: QuerySet[Any], user: Actor, *paths: str) -> QuerySet[Any]:
    """``queryset`` for the operator; for an employee the rows where any of ``paths``
    (lookups of a participant's subject) is the own subject; nothing for anyone else."""
    if is_tunduk_operator(user):
        return queryset
    subject_id = own_subject_id(user)
    if subject_id is None:
        return queryset.none()
    condition = Q()
    for path in paths:
        condition |= Q(**{path: subject_id})
    return queryset.filter(condition).distinct()


def visible_access_requests(user: Actor) -> QuerySet[AccessRequest]:
    """Requests the caller made or must decide (the operator sees all)."""
    requests = AccessRequest.objects.select_related(
        "service__subsystem__participant", "client__participant", "endpoint"
    ).order_by("-requested_at", "-id")
    return _restricted(
        requests,
        user,
        "client__participant__subject_id",
        "service__subsystem__participant__subject_id",
    )


def visible_grants(user: Actor) -> QuerySet[Grant]:
    """Grants of the caller's services, to its subsystems or to groups they belong to."""
    grants = Grant.objects.select_related(
        "service__subsystem__participant", "client__participant", "group", "endpoint"
    ).order_by("-granted_at", "-id")
    return _restricted(
        grants,
        user,
        "service__subsystem__participant__subject_id",
        "client__participant__subject_id",
        "group__memberships__subsystem__participant__subject_id",
    )


def visible_agreements(user: Actor) -> QuerySet[Agreement]:
    """Agreements the caller's participant is a party to (the operator sees all)."""
    agreements = Agreement.objects.select_related(
        "participant", "counterparty", "service__subsystem__participant", "recorded_by"
    ).order_by("-signed_on", "-id")
    return _restricted(agreements, user, "participant__subject_id", "counterparty__subject_id")


def visible_gateways(user: Actor) -> QuerySet[Gateway]:
    """The operator sees every gateway; an employee its own participant's."""
    gateways = Gateway.objects.select_related("participant").order_by(
        "participant_id", "server_code", "id"
    )
    return _restricted(gateways, user, "participant__subject_id")


def visible_certificates(user: Actor) -> QuerySet[Certificate]:
    """The operator sees every certificate; an employee its own participant's."""
    certificates = Certificate.objects.select_related("participant").order_by(
        "-requested_at", "-id"
    )
    return _restricted(certificates, user, "participant__subject_id")


def visible_notices(user: Actor) -> QuerySet[Notice]:
    """Public notices for everyone; the operator sees all, an employee also its own."""
    notices = Notice.objects.select_related("participant", "subsystem__participant").order_by(
        "-starts_at", "-id"
    )
    if is_tunduk_operator(user):
        return notices
    subject_id = own_subject_id(user)
    if subject_id is None:
        return notices.filter(is_public=True)
    return notices.filter(Q(is_public=True) | Q(participant__subject_id=subject_id))


def public_services() -> QuerySet[Service]:
    """Every described service with what its presenter needs, in identifier order."""
    return (
        Service.objects.select_related("subsystem__participant")
        .prefetch_related("shared_fields", "endpoints")
        .order_by(
            "subsystem__participant__member_class",
            "subsystem__participant__member_code",
            "subsystem__subsystem_code",
            "service_code",
            "id",
        )
    )


def listed_services() -> QuerySet[Service]:
    """Services the public pages show: the enabled ones (the API lists every service, with
    ``is_enabled``)."""
    return Service.objects.filter(
        is_enabled=True, subsystem__element__decommissioned_at__isnull=True
    )


def listed_participants() -> QuerySet[Participant]:
    """Every participant with its subsystems in operation and their enabled services, for
    the public page (a decommissioned system leaves it, 000 §29)."""
    services = listed_services().prefetch_related("shared_fields")
    subsystems = Subsystem.objects.in_operation().prefetch_related(
        Prefetch("services", queryset=services)
    )
    return Participant.objects.select_related("subject").prefetch_related(
        Prefetch("subsystems", queryset=subsystems)
    )


def current_public_notices() -> QuerySet[Notice]:
    """Public notices of the public kinds that have not ended: ongoing and announced ones."""
    return (
        Notice.objects.filter(is_public=True, kind__in=PUBLIC_NOTICE_KINDS)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gte=timezone.now()))
        .select_related("participant", "subsystem__participant")
        .order_by("starts_at", "id")
    )
