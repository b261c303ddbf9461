"""One filter per Catalog list: what each query parameter matches, read by the API and pages.

Each class is the query of the list's API endpoint (django-ninja reads it with
``Query[...]``); a page listing the same rows builds the same class from its form, so a
search covers the same fields wherever it is made (``tunduk.api.filters.ListFilter``).
Who may see which rows is ``catalog.visibility``; a filter only narrows what is visible.
"""

from __future__ import annotations

from tunduk.api.filters import ListFilter
from tunduk.api.types import ObjectId, SearchText
from tunduk.catalog.choices import (
    AccessRequestStatus,
    AgreementKind,
    CertificateProfile,
    CertificateStatus,
    GatewayStatus,
    MemberClass,
    NoticeKind,
    ParticipantStatus,
)

__all__ = [
    "AccessRequestFilter",
    "AgreementFilter",
    "CertificateFilter",
    "GatewayFilter",
    "GrantFilter",
    "GroupFilter",
    "NoticeFilter",
    "ParticipantFilter",
    "ServiceFilter",
    "SubsystemFilter",
]


class ParticipantFilter(ListFilter):
    """Members: ``q`` searches the subject's names and the member code."""

    search_fields = ("subject__name", "subject__name_ru", "subject__short_name", "member_code")

    q: SearchText | None = None
    status: ParticipantStatus | None = None
    member_class: MemberClass | None = None


class SubsystemFilter(ListFilter):
    """Subsystems: ``q`` searches the name and the subsystem code; ``active=true`` leaves
    out decommissioned ones (000 §29), ``active=false`` lists only those."""

    search_fields = ("name", "subsystem_code")
    lookups = {"participant": "participant_id", "active": "element__decommissioned_at__isnull"}

    q: SearchText | None = None
    participant: ObjectId | None = None
    active: bool | None = None


class ServiceFilter(ListFilter):
    """Services: ``q`` searches both titles, the description and the service code."""

    search_fields = ("title", "title_ru", "description", "service_code")
    lookups = {"participant": "subsystem__participant_id", "subsystem": "subsystem_id"}

    q: SearchText | None = None
    participant: ObjectId | None = None
    subsystem: ObjectId | None = None


class GroupFilter(ListFilter):
    """Global groups: ``q`` searches the code and the description."""

    search_fields = ("code", "description")

    q: SearchText | None = None


class NoticeFilter(ListFilter):
    """Notices of the exchange by kind and participant."""

    lookups = {"participant": "participant_id"}

    kind: NoticeKind | None = None
    participant: ObjectId | None = None


class AccessRequestFilter(ListFilter):
    """Access requests by status, requested service and requesting subsystem."""

    lookups = {"service": "service_id", "client": "client_id"}

    status: AccessRequestStatus | None = None
    service: ObjectId | None = None
    client: ObjectId | None = None


class GrantFilter(ListFilter):
    """Grants by service, subsystem or group; ``active=true`` leaves out revoked ones."""

    lookups = {
        "service": "service_id",
        "client": "client_id",
        "group": "group_id",
        "active": "revoked_at__isnull",
    }

    service: ObjectId | None = None
    client: ObjectId | None = None
    group: ObjectId | None = None
    active: bool | None = None


class GatewayFilter(ListFilter):
    """Gateways by status and participant."""

    lookups = {"participant": "participant_id"}

    status: GatewayStatus | None = None
    participant: ObjectId | None = None


class CertificateFilter(ListFilter):
    """Certificates by status, profile, participant and gateway."""

    lookups = {"participant": "participant_id", "gateway": "gateway_id"}

    status: CertificateStatus | None = None
    profile: CertificateProfile | None = None
    participant: ObjectId | None = None
    gateway: ObjectId | None = None


class AgreementFilter(ListFilter):
    """Agreements by kind and participant."""

    lookups = {"participant": "participant_id"}

    kind: AgreementKind | None = None
    participant: ObjectId | None = None
