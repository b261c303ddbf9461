"""Turn Catalog objects into the plain data of the API schemas, hiding what the caller may not see.

Callers pass objects loaded with the ``select_related``/``prefetch_related`` of
``catalog.api.visibility`` so that presenting a page costs no query per item.
"""

from __future__ import annotations

from typing import Any

from tunduk.catalog.lifecycle import agreement_status
from tunduk.catalog.models import (
    AccessRequest,
    Agreement,
    Certificate,
    Gateway,
    Grant,
    Group,
    Notice,
    Participant,
    ParticipantStatusChange,
    Service,
    Subsystem,
)
from tunduk.catalog.visibility import sees_internals
from tunduk.core.actors import Actor


def participant_summary(participant: Participant) -> dict[str, Any]:
    return {
        "id": participant.pk,
        "identifier": str(participant.identifier),
        "subject": participant.subject_id,
        "subject_name": participant.subject.name,
        "status": participant.status,
    }


def status_change_out(change: ParticipantStatusChange) -> dict[str, Any]:
    return {
        "id": change.pk,
        "participant": change.participant_id,
        "kind": change.kind,
        "reason": change.reason,
        "notice_sent_at": change.notice_sent_at,
        "effective_at": change.effective_at,
        "applied_at": change.applied_at,
        "security_incident": change.security_incident,
        "withdrawn_at": change.withdrawn_at,
    }


def participant_out(participant: Participant, user: Actor) -> dict[str, Any]:
    """The member; its status history (with reasons) only for the operator and its own."""
    data = participant_summary(participant)
    data.update(
        instance=participant.instance,
        member_class=participant.member_class,
        member_code=participant.member_code,
        registered_at=participant.registered_at,
        status_changes=[status_change_out(change) for change in participant.status_changes.all()]
        if sees_internals(user, participant)
        else None,
    )
    return data


def subsystem_out(subsystem: Subsystem) -> dict[str, Any]:
    return {
        "id": subsystem.pk,
        "identifier": str(subsystem.identifier),
        "participant": subsystem.participant_id,
        "participant_identifier": str(subsystem.participant.identifier),
        "subsystem_code": subsystem.subsystem_code,
        "name": subsystem.name,
        "element": subsystem.element_id,
        "created_at": subsystem.created_at,
        "decommissioned_at": subsystem.decommissioned_at,
    }


def service_summary(service: Service) -> dict[str, Any]:
    return {
        "id": service.pk,
        "identifier": str(service.identifier),
        "subsystem": service.subsystem_id,
        "participant": service.subsystem.participant_id,
        "service_code": service.service_code,
        "service_type": service.service_type,
        "name": service.display_title,
        "name_ky": service.title,
        "name_ru": service.title_ru,
        "title": service.title,
        "title_ru": service.title_ru,
        "description": service.description,
        "is_enabled": service.is_enabled,
        "shared_fields": [
            {"name": row.name, "description": row.description, "personal_data": row.personal_data}
            for row in service.shared_fields.all()
        ],
        "endpoints": [
            {"id": row.pk, "method": row.method, "path": row.path, "summary": row.summary}
            for row in service.endpoints.all()
        ],
    }


def service_out(service: Service, user: Actor) -> dict[str, Any]:
    """The service; its backend URL and OpenAPI document only for the owner and the operator."""
    shown = sees_internals(user, service.subsystem.participant)
    data = service_summary(service)
    data.update(
        internals_shown=shown,
        backend_url=service.backend_url if shown else None,
        openapi_document=service.openapi_document if shown else None,
        created_at=service.created_at,
        updated_at=service.updated_at,
    )
    return data


def access_request_out(request: AccessRequest) -> dict[str, Any]:
    return {
        "id": request.pk,
        "service": request.service_id,
        "service_identifier": str(request.service.identifier),
        "endpoint": request.endpoint_id,
        "client": request.client_id,
        "client_identifier": str(request.client.identifier),
        "purpose": request.purpose,
        "status": request.status,
        "requested_at": request.requested_at,
        "decided_at": request.decided_at,
        "comment": request.comment,
    }


