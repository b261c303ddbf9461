"""Subsystems and their services, with endpoints and shared fields (003 §3.2.2, appendix 1)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tunduk import limits
from tunduk.accounts.actors import signed_in_user
from tunduk.catalog import openapi
from tunduk.catalog.choices import ServiceType
from tunduk.catalog.models import Endpoint, Participant, Service, SharedField, Subsystem
from tunduk.catalog.services import _tell
from tunduk.catalog.services._common import (
    commit_event,
    configuration_changed,
    require_active,
    require_member_of,
    service,
)
from tunduk.core.actors import Actor
from tunduk.core.audit import Event
from tunduk.core.errors import InvalidInput, clean_or_raise
from tunduk.identifiers import RESERVED_SERVICE_CODES, IdentifierError, check_part
from tunduk.registry.choices import ElementStatus, ElementType
from tunduk.registry.lifecycle import PUBLIC_STATUSES
from tunduk.registry.models import Element


def _code(value: str, field: str, label: str) -> str:
    try:
        return check_part(value, label)
    except IdentifierError as error:
        raise InvalidInput(str(error), field=field) from error


@service
def register_subsystem(
    user: Actor, participant: Participant, subsystem_code: str, name: str, element: Element
) -> Subsystem:
    """Register an information system as a subsystem, linked to its Registry element."""
    require_member_of(user, participant, action="register_subsystem")
    require_active(user, participant, action="register_subsystem")
    _code(subsystem_code, "subsystem_code", "subsystem code")
    if element.subject_id != participant.subject_id:
        raise InvalidInput(_("The Registry element belongs to another subject."), field="element")
    if element.element_type != ElementType.INFORMATION_SYSTEM:
        raise InvalidInput(
            _("Only an element of type “information system” joins the exchange as a subsystem."),
            field="element",
        )
    if element.status not in PUBLIC_STATUSES or element.status == ElementStatus.DECOMMISSIONED:
        raise InvalidInput(
            _("The element must be registered in the Registry and in operation (000 §11)."),
            field="element",
        )
    if Subsystem.objects.filter(element=element).exists():
        raise InvalidInput(_("This element is already a subsystem."), field="element")
    if participant.subsystems.filter(subsystem_code=subsystem_code).exists():
        raise InvalidInput(
            _("The subsystem code %(code)s is already used by this participant.")
            % {"code": subsystem_code},
            field="subsystem_code",
        )
    if not name.strip():
        raise InvalidInput(_("Give the subsystem a name."), field="name")
    subsystem = Subsystem.objects.create(
        participant=participant,
        subsystem_code=subsystem_code,
        name=name.strip(),
        element=element,
        created_by=signed_in_user(user),
    )
    commit_event(
        Event.SUBSYSTEM_REGISTERED,
        subsystem,
        user,
        identifier=str(subsystem.identifier),
        element=element.pk,
    )
    configuration_changed()
    _tell.subsystem_registered(subsystem)
    return subsystem


def _require_in_operation(subsystem: Subsystem) -> None:
    """A decommissioned system stays readable but serves nothing any more (000 §29)."""
    if not subsystem.in_operation:
        raise InvalidInput(
            _(
                "%(subsystem)s was decommissioned in the Registry; it cannot describe services "
                "any more (000 §29)."
            )
            % {"subsystem": subsystem.identifier},
            field="subsystem",
        )


def _replace_shared_fields(service_obj: Service, fields: Sequence[Mapping[str, Any]]) -> None:
    if not fields:
        raise InvalidInput(
            _(
                "List the fields this service makes available to other participants (003 appendix 1)."
            ),
            field="shared_fields",
        )
    if len(fields) > limits.SHARED_FIELDS:
        raise InvalidInput(
            ngettext(
                "A service may share at most %(limit)d field; %(count)d were sent.",
                "A service may share at most %(limit)d fields; %(count)d were sent.",
                limits.SHARED_FIELDS,
            )
            % {"limit": limits.SHARED_FIELDS, "count": len(fields)},
            field="shared_fields",
            limit=limits.SHARED_FIELDS,
        )
    items = []
    for position, row in enumerate(fields):
        item = SharedField(service=service_obj, position=position, **dict(row))
        clean_or_raise(item, exclude=["service"], where=("shared_fields", position))
        items.append(item)
    # Every row is valid: replace the old ones in two statements, not one per row.
    service_obj.shared_fields.all().delete()
    SharedField.objects.bulk_create(items)


def _sync_endpoints(service_obj: Service, specs: list[openapi.EndpointSpec]) -> None:
    """Make the endpoints match the document; endpoints with grants are kept."""
    if len(specs) > limits.SERVICE_ENDPOINTS:
        raise InvalidInput(
            ngettext(
                "The OpenAPI document declares %(count)d operations; a service may have at most %(limit)d endpoint.",
                "The OpenAPI document declares %(count)d operations; a service may have at most %(limit)d endpoints.",
                limits.SERVICE_ENDPOINTS,
            )
            % {"count": len(specs), "limit": limits.SERVICE_ENDPOINTS},
            field="openapi_document",
            limit=limits.SERVICE_ENDPOINTS,
        )
    limit = Endpoint._meta.get_field("path").max_length or 500
    too_long = next((spec.path for spec in specs if len(spec.path) > limit), None)
    if too_long is not None:
        raise InvalidInput(
            _("The OpenAPI path %(path)s… is longer than %(limit)d characters.")
            % {"path": too_long[:60], "limit": limit},
            field="openapi_document",
        )
    wanted = {(spec.method, spec.path): spec for spec in specs}
    for endpoint in service_obj.endpoints.all():
        if (endpoint.method, endpoint.path) not in wanted and not endpoint.grants.exists():
            endpoint.delete()
    for (method, path), spec in wanted.items():
        Endpoint.objects.update_or_create(
            service=service_obj, method=method, path=path, defaults={"summary": spec.summary}
        )


@service
def save_service(
    user: Actor,
    subsystem: Subsystem,
    *,
    service_code: str,
    title: str,
    backend_url: str,
    openapi_text: str | bytes | None,
    shared_fields: Sequence[Mapping[str, Any]],
    description: str = "",
    title_ru: str = "",
) -> Service:
    """Describe (or update) a REST service of a subsystem in the Catalog (003 §3.2.2).

    ``title`` is in Kyrgyz, the state language, and required; ``title_ru`` in Russian.
    """
    require_member_of(user, subsystem.participant, action="save_service")
    require_active(user, subsystem.participant, action="save_service")
    _require_in_operation(subsystem)
    _code(service_code, "service_code", "service code")
    if service_code in RESERVED_SERVICE_CODES:
        raise InvalidInput(
            _("“%(code)s” is reserved for the metadata services.") % {"code": service_code},
            field="service_code",
        )
    document = openapi.parse_document(openapi_text) if openapi_text else None
    existing = subsystem.services.filter(service_code=service_code).first()
    service_obj = existing or Service(subsystem=subsystem, service_code=service_code)
    service_obj.title = title.strip()
    service_obj.title_ru = title_ru.strip()
    service_obj.description = description.strip()
    service_obj.backend_url = backend_url.strip()
    service_obj.service_type = ServiceType.OPENAPI if document else ServiceType.REST
    service_obj.openapi_document = document
    clean_or_raise(service_obj, exclude=["subsystem", "openapi_document"])
    service_obj.save()
    _replace_shared_fields(service_obj, shared_fields)
    _sync_endpoints(service_obj, openapi.endpoints(document) if document else [])
    event = Event.SERVICE_UPDATED if existing else Event.SERVICE_REGISTERED
    commit_event(event, service_obj, user, identifier=str(service_obj.identifier))
    configuration_changed()
    return service_obj
