"""Catalog objects for the API tests: a Tunduk operator, a provider with a described
service and a consumer, built through the services (the Catalog's own factories)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.catalog.factories import (
    OPENAPI_YAML,
    SHARED_FIELDS,
    TundukOperatorFactory,
    csr_for,
    make_participant,
    make_subsystem,
)
from tests.factories import OperatorFactory, make_registered
from tunduk.catalog.models import Participant, Service, Subsystem
from tunduk.catalog.services import systems

__all__ = [
    "OPENAPI_YAML",
    "SHARED_FIELDS",
    "CatalogWorld",
    "TundukOperatorFactory",
    "catalog_world",
    "csr_for",
    "registered_system",
]

OPENAPI_OBJECT: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Benefits", "version": "1"},
    "paths": {
        "/benefits/{pin}": {
            "get": {
                "summary": "Benefits of a person",
                "parameters": [
                    {"name": "pin", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {"200": {"description": "found"}},
            }
        }
    },
}


@dataclass(frozen=True)
class CatalogWorld:
    """Two participants of the exchange, each with an engineer and a subsystem; the
    provider's subsystem describes ``service``."""

    tunduk_operator: Any
    provider: Participant
    provider_engineer: Any
    provider_subsystem: Subsystem
    consumer: Participant
    consumer_engineer: Any
    consumer_subsystem: Subsystem
    service: Service


def registered_system(engineer: Any, name: str) -> Any:
    """An information-system element of ``engineer``'s subject, registered in the Registry."""
    return make_registered(engineer, OperatorFactory(), full_name=name)


def catalog_world() -> CatalogWorld:
    """A provider with the service ``birth-records`` and a consumer without access yet."""
    tunduk_operator = TundukOperatorFactory()
    provider, provider_engineer = make_participant(tunduk_operator, "70000001")
    provider_subsystem = make_subsystem(provider, provider_engineer, "births")
    consumer, consumer_engineer = make_participant(tunduk_operator, "70000002")
    consumer_subsystem = make_subsystem(consumer, consumer_engineer, "benefits")
    service = systems.save_service(
        provider_engineer,
        provider_subsystem,
        service_code="birth-records",
        title="Birth records",
        backend_url="https://births.internal/api",
        openapi_text=OPENAPI_YAML,
        shared_fields=SHARED_FIELDS,
    )
    return CatalogWorld(
        tunduk_operator,
        provider,
        provider_engineer,
        provider_subsystem,
        consumer,
        consumer_engineer,
        consumer_subsystem,
        service,
    )
