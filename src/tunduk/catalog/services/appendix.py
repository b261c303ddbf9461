"""The history of a service's appendix 1: versions of its shared fields and endpoints (003 §2.3).

The fields available to other participants and the endpoints are what an agreement's
appendix lists, so they are versioned like Registry records: :func:`record_appendix`
runs in the transaction of every change to a service and, when the lists differ from the
version in force, closes that version (``valid_to``) and opens the next one. A grant
stores the version in force when it was given (:func:`current_version`).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tunduk.accounts.actors import signed_in_user
from tunduk.catalog.models import AppendixVersion, Service
from tunduk.catalog.services._common import commit_event
from tunduk.core.actors import Actor
from tunduk.core.audit import Event

__all__ = ["appendix_snapshot", "current_version", "record_appendix"]


def appendix_snapshot(service: Service) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The service's shared fields (in order) and endpoints as stored now, as plain data."""
    fields = [
        {"name": f.name, "description": f.description, "personal_data": f.personal_data}
        for f in service.shared_fields.order_by("position", "id")
    ]
    endpoints = [
        {"method": e.method, "path": e.path, "summary": e.summary}
        for e in service.endpoints.order_by("path", "method")
    ]
    return fields, endpoints


def current_version(service: Service) -> AppendixVersion | None:
    """The version in force (``None`` only for a service described before versions existed)."""
    return service.appendix_versions.filter(valid_to__isnull=True).order_by("-number").first()


def record_appendix(user: Actor, service: Service) -> AppendixVersion:
    """Open a new version when the lists changed; return the version now in force."""
    fields, endpoints = appendix_snapshot(service)
    latest = (
        AppendixVersion.objects.select_for_update()
        .filter(service=service)
        .order_by("-number")
        .first()
    )
    in_force = latest if latest is not None and latest.valid_to is None else None
    if in_force is not None and (in_force.shared_fields, in_force.endpoints) == (fields, endpoints):
        return in_force
    now = timezone.now()
    if in_force is not None:
        in_force.valid_to = now
        in_force.save(update_fields=["valid_to"])
    version = AppendixVersion.objects.create(
        service=service,
        number=(latest.number + 1) if latest else 1,
        valid_from=now,
        shared_fields=fields,
        endpoints=endpoints,
        created_by=signed_in_user(user),
    )
    commit_event(
        Event.APPENDIX_VERSION_CREATED,
        version,
        user,
        service=str(service.identifier),
        number=version.number,
    )
    return version