def grant_out(grant: Grant) -> dict[str, Any]:
    return {
        "id": grant.pk,
        "service": grant.service_id,
        "service_identifier": str(grant.service.identifier),
        "endpoint": grant.endpoint_id,
        "endpoint_label": str(grant.endpoint) if grant.endpoint else None,
        "client": grant.client_id,
        "client_identifier": str(grant.client.identifier) if grant.client else None,
        "group": grant.group_id,
        "group_identifier": str(grant.group.identifier) if grant.group else None,
        "access_request": grant.access_request_id,
        "active": grant.revoked_at is None,
        "granted_at": grant.granted_at,
        "revoked_at": grant.revoked_at,
        "revocation_reason": grant.revocation_reason,
    }


def group_out(group: Group) -> dict[str, Any]:
    """The group with its current members (memberships prefetched as ``current``)."""
    return {
        "id": group.pk,
        "identifier": str(group.identifier),
        "code": group.code,
        "description": group.description,
        "members": [
            {
                "subsystem": membership.subsystem_id,
                "identifier": str(membership.subsystem.identifier),
                "added_at": membership.added_at,
            }
            for membership in group.memberships.all()
            if membership.removed_at is None
        ],
        "created_at": group.created_at,
    }


def gateway_out(gateway: Gateway) -> dict[str, Any]:
    return {
        "id": gateway.pk,
        "identifier": str(gateway.identifier),
        "participant": gateway.participant_id,
        "server_code": gateway.server_code,
        "address": gateway.address,
        "status": gateway.status,
        "registered_at": gateway.registered_at,
        "decided_at": gateway.decided_at,
    }


def certificate_out(certificate: Certificate) -> dict[str, Any]:
    data = {
        name: getattr(certificate, name)
        for name in (
            "profile",
            "status",
            "serial_number",
            "sha256",
            "not_after",
            "certificate_pem",
            "requested_at",
            "issued_at",
            "revoked_at",
            "revocation_reason",
            "revocation_code",
        )
    }
    data.update(
        id=certificate.pk,
        participant=certificate.participant_id,
        participant_identifier=str(certificate.participant.identifier),
        gateway=certificate.gateway_id,
    )
    return data


def notice_out(notice: Notice) -> dict[str, Any]:
    return {
        "id": notice.pk,
        "participant": notice.participant_id,
        "participant_identifier": str(notice.participant.identifier)
        if notice.participant
        else None,
        "subsystem": notice.subsystem_id,
        "subsystem_identifier": str(notice.subsystem.identifier) if notice.subsystem else None,
        "kind": notice.kind,
        "title": notice.title,
        "description": notice.description,
        "starts_at": notice.starts_at,
        "ends_at": notice.ends_at,
        "is_public": notice.is_public,
        "reported_at": notice.reported_at,
    }


def agreement_out(agreement: Agreement) -> dict[str, Any]:
    return {
        "id": agreement.pk,
        "kind": agreement.kind,
        "participant": agreement.participant_id,
        "participant_identifier": str(agreement.participant.identifier),
        "counterparty": agreement.counterparty_id,
        "counterparty_identifier": str(agreement.counterparty.identifier)
        if agreement.counterparty
        else None,
        "service": agreement.service_id,
        "service_identifier": str(agreement.service.identifier) if agreement.service else None,
        "number": agreement.number,
        "signed_on": agreement.signed_on,
        "valid_until": agreement.valid_until,
        "document_name": agreement.original_name,
        "document_sha256": agreement.sha256,
        "document_size": agreement.size,
        "notes": agreement.notes,
        "recorded_at": agreement.recorded_at,
        "terminated_at": agreement.terminated_at,
        "termination_reason": agreement.termination_reason,
        "status": agreement_status(agreement),
        "termination_notified_at": agreement.termination_notified_at,
        "superseded_by": agreement.superseded_by_id,
    }
