"""Request and response schemas of the Catalog's API (Pydantic v2 via ninja ``Schema``).

Identifiers are rendered as text (``KG/GOV/70000001/civil-registry``). Codes in request
bodies are plain text here: the services check their grammar and answer a clear 400 that
names the field. Output schemas are filled from the dicts of ``catalog.api.presenters``,
which decide what the public may see.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator

from tunduk import limits
from tunduk.api.types import STORABLE, ObjectId, PemText, Text, column
from tunduk.catalog.choices import (
    AccessRequestStatus,
    CertificateProfile,
    CertificateStatus,
    GatewayStatus,
    HttpMethod,
    MemberClass,
    ParticipantStatus,
    RevocationReason,
    ServiceType,
    StatusChangeKind,
)
from tunduk.catalog.models import SharedField

# Moments the exchange can mean: after the Catalog existed, before any plausible plan.
EARLIEST_YEAR = 1991
LATEST_YEAR = 2100


def _moment(value: datetime) -> datetime:
    # A naive time is taken as local (Asia/Bishkek); far-off years would overflow when
    # converted to UTC for storage.
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(
            _("The time must be between the years %(first)d and %(last)d.")
            % {"first": EARLIEST_YEAR, "last": LATEST_YEAR}
        )
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _storable_document(value: dict[str, Any]) -> dict[str, Any]:
    # Checked like ``Text``: PostgreSQL's jsonb refuses NUL, UTF-8 refuses lone surrogates.
    text = json.dumps(value, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(_("The text is not valid Unicode.")) from None
    if "\\u0000" in text:
        raise ValueError(_("The text contains a NUL character."))
    return value


Moment = Annotated[datetime, AfterValidator(_moment)]
JsonDocument = Annotated[dict[str, Any], AfterValidator(_storable_document)]
ShortText = Annotated[str, Field(max_length=300), STORABLE]
Code = Annotated[
    str, Field(max_length=255, description="An identifier part (003 §3.1.1)."), STORABLE
]
OpenApiText = Annotated[str, Field(max_length=limits.OPENAPI_DOCUMENT_BYTES), STORABLE]


# ---- participants -----------------------------------------------------------------------


class ParticipantIn(Schema):
    """The operator registers an accounting subject as a member (003 §3.1.1)."""

    subject: ObjectId = Field(description="The accounting subject of the Registry.")
    member_class: MemberClass
    member_code: Code


class StatusChangeIn(Schema):
    """Suspend, reinstate, disconnect (the operator) or leave (the participant) (003 §4)."""

    kind: StatusChangeKind
    reason: Text = Field(description="The reasons, sent to the other side as prior notice.")
    effective_at: Moment | None = Field(
        None,
        description="When it takes effect; now if omitted. A suspension, disconnection or "
        "leaving takes effect no earlier than the prior notice (10 days) after the notice "
        "(003 §4), unless it is a suspension with security_incident.",
    )
    security_incident: bool = Field(
        False,
        description="A suspension made at once for a security incident, the one change "
        "that may skip the prior notice (003 §2.4, §2.6, §4); it is marked so.",
    )


class StatusChangeOut(Schema):
    """A status change with its reasons and when it was notified and applied."""

    id: int
    participant: int
    kind: StatusChangeKind
    reason: str
    notice_sent_at: datetime
    effective_at: datetime
    applied_at: datetime | None
    security_incident: bool
    withdrawn_at: datetime | None


class ParticipantSummaryOut(Schema):
    """A member of the exchange as the public sees it."""

    id: int
    identifier: str = Field(description="INSTANCE/CLASS/CODE.")
    subject: int
    subject_name: str
    status: ParticipantStatus


class ParticipantOut(ParticipantSummaryOut):
    """A participant; its status history only for the operator and its own employees."""

    instance: str
    member_class: MemberClass
    member_code: str
    registered_at: datetime
    status_changes: list[StatusChangeOut] | None = Field(
        description="Null for the public and other participants."
    )


# ---- subsystems -------------------------------------------------------------------------


class SubsystemIn(Schema):
    """An information system joins the exchange, linked to its registered element (003 §3.2.2)."""

    participant: ObjectId
    subsystem_code: Code
    name: ShortText
    element: ObjectId = Field(description="The Registry element (an information system).")


class SubsystemOut(Schema):
    """A subsystem: an information system of a participant."""

    id: int
    identifier: str = Field(description="INSTANCE/CLASS/CODE/SUBSYSTEM.")
    participant: int
    participant_identifier: str
    subsystem_code: str
    name: str
    element: int
    created_at: datetime
    decommissioned_at: datetime | None = Field(
        description="When the Registry recorded that the system stopped operating (000 §29); "
        "from then on it is in no global configuration."
    )


# ---- services ---------------------------------------------------------------------------


class SharedFieldIn(Schema):
    """A field made available to other participants (003 appendix 1)."""

    name: Annotated[str, Field(max_length=column(SharedField, "name")), STORABLE]
    description: Annotated[str, Field(max_length=column(SharedField, "description")), STORABLE] = ""
    personal_data: bool = False


class SharedFieldOut(Schema):
    name: str
    description: str
    personal_data: bool


class EndpointOut(Schema):
    """An operation of the service: a method and a path glob (``*`` is one segment)."""

    id: int
    method: HttpMethod
    path: str
    summary: str


class ServiceFieldsIn(Schema):
    """What describes a service; ``openapi_document`` is JSON or YAML text, or a JSON object."""

    title: ShortText = Field(description="The title in Kyrgyz, the state language.")
    title_ru: ShortText = Field("", description="The title in Russian, the official language.")
    description: Text = ""
    backend_url: Annotated[str, Field(max_length=500), STORABLE] = Field(
        description="Where the provider's gateway forwards calls; never shown to the public."
    )
    openapi_document: OpenApiText | JsonDocument | None = Field(
        None, description="An OpenAPI 3 document; its operations become the endpoints."
    )
    shared_fields: list[SharedFieldIn] = Field(
        max_length=limits.SHARED_FIELDS,
        description="The fields available to other participants (003 appendix 1).",
    )


class ServiceIn(ServiceFieldsIn):
    """A new service of a subsystem."""

    subsystem: ObjectId
    service_code: Code


class ServiceUpdateIn(ServiceFieldsIn):
    """The service's new description; the subsystem and code stay."""


