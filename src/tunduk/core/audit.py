"""Audit event names (``source:subject:action``) and the one function that records them."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db import models

from tunduk.core.actors import Actor
from tunduk.core.models import AuditEvent


class Event(StrEnum):
    """Every audit event the system records; names are ``source:subject:action``."""

    APPLICATION_SUBMITTED = "registry:access-application:submitted"
    APPLICATION_FORWARDED = "registry:access-application:forwarded"
    APPLICATION_GRANTED = "registry:access-application:granted"
    APPLICATION_REJECTED = "registry:access-application:rejected"
    INVITATION_ACCEPTED = "accounts:invitation:accepted"
    API_TOKEN_CREATED = "accounts:api-token:created"
    API_TOKEN_REVOKED = "accounts:api-token:revoked"
    LOGIN_SUCCEEDED = "accounts:login:succeeded"
    LOGIN_FAILED = "accounts:login:failed"
    LOGIN_LOCKED_OUT = "accounts:login:locked-out"
    TWO_FACTOR_ENABLED = "accounts:two-factor:enabled"
    TWO_FACTOR_DISABLED = "accounts:two-factor:disabled"
    PASSWORD_RESET_REQUESTED = "accounts:password-reset:requested"
    PASSWORD_RESET_COMPLETED = "accounts:password-reset:completed"
    SESSIONS_ENDED = "accounts:sessions:ended"
    ELEMENT_CREATED = "registry:element:created"
    ELEMENT_UPDATED = "registry:element:updated"
    ELEMENT_SUBMITTED = "registry:element:submitted"
    ELEMENT_REGISTERED = "registry:element:registered"
    ELEMENT_REFUSED = "registry:element:refused"
    ELEMENT_DECOMMISSIONED = "registry:element:decommissioned"
    DOCUMENT_ATTACHED = "registry:document:attached"
    DECOMMISSIONING_NOTIFIED = "registry:decommissioning:notified"
    DECOMMISSIONING_AGREED = "registry:decommissioning:agreed"
    INFORMATION_REQUESTED = "registry:information-request:created"
    INFORMATION_ANSWERED = "registry:information-request:answered"
    ACCESS_DENIED = "security:permission:denied"
    DAY_TRANSFER_CHANGED = "workdays:day-transfer:changed"
    REMINDER_SENT = "registry:deadline:reminder-sent"
    PARTICIPANT_REGISTERED = "catalog:participant:registered"
    PARTICIPANT_STATUS_NOTIFIED = "catalog:participant:status-notified"
    PARTICIPANT_STATUS_CHANGED = "catalog:participant:status-changed"
    SUBSYSTEM_REGISTERED = "catalog:subsystem:registered"
    SERVICE_REGISTERED = "catalog:service:registered"
    SERVICE_UPDATED = "catalog:service:updated"
    GATEWAY_REGISTERED = "catalog:gateway:registered"
    GATEWAY_DECIDED = "catalog:gateway:decided"
    GATEWAY_ADDRESS_CHANGED = "catalog:gateway:address-changed"
    CERTIFICATE_REQUESTED = "catalog:certificate:requested"
    CERTIFICATE_ISSUED = "catalog:certificate:issued"
    CERTIFICATE_REFUSED = "catalog:certificate:refused"
    CERTIFICATE_REVOKED = "catalog:certificate:revoked"
    ACCESS_REQUESTED = "catalog:access-request:created"
    ACCESS_DECIDED = "catalog:access-request:decided"
    GRANT_CREATED = "catalog:grant:created"
    GRANT_REVOKED = "catalog:grant:revoked"
    GROUP_CREATED = "catalog:group:created"
    GROUP_MEMBERSHIP_CHANGED = "catalog:group:membership-changed"
    NOTICE_REPORTED = "catalog:notice:reported"
    CONFIGURATION_PUBLISHED = "catalog:configuration:published"
    CRL_PUBLISHED = "catalog:crl:published"
    SUBSYSTEM_ARCHIVING_SET = "catalog:subsystem:archiving-set"
    MONITORING_ALLOWED = "catalog:participant:monitoring-allowed"
    RECOMMENDATION_ISSUED = "catalog:recommendation:issued"
    RECOMMENDATION_IMPLEMENTED = "catalog:recommendation:implemented"
    AGREEMENT_RECORDED = "catalog:agreement:recorded"
    AGREEMENT_TERMINATED = "catalog:agreement:terminated"
    CHECKPOINT_COSIGNED = "journal:checkpoint:cosigned"


def record(
    event: Event,
    actor: Actor | None = None,
    obj: models.Model | None = None,
    ip_address: str | None = None,
    **detail: Any,
) -> AuditEvent:
    """Store one audit event; call it inside the transaction of the change it describes."""
    user = actor if actor is not None and actor.is_authenticated else None
    return AuditEvent.objects.create(
        name=str(event),
        actor=user,  # type: ignore[misc]  # a signed-in Member is accounts.User, which core cannot import
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        detail=detail,
        ip_address=ip_address,
    )
