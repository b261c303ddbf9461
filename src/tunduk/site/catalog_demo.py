"""Demo data for the Catalog, built on the Registry's demo through the real services.

``tunduk load_demo`` loads the Registry's demo, then this one on its subjects.
"""

from __future__ import annotations

import json
from datetime import timedelta

from cryptography.hazmat.primitives.asymmetric import ec
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from tunduk.accounts.choices import Role
from tunduk.accounts.models import User
from tunduk.catalog.choices import AgreementKind
from tunduk.catalog.models import Participant, Service, Subsystem
from tunduk.catalog.services import access, agreements, gateways, notices, participants, systems
from tunduk.registry.choices import ElementStatus, ElementType
from tunduk.registry.demo.kyrgyz import in_kyrgyz
from tunduk.registry.demo.loader import DEMO_PASSWORD, PDF
from tunduk.registry.models import Element, Subject
from tunduk.trust.csr import make_csr

TUNDUK_OPERATOR = ("tunduk@demo.gov.kg", "Кутнаева Нурия Асылбековна", "Оператор «Түндүк»")
# subject key (demo catalogue) → member code
MEMBERS = {
    "grs": "70000001",
    "sts": "70000002",
    "ehealth": "70000003",
    "socfund": "70000004",
    "bishkek": "70000005",
}
SUBSYSTEM_CODES = {
    "ЕСИ": "population",
    "ИСНА": "salyk",
    "ЭСФ": "e-invoice",
    "ЭМК": "ehr",
    "Э-рецепт": "e-prescription",
    "ГИС Бишкек": "gis",
    "АСПУ": "pension-accounts",
}
SERVICES = {
    "ЕСИ": (
        "person-by-pin",
        "Сведения о лице по ПИН",
        ["ПИН", "ФИО", "Дата рождения", "Адрес регистрации"],
    ),
    "ИСНА": (
        "taxpayer-status",
        "Статус налогоплательщика",
        ["ИНН", "Наименование", "Статус", "Задолженность"],
    ),
    "ЭМК": ("vaccinations", "Сведения о вакцинации", ["ПИН", "Вакцина", "Дата вакцинации"]),
    "АСПУ": ("pension-rights", "Пенсионные права", ["ПИН", "Страховой стаж", "Размер пенсии"]),
}


# A service keyed by a person's PIN gives facts about that person: every field it shares
# (the PIN, the name, the date of birth, the address, vaccinations, pension rights) is
# personal data (Law on personal information); the taxpayer register is about organisations.
PERSON_KEY = "ПИН"


def _personal(fields: list[str]) -> bool:
    return PERSON_KEY in fields


def _openapi(code: str, title: str, fields: list[str]) -> str:
    properties = {
        f"field{i}": {"type": "string", "description": name} for i, name in enumerate(fields)
    }
    return json.dumps(
        {
            "openapi": "3.0.3",
            "info": {"title": title, "version": "1.0"},
            "paths": {
                f"/{code}/{{id}}": {
                    "get": {
                        "summary": title,
                        "parameters": [
                            {
                                "name": "id",
                                "in": "path",
                                "required": True,
                                "schema": {"type": "string"},
                            }
                        ],
                        "responses": {
                            "200": {
                                "description": "OK",
                                "content": {
                                    "application/json": {
                                        "schema": {"type": "object", "properties": properties}
                                    }
                                },
                            }
                        },
                    }
                }
            },
        },
        ensure_ascii=False,
    )


def _csr(participant: Participant, server_code: str | None = None) -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    return make_csr(
        key,
        {
            "C": participant.instance,
            "O": participant.member_class,
            "serialNumber": f"{participant.member_class}/{participant.member_code}",
            "CN": server_code or participant.member_code,
        },
    ).decode()