class ServiceSummaryOut(Schema):
    """A service as the public sees it: identity, title, shared fields, endpoints."""

    id: int
    identifier: str = Field(description="INSTANCE/CLASS/CODE/SUBSYSTEM/SERVICE.")
    subsystem: int
    participant: int
    service_code: str
    service_type: ServiceType
    name: str = Field(description="The title in the request's language, else the other.")
    name_ky: str = Field(description="The title in Kyrgyz (the state language).")
    name_ru: str = Field(description="The title in Russian (the official language).")
    title: str
    title_ru: str
    description: str
    is_enabled: bool
    shared_fields: list[SharedFieldOut]
    endpoints: list[EndpointOut]


class ServiceOut(ServiceSummaryOut):
    """A service; the backend URL and the OpenAPI document only for the owner and the operator."""

    internals_shown: bool = Field(
        description="False unless the caller owns the service or is the Tunduk operator."
    )
    backend_url: str | None
    openapi_document: dict[str, Any] | None
    created_at: datetime
    updated_at: datetime
    appendix_version: int | None = Field(
        description="The number of the appendix version in force (003 §2.3); see "
        "``/appendix-versions``."
    )


# ---- access -----------------------------------------------------------------------------


class AccessRequestIn(Schema):
    """A participant's subsystem asks for access to a service or one endpoint (004)."""

    client: ObjectId = Field(description="The requesting subsystem.")
    service: ObjectId
    endpoint: ObjectId | None = None
    purpose: Text


class AccessDecisionIn(Schema):
    """The owner's decision (003 §3.2.8); a refusal needs a comment."""

    grant: bool
    comment: Text = ""


