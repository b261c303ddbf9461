"""Catalog test helpers: a Tunduk operator, participants with subsystems, CSRs, OpenAPI text."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric import ec

from tests.factories import EmployeeFactory, OperatorFactory, UserFactory, make_registered
from tunduk.accounts.choices import Role
from tunduk.catalog.models import Participant, Subsystem
from tunduk.catalog.services import participants, systems
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


class TundukOperatorFactory(UserFactory):
    role = Role.TUNDUK_OPERATOR


def make_participant(tunduk_operator, code: str = "70000001") -> tuple[Participant, object]:
    """A participant and one of its engineers (an employee of its subject)."""
    engineer = EmployeeFactory()
    participant = participants.register_participant(tunduk_operator, engineer.subject, "GOV", code)
    return participant, engineer


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