@transaction.atomic
def load_catalog_demo(subject_keys: dict[str, Subject]) -> bool:
    """Participants, subsystems, services, grants, a gateway, a suspension, a maintenance notice."""
    if Participant.objects.exists():
        return False
    login, name, position = TUNDUK_OPERATOR
    operator = User.objects.create_user(
        username=login,
        email=login,
        password=DEMO_PASSWORD,
        full_name=name,
        position=position,
        role=Role.TUNDUK_OPERATOR,
    )
    members: dict[str, Participant] = {}
    for key, code in MEMBERS.items():
        members[key] = participants.register_participant(operator, subject_keys[key], "GOV", code)
        # 003 §2.1: the signed connection agreement makes the participant active.
        agreements.record_agreement(
            operator,
            members[key],
            kind=AgreementKind.CONNECTION,
            number=f"T-{code}",
            signed_on=timezone.localdate(),
            document_upload=SimpleUploadedFile(
                f"agreement-{code}.pdf", PDF, content_type="application/pdf"
            ),
        )
    subsystems: dict[str, Subsystem] = {}
    services = {}
    for key, participant in members.items():
        engineer = User.objects.filter(
            subject=participant.subject, role=Role.SUBJECT_EMPLOYEE
        ).first()
        if engineer is None:
            raise RuntimeError(f"the demo's subject {participant.subject} has no employee")
        elements = Element.objects.filter(
            subject=participant.subject,
            status=ElementStatus.REGISTERED,
            element_type=ElementType.INFORMATION_SYSTEM,
        )
        for element in elements:
            code = SUBSYSTEM_CODES.get(
                element.short_name, element.registration_code or f"is{element.pk}"
            )
            subsystem = systems.register_subsystem(
                engineer, participant, code, element.short_name, element
            )
            subsystems[element.short_name] = subsystem
            if element.short_name in SERVICES:
                service_code, title, fields = SERVICES[element.short_name]
                services[element.short_name] = systems.save_service(
                    engineer,
                    subsystem,
                    service_code=service_code,
                    title=in_kyrgyz(title),
                    title_ru=title,
                    backend_url=f"https://{service_code}.{key}.internal/api",
                    openapi_text=_openapi(service_code, title, fields),
                    shared_fields=[
                        {"name": field, "description": "", "personal_data": _personal(fields)}
                        for field in fields
                    ],
                )
        gateway = gateways.register_gateway(
            engineer, participant, "ss1", f"ss1.{key}.tunduk.kg:5500", _csr(participant, "ss1")
        )
        gateways.decide_gateway(operator, gateway, approve=True)
    _grants(members, subsystems, services)
    participants.change_status(
        operator,
        members["bishkek"],
        "suspend",
        "Не устранены замечания по кибербезопасности (003 §3.2.15).",
        security_incident=True,
    )
    notices.report_notice(
        operator,
        None,
        kind="maintenance",
        title="Плановые работы на центральном сервере",
        description="Обновление программного обеспечения центрального сервера «Түндүк».",
        starts_at=timezone.now() + timedelta(days=2),
    )
    return True


def _grants(
    members: dict[str, Participant], subsystems: dict[str, Subsystem], services: dict[str, Service]
) -> None:
    """The social fund reads persons and taxpayers; e-health is still waiting for an answer."""

    def engineer_of(participant: Participant) -> User:
        return User.objects.filter(subject=participant.subject, role=Role.SUBJECT_EMPLOYEE).get()

    socfund = subsystems.get("АСПУ")
    ehealth = subsystems.get("ЭМК")
    for client, service_name in ((socfund, "ЕСИ"), (socfund, "ИСНА")):
        service = services.get(service_name)
        if client is None or service is None:
            continue
        request = access.request_access(
            engineer_of(client.participant), client, service, "Назначение и перерасчёт пенсий"
        )
        access.decide_access(engineer_of(service.subsystem.participant), request, grant=True)
    if ehealth is not None and "ЕСИ" in services:
        access.request_access(
            engineer_of(ehealth.participant), ehealth, services["ЕСИ"], "Идентификация пациентов"
        )