class AccessRequestOut(Schema):
    """A request for access and the owner's decision."""

    id: int
    service: int
    service_identifier: str
    endpoint: int | None
    client: int
    client_identifier: str
    purpose: str
    status: AccessRequestStatus
    requested_at: datetime
    decided_at: datetime | None
    comment: str


class GrantIn(Schema):
    """The owner grants one subsystem or one group access, to the service or one endpoint."""

    service: ObjectId
    client: ObjectId | None = Field(None, description="A subsystem; or give ``group``.")
    group: ObjectId | None = None
    endpoint: ObjectId | None = None


class RevokeIn(Schema):
    """Why the grant or certificate ends."""

    reason: Text


class CertificateRevokeIn(Schema):
    """Why a certificate is revoked, and the reason code its CRL entry carries."""

    reason: Text
    code: RevocationReason = RevocationReason.UNSPECIFIED


class GrantOut(Schema):
    """Who may call which service; revoked grants stay listed with the reason."""

    id: int
    service: int
    service_identifier: str
    endpoint: int | None
    endpoint_label: str | None = Field(description="``METHOD path``, or null for the service.")
    client: int | None
    client_identifier: str | None
    group: int | None
    group_identifier: str | None
    access_request: int | None
    appendix_version: int | None = Field(
        description="The number of the appendix version (shared fields, endpoints) the grant "
        "was given for (003 §2.3); null for a grant older than appendix versions."
    )
    appendix_version_current: bool | None = Field(
        description="False when the service's appendix changed after the grant was given."
    )
    active: bool
    granted_at: datetime
    revoked_at: datetime | None
    revocation_reason: str


class GroupIn(Schema):
    """A global group of subsystems (the operator)."""

    code: Code
    description: Annotated[str, Field(max_length=500), STORABLE]


class MembershipIn(Schema):
    """Add a subsystem to a group (``member: true``) or end its membership."""

    subsystem: ObjectId
    member: bool = True


class GroupMemberOut(Schema):
    subsystem: int
    identifier: str
    added_at: datetime


class GroupOut(Schema):
    """A global group and its current members."""

    id: int
    identifier: str = Field(description="INSTANCE/GROUPCODE.")
    code: str
    description: str
    members: list[GroupMemberOut]
    created_at: datetime


# ---- gateways and certificates ----------------------------------------------------------


class GatewayIn(Schema):
    """A participant registers its security server with its authentication CSR (003 §3.2.1)."""

    participant: ObjectId
    server_code: Code
    address: Annotated[str, Field(max_length=255, description="host or host:port"), STORABLE]
    auth_csr_pem: PemText = Field(description="PEM certificate signing request for TLS.")


class GatewayDecisionIn(Schema):
    """The operator approves or refuses a gateway; a refusal needs a comment."""

    approve: bool
    comment: Text = ""


class GatewayOut(Schema):
    """A participant's gateway (security server)."""

    id: int
    identifier: str = Field(description="INSTANCE/CLASS/CODE/SERVERCODE.")
    participant: int
    server_code: str
    address: str
    status: GatewayStatus
    registered_at: datetime
    decided_at: datetime | None


class CertificateIn(Schema):
    """A certificate signing request: authentication (a gateway's) or signing (003 §3.2.1)."""

    participant: ObjectId
    profile: CertificateProfile
    csr_pem: PemText
    gateway: ObjectId | None = Field(None, description="Needed for an authentication certificate.")


class RefuseCertificateIn(Schema):
    """Why the request is refused."""

    reason: Text


class CertificateOut(Schema):
    """A requested, issued, refused or revoked certificate; private keys never leave the gateway."""

    id: int
    participant: int
    participant_identifier: str
    gateway: int | None
    profile: CertificateProfile
    status: CertificateStatus
    serial_number: str
    sha256: str
    not_after: datetime | None
    certificate_pem: str
    requested_at: datetime
    issued_at: datetime | None
    revoked_at: datetime | None
    revocation_reason: str
    revocation_code: RevocationReason
    external_ca: int | None = Field(
        description="The approved external CA that issued it; null for the participants' CA."
    )
    external_ca_name: str | None
