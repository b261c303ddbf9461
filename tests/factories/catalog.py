"""The Catalog's test data: participants with subsystems, CSRs, OpenAPI text, and a small
exchange (``catalog_world``) of a provider and a consumer, built through the services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec
from django.utils import timezone

from tests.factories.accounts import EmployeeFactory, OperatorFactory, TundukOperatorFactory
from tests.factories.registry import make_registered, pdf
from tunduk.catalog.choices import AgreementKind
from tunduk.catalog.models import Participant, Service, Subsystem
from tunduk.catalog.services import agreements, participants, systems
from tunduk.trust.csr import make_csr

OPENAPI_YAML = """
openapi: 3.0.3
info: {title: Births, version: "1"}
paths:
  /births/{id}:
    get:
      summary: One birth record
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: found}}
  /births:
    post:
      responses: {"201": {description: created}}
"""
SHARED_FIELDS = [
    {"name": "child_name", "description": "Full name of the child", "personal_data": True},
    {"name": "birth_date", "description": "Date of birth"},
]


def make_participant(
    tunduk_operator, code: str = "70000001", *, connected: bool = True
) -> tuple[Participant, object]:
    """A participant and one of its engineers (an employee of its subject); ``connected``:
    its connection agreement is recorded, so it is active (003 §2.1)."""
    engineer = EmployeeFactory()
    participant = participants.register_participant(tunduk_operator, engineer.subject, "GOV", code)
    if connected:
        record_connection_agreement(tunduk_operator, participant)
        participant.refresh_from_db()
    return participant, engineer


def record_connection_agreement(tunduk_operator, participant: Participant, number: str = "T-1"):
    """The operator records ``participant``'s signed connection agreement (003 §2.1)."""
    return agreements.record_agreement(
        tunduk_operator,
        participant,
        kind=AgreementKind.CONNECTION,
        number=number,
        signed_on=timezone.localdate(),
        document_upload=pdf(f"agreement-{number}.pdf"),
    )


def make_subsystem(participant: Participant, engineer, code: str = "births") -> Subsystem:
    """A subsystem linked to a freshly registered information-system element."""
    element = make_registered(engineer, OperatorFactory(), full_name=f"System {code}")
    return systems.register_subsystem(engineer, participant, code, f"System {code}", element)


def csr_for(participant: Participant, *, server_code: str | None = None, key=None) -> str:
    """A CSR whose subject follows the convention of ``tunduk.trust.csr``."""
    key = key or ec.generate_private_key(ec.SECP256R1())
    attributes = {
        "C": participant.instance,
        "O": participant.member_class,
        "serialNumber": f"{participant.member_class}/{participant.member_code}",
        "CN": server_code or participant.member_code,
    }
    return make_csr(key, attributes).decode()


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
