"""Property-based fuzzing of every API operation with schemathesis: no 5xx, responses match the schema."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import (
    OPENAPI_YAML,
    SHARED_FIELDS,
    TundukOperatorFactory,
    csr_for,
    make_element,
    make_participant,
    make_registered,
    make_subsystem,
    pdf,
)
from tunduk.accounts.tokens import ApiToken
from tunduk.catalog.services import access, agreements, gateways, notices, participants, systems
from tunduk.registry import services
from tunduk.registry.models import AccessApplication

# Bounded so the whole run stays well under a minute on two cores.
MAX_EXAMPLES = 10
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@contextmanager
def _keep_test_connection() -> Iterator[None]:
    """Serve WSGI requests inside the test's transaction, as Django's test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _seed(employee: Any, operator: Any, authorised_body: Any) -> dict[str, int]:
    """One object of each kind, so fixed-id runs reach the code behind the 404s."""
    registered = make_registered(employee, operator)
    draft = make_element(employee, complete=False)
    submission = services.submit_element(employee, make_element(employee))
    notice = services.notify_decommissioning(
        employee,
        make_registered(employee, operator, full_name="Second system"),
        decision_date=timezone.localdate(registered.registered_at),
        decision_reference="No. 7",
        decision_copy=pdf("decision.pdf"),
    )
    question = services.ask(authorised_body, registered, "How many users?")
    application = services.submit_application(
        registered.subject,
        {
            "subject_address": "Bishkek",
            "element_full_name": "New system",
            "element_short_name": "NS",
            "element_type": "software",
            "employee_full_name": "C. Chynybaev",
            "employee_position": "Engineer",
            "employee_email": "c.chynybaev@gov.kg",
            "appointment_decision": "Order No. 5",
        },
    )
    assert AccessApplication.objects.filter(pk=application.pk).exists()
    return {
        "element_id": registered.pk,
        "subject_id": registered.subject_id,
        "submission_id": submission.pk,
        "notice_id": notice.pk,
        "request_id": question.pk,
        "application_id": application.pk,
        "draft_id": draft.pk,
    }


def _seed_catalog(employee: Any, tunduk_operator: Any) -> dict[str, int]:
    """The Catalog's objects: ``employee``'s subject provides a service that another
    participant asked for and was granted, with a group, a gateway and a certificate."""
    provider = participants.register_participant(
        tunduk_operator, employee.subject, "GOV", "70000001"
    )
    service = systems.save_service(
        employee,
        make_subsystem(provider, employee, "births"),
        service_code="birth-records",
        title="Birth records",
        backend_url="https://births.internal/api",
        openapi_text=OPENAPI_YAML,
        shared_fields=SHARED_FIELDS,
    )
    consumer, engineer = make_participant(tunduk_operator, "70000002")
    client = make_subsystem(consumer, engineer, "benefits")
    request = access.request_access(engineer, client, service, "Child benefits")
    grant = access.grant_access(employee, service, client=client)
    group = access.create_group(tunduk_operator, provider.instance, "social", "Social services")
    gateway = gateways.register_gateway(
        employee, provider, "gw1", "gw1.births.gov.kg", csr_for(provider, server_code="gw1")
    )
    certificate = gateways.request_certificate(employee, provider, "signing", csr_for(provider))
    notices.report_notice(
        employee,
        provider,
        kind="maintenance",
        title="Upgrade",
        description="Two hours",
        starts_at=service.created_at,
    )
    agreement = agreements.record_agreement(
        tunduk_operator,
        provider,
        kind="connection",
        number="T-1",
        signed_on=service.created_at.date(),
        document_upload=pdf("signed.pdf"),
    )
    return {
        "agreement_id": agreement.pk,
        "participant_id": provider.pk,
        "service_id": service.pk,
        "access_request_id": request.pk,
        "grant_id": grant.pk,
        "group_id": group.pk,
        "gateway_id": gateway.pk,
        "certificate_id": certificate.pk,
    }


def _fuzz(
    operation: Any,
    headers: dict[str, str],
    path_parameters: dict[str, int],
    mode: GenerationMode = GenerationMode.POSITIVE,
) -> None:
    fixed = {name: value for name, value in path_parameters.items() if name in operation.path}

    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(mode, path_parameters=fixed or None))
    def run(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


@pytest.mark.django_db
def test_every_operation_survives_fuzzing(employee, operator, authorised_body):
    """API contract: no operation answers generated input with a 5xx or an undocumented response."""
    tunduk_operator = TundukOperatorFactory()
    ids = {
        **_seed(employee, operator, authorised_body),
        **_seed_catalog(employee, tunduk_operator),
    }
    with _keep_test_connection():  # loading the schema is a WSGI request too
        schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    callers = {
        user.role: {"Authorization": f"Bearer {ApiToken.issue(user, name='fuzz')[1]}"}
        for user in (employee, operator, authorised_body, tunduk_operator)
    }
    callers["public"] = {}
    failures: list[str] = []
    with _keep_test_connection():
        operations = [result.ok() for result in schema.get_all_operations()]
        for operation in operations:
            runs = [
                (role, headers, path_parameters, GenerationMode.POSITIVE)
                for role, headers in callers.items()
                for path_parameters in ({}, ids)
                # The Tunduk operator acts only in the Catalog; elsewhere it is just another 403.
                if role != "tunduk_operator" or "/catalog/" in operation.path
            ]
            # Invalid input (wrong types, missing fields) must give documented 4xx, never 5xx.
            runs.append(
                ("subject_employee", callers["subject_employee"], ids, GenerationMode.NEGATIVE)
            )
            for role, headers, path_parameters, mode in runs:
                try:
                    _fuzz(operation, headers, path_parameters, mode)
                except Exception as error:  # collect all operations' failures, then fail once
                    failures.append(f"{operation.label} as {role} ({mode.value}): {error}")
    assert len(operations) >= 30
    assert not failures, "\n\n".join(failures)
