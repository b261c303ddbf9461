"""Build the demo registry through the real services, travelling back in time where needed.

Every row is created by the same services users call, so deadlines, versions, audit
events and journal leaves are all real; ``_at`` only moves the clock the services read.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from tunduk.accounts.choices import Role
from tunduk.accounts.models import User
from tunduk.registry import services
from tunduk.registry.choices import DocumentKind, RefusalGround
from tunduk.registry.demo.catalogue import ELEMENTS, EMPLOYEES, SUBJECTS, ElementRow
from tunduk.registry.demo.kyrgyz import in_kyrgyz
from tunduk.registry.models import DecommissioningNotice, Element, Subject

DEMO_PASSWORD = "tunduk-demo-2026"  # printed by `make run`; demo databases only
STAFF = [
    ("operator@demo.gov.kg", "Ниязова Асель Бакытовна", "Оператор Реестра", Role.OPERATOR),
    (
        "authorised@demo.gov.kg",
        "Токтосунов Марат Алмазович",
        "Уполномоченный орган",
        Role.AUTHORISED_BODY,
    ),
]
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@contextlib.contextmanager
def _at(moment: datetime) -> Iterator[None]:
    """Make the services see ``moment`` as now (auto timestamps included)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _user(username: str, full_name: str, position: str, role: str, subject: Subject | None) -> User:
    user = User.objects.create_user(
        username=username,
        email=username,
        password=DEMO_PASSWORD,
        full_name=full_name,
        position=position,
        role=role,
        subject=subject,
    )
    return user


def _record(
    row: ElementRow, subject: Subject
) -> tuple[dict[str, Any], dict[str, list[dict[str, str]]]]:
    _key, full_name, short_name, element_type, purpose, developer, users, financing, software = row
    data = {
        "full_name": in_kyrgyz(full_name),
        "full_name_ru": full_name,
        "short_name": short_name,
        "element_type": element_type,
        "operated_by_owner": True,
        "purpose": purpose,
        "legal_acts": "Постановление Правительства КР от 11 апреля 2018 года № 200",
        "responsible_unit": "Отдел информационных технологий",
        "responsible_officials": "Начальник отдела ИТ; системный администратор",
        "architecture": "Трёхуровневая веб-архитектура: клиент, сервер приложений, СУБД",
        "location": f"{subject.address}, серверная",
        "location_responsible": "Отдел ИТ",
        "developer": developer,
        "user_count": users,
        "financing_source": financing,
        "commissioning_act_reference": "Акт ввода в эксплуатацию № 1",
    }
    lists = {
        "software": [{"name": name} for name in software],
        "resources": [{"full_name": f"База данных «{short_name}»"}],
        "interactions": [{"resource_name": "Регистр населения", "system_name": "ЕСИ"}],
        "services": [
            {
                "name": f"Предоставление сведений из «{short_name}»",
                "recipients": "Государственные органы через «Түндүк»",
            }
        ],
    }
    return data, lists


def _complete(employee: User, subject: Subject, row: ElementRow) -> Element:
    data, lists = _record(row, subject)
    element = services.create_element(employee, subject, data, lists)
    services.attach_document(
        employee, element, DocumentKind.TECHNICAL, _pdf("tz.pdf"), "Техническое задание"
    )
    services.attach_document(
        employee,
        element,
        DocumentKind.COMMISSIONING_ACT,
        _pdf("act.pdf"),
        "Акт ввода в эксплуатацию",
    )
    return element


def _registered(
    employee: User, operator: User, subject: Subject, row: ElementRow, when: datetime
) -> Element:
    with _at(when):
        element = _complete(employee, subject, row)
        services.register(operator, services.submit_element(employee, element))
    return element


@transaction.atomic
def load_demo() -> bool:
    """Load the demo once; returns False when the database already holds subjects."""
    if Subject.objects.exists():
        return False
    now = timezone.now()
    subjects: dict[str, Subject] = {}
    for key, name, short, kind, parent, address, head in SUBJECTS:
        subjects[key] = Subject.objects.create(
            name=in_kyrgyz(name),
            name_ru=name,
            short_name=short,
            kind=kind,
            parent=subjects.get(parent) if parent else None,
            address=address,
            head_name=head,
        )
    operator, body = (_user(u, n, p, r, None) for u, n, p, r in STAFF)
    employees = {
        key: _user(login, name, pos, Role.SUBJECT_EMPLOYEE, subjects[key])
        for key, login, name, pos in EMPLOYEES
    }
    rows = list(ELEMENTS)
    long_ago = now - timedelta(days=400)
    registered = [
        _registered(
            employees[row[0]], operator, subjects[row[0]], row, long_ago + timedelta(days=i)
        )
        for i, row in enumerate(rows[:11])
    ]
    _states(rows[11:], registered, subjects, employees, operator, body, now)
    _applications(subjects, body, operator, now)
    services.ask(
        body, registered[0], "Сообщите количество запросов к системе через «Түндүк» за 2026 год."
    )
    return True


def _states(
    rows: list[ElementRow],
    registered: list[Element],
    subjects: dict[str, Subject],
    employees: dict[str, User],
    operator: User,
    body: User,
    now: datetime,
) -> None:
    """One element in each remaining life-cycle state, some of them overdue."""
    draft_row, submitted_row, overdue_row, refused_row, fresh_row, late_row = rows[:6]
    e = employees
    # Draft, incomplete: the guided form shows what is missing.
    services.create_element(
        e[draft_row[0]],
        subjects[draft_row[0]],
        {
            "full_name": in_kyrgyz(draft_row[1]),
            "full_name_ru": draft_row[1],
            "short_name": draft_row[2],
        },
    )
    # Submitted today, and one submitted three weeks ago whose review is overdue.
    _complete_and_submit(e[submitted_row[0]], subjects[submitted_row[0]], submitted_row, now)
    _complete_and_submit(
        e[overdue_row[0]], subjects[overdue_row[0]], overdue_row, now - timedelta(days=21)
    )
    # Refused as incomplete.
    with _at(now - timedelta(days=30)):
        employee = e[refused_row[0]]
        element = services.create_element(
            employee,
            subjects[refused_row[0]],
            {
                "full_name": in_kyrgyz(refused_row[1]),
                "full_name_ru": refused_row[1],
                "short_name": refused_row[2],
                "element_type": refused_row[3],
            },
        )
        submission = services.submit_element(employee, element, allow_incomplete=True)
        services.refuse(
            operator,
            submission,
            RefusalGround.INCOMPLETE,
            "Не приложены технические документы и акт ввода в эксплуатацию.",
        )
    # A registered element with a change under review (000 §24).
    changed = registered[1]
    owner = _owner(e, changed)
    services.update_element(owner, changed, {"user_count": 900})
    services.submit_element(owner, changed)
    # A change refused as incomplete: the developer was erased by mistake.
    refused_change = registered[5]
    owner = _owner(e, refused_change)
    with _at(now - timedelta(days=8)):
        services.update_element(owner, refused_change, {"developer": ""})
        submission = services.submit_element(owner, refused_change, allow_incomplete=True)
        services.refuse(
            operator, submission, RefusalGround.INCOMPLETE, "Не указан разработчик (поле 14)."
        )
    # Decommissioning in each state (000 §27–29).
    notified, agreed, done = registered[2], registered[3], registered[4]
    _notify(_owner(e, notified), notified, now - timedelta(days=12))  # late notice
    notice = _notify(_owner(e, agreed), agreed, now - timedelta(days=2))
    services.decide_decommissioning(body, notice, agree=True, comment="Согласовано.")
    with _at(now - timedelta(days=60)):
        notice = _notify(_owner(e, done), done, now - timedelta(days=61))
        services.decide_decommissioning(body, notice, agree=True)
        services.record_decommissioning(operator, notice)
    _registered(
        e[fresh_row[0]], operator, subjects[fresh_row[0]], fresh_row, now - timedelta(days=3)
    )
    _registered(e[late_row[0]], operator, subjects[late_row[0]], late_row, now - timedelta(days=90))


def _owner(employees: dict[str, User], element: Element) -> User:
    return next(user for user in employees.values() if user.subject_id == element.subject_id)


def _complete_and_submit(employee: User, subject: Subject, row: ElementRow, when: datetime) -> None:
    with _at(when):
        services.submit_element(employee, _complete(employee, subject, row))


def _notify(employee: User, element: Element, decided: datetime) -> DecommissioningNotice:
    return services.notify_decommissioning(
        employee,
        element,
        decision_date=timezone.localtime(decided).date(),
        decision_reference="Приказ № 45-о",
        decision_copy=_pdf("decision.pdf"),
        reason="Система заменена новой версией.",
    )


def _applications(subjects: dict[str, Subject], body: User, operator: User, now: datetime) -> None:
    """Access applications: one overdue for forwarding, one forwarded, one granted."""
    base = {
        "element_type": "information_system",
        "employee_position": "Специалист по ИТ",
        "appointment_decision": "Приказ о назначении ответственного № 12",
    }
    plans = [
        ("karakol", "overdue", now - timedelta(days=6)),
        ("osh", "forwarded", now - timedelta(days=1)),
        ("minedu", "received", now),
    ]
    for key, state, when in plans:
        subject = subjects[key]
        with _at(when):
            application = services.submit_application(
                subject,
                {
                    **base,
                    "subject_address": subject.address,
                    "element_full_name": f"Портал государственных услуг ({subject.short_name})",
                    "element_short_name": "Портал",
                    "employee_full_name": "Сатыбалдиев Эмил",
                    "employee_email": f"new.{key}@demo.gov.kg",
                },
            )
        if state == "forwarded":
            services.forward_application(body, application)
