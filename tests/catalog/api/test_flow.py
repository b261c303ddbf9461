"""The Catalog over the API: participants, subsystems, services, access, gateways, notices."""

from __future__ import annotations

import pytest
from django.core import mail

from tests.factories import (
    OPENAPI_OBJECT,
    OPENAPI_YAML,
    SHARED_FIELDS,
    EmployeeFactory,
    TundukOperatorFactory,
    catalog_world,
    csr_for,
    record_connection_agreement,
    registered_system,
)
from tunduk.catalog.models import Participant

pytestmark = pytest.mark.django_db


def _register(operator_api, subject_id: int, code: str) -> dict:
    response = operator_api.post(
        "/catalog/participants",
        {"subject": subject_id, "member_class": "GOV", "member_code": code},
    )
    assert response.status_code == 201, response.json()
    return response.json()


def _subsystem(engineer_api, engineer, participant_id: int, code: str) -> dict:
    element = registered_system(engineer, f"System {code}")
    response = engineer_api.post(
        "/catalog/subsystems",
        {
            "participant": participant_id,
            "subsystem_code": code,
            "name": f"System {code}",
            "element": element.pk,
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["element"] == element.pk
    return response.json()


def test_owner_describes_a_service_and_grants_the_requested_access(api_as, public_api):
    """003 §3.1.1, §3.2.2, §3.2.8: registered, described, requested, granted and listed over the API."""
    operator_user = TundukOperatorFactory()
    operator = api_as(operator_user)
    owner_engineer, client_engineer = EmployeeFactory(), EmployeeFactory()
    owner, client = api_as(owner_engineer), api_as(client_engineer)

    provider = _register(operator, owner_engineer.subject_id, "70000001")
    consumer = _register(operator, client_engineer.subject_id, "70000002")
    assert provider["identifier"] == "KG/GOV/70000001"
    assert provider["subject_name"] == owner_engineer.subject.name
    assert provider["status"] == "registered"  # 003 §2.1: active once the agreement is in force
    for registered in (provider, consumer):
        record_connection_agreement(operator_user, Participant.objects.get(pk=registered["id"]))
        shown = operator.get(f"/catalog/participants/{registered['id']}").json()
        assert shown["status"] == "active"

    births = _subsystem(owner, owner_engineer, provider["id"], "births")
    assert births["identifier"] == "KG/GOV/70000001/births"
    described = owner.post(
        "/catalog/services",
        {
            "subsystem": births["id"],
            "service_code": "birth-records",
            "title": "Birth records",
            "backend_url": "https://births.internal/api",
            "openapi_document": OPENAPI_YAML,
            "shared_fields": SHARED_FIELDS,
        },
    )
    assert described.status_code == 201, described.json()
    service = described.json()
    assert service["identifier"] == "KG/GOV/70000001/births/birth-records"
    assert service["service_type"] == "OPENAPI"
    assert [(e["method"], e["path"]) for e in service["endpoints"]] == [
        ("POST", "/births"),
        ("GET", "/births/*"),
    ]
    assert [field["name"] for field in service["shared_fields"]] == ["child_name", "birth_date"]
    assert service["openapi_document"]["info"]["title"] == "Births"

    benefits = _subsystem(client, client_engineer, consumer["id"], "benefits")
    asked = client.post(
        "/catalog/access-requests",
        {"client": benefits["id"], "service": service["id"], "purpose": "Child benefits"},
    )
    assert asked.status_code == 201, asked.json()
    assert asked.json()["status"] == "pending"
    assert asked.json()["client_identifier"] == "KG/GOV/70000002/benefits"

    pending = owner.get("/catalog/access-requests", status="pending").json()
    assert [item["id"] for item in pending["items"]] == [asked.json()["id"]]
    decided = owner.post(
        f"/catalog/access-requests/{asked.json()['id']}/decision",
        {"grant": True, "comment": "Agreed under the agreement"},
    )
    assert decided.status_code == 200, decided.json()
    assert decided.json()["status"] == "granted"

    for caller in (owner, client, operator):
        grants = caller.get("/catalog/grants", active=True).json()
        assert grants["count"] == 1
        grant = grants["items"][0]
        assert grant["service_identifier"] == service["identifier"]
        assert grant["client_identifier"] == benefits["identifier"]
        assert grant["access_request"] == asked.json()["id"]
        assert grant["active"] is True

    listed = public_api.get("/catalog/services", q="birth", participant=provider["id"]).json()
    assert [item["identifier"] for item in listed["items"]] == [service["identifier"]]


def test_owner_changes_a_service_with_an_openapi_object_and_revokes_a_grant(api_as):
    """003 §3.2.2, §3.2.8: the owner keeps the description current and answers for access."""
    world = catalog_world()
    owner = api_as(world.provider_engineer)

    changed = owner.client.put(
        f"/api/catalog/services/{world.service.pk}",
        {
            "title": "Birth records (v2)",
            "backend_url": "https://births.internal/v2",
            "openapi_document": OPENAPI_OBJECT,
            "shared_fields": [{"name": "pin", "personal_data": True}],
        },
        content_type="application/json",
        headers={"Authorization": f"Bearer {owner.token}"},
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["title"] == "Birth records (v2)"
    assert [e["path"] for e in changed.json()["endpoints"]] == ["/benefits/*"]
    assert changed.json()["shared_fields"] == [
        {"name": "pin", "description": "", "personal_data": True}
    ]

    granted = owner.post(
        "/catalog/grants", {"service": world.service.pk, "client": world.consumer_subsystem.pk}
    )
    assert granted.status_code == 201, granted.json()
    revoked = owner.post(
        f"/catalog/grants/{granted.json()['id']}/revoke", {"reason": "Agreement ended"}
    )
    assert revoked.status_code == 200, revoked.json()
    assert revoked.json()["active"] is False
    assert revoked.json()["revocation_reason"] == "Agreement ended"
    assert api_as(world.consumer_engineer).get("/catalog/grants", active=True).json()["count"] == 0


def test_operator_keeps_groups_and_owner_grants_a_group(api_as, public_api):
    """004: a grant to a global group covers its members; the operator keeps the groups."""
    world = catalog_world()
    operator = api_as(world.tunduk_operator)
    group = operator.post("/catalog/groups", {"code": "social", "description": "Social services"})
    assert group.status_code == 201, group.json()
    assert group.json()["identifier"] == "KG/social"
    joined = operator.post(
        f"/catalog/groups/{group.json()['id']}/members",
        {"subsystem": world.consumer_subsystem.pk, "member": True},
    )
    assert [m["identifier"] for m in joined.json()["members"]] == ["KG/GOV/70000002/benefits"]

    granted = api_as(world.provider_engineer).post(
        "/catalog/grants", {"service": world.service.pk, "group": group.json()["id"]}
    )
    assert granted.status_code == 201, granted.json()
    assert granted.json()["group_identifier"] == "KG/social"
    assert api_as(world.consumer_engineer).get("/catalog/grants").json()["count"] == 1
    assert public_api.get("/catalog/groups").json()["items"][0]["members"]


def test_gateway_and_certificates_are_requested_by_csr_and_issued(api_as):
    """003 §3.2.1: the gateway is registered with its CSR; the operator issues, refuses, revokes."""
    world = catalog_world()
    engineer, operator = api_as(world.provider_engineer), api_as(world.tunduk_operator)
    registered = engineer.post(
        "/catalog/gateways",
        {
            "participant": world.provider.pk,
            "server_code": "gw1",
            "address": "gw1.births.gov.kg:8443",
            "auth_csr_pem": csr_for(world.provider, server_code="gw1"),
        },
    )
    assert registered.status_code == 201, registered.json()
    gateway = registered.json()
    assert (gateway["identifier"], gateway["status"]) == ("KG/GOV/70000001/gw1", "requested")

    approved = operator.post(f"/catalog/gateways/{gateway['id']}/decision", {"approve": True})
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == "approved"
    (auth,) = engineer.get("/catalog/certificates", gateway=gateway["id"]).json()["items"]
    assert (auth["profile"], auth["status"]) == ("authentication", "issued")
    assert auth["certificate_pem"].startswith("-----BEGIN CERTIFICATE-----")
    assert auth["serial_number"]

    signing = engineer.post(
        "/catalog/certificates",
        {
            "participant": world.provider.pk,
            "profile": "signing",
            "csr_pem": csr_for(world.provider),
        },
    )
    assert signing.status_code == 201, signing.json()
    issued = operator.post(f"/catalog/certificates/{signing.json()['id']}/issue")
    assert issued.json()["status"] == "issued"
    revoked = operator.post(
        f"/catalog/certificates/{signing.json()['id']}/revoke", {"reason": "Key compromised"}
    )
    assert (revoked.json()["status"], revoked.json()["revocation_reason"]) == (
        "revoked",
        "Key compromised",
    )

    again = engineer.post(
        "/catalog/certificates",
        {
            "participant": world.provider.pk,
            "profile": "signing",
            "csr_pem": csr_for(world.provider),
        },
    )
    refused = operator.post(
        f"/catalog/certificates/{again.json()['id']}/refuse", {"reason": "Use the new key"}
    )
    assert refused.json()["status"] == "refused"
    # An issued certificate can only be revoked once: a clear 409, not a silent success.
    twice = operator.post(
        f"/catalog/certificates/{signing.json()['id']}/revoke", {"reason": "again"}
    )
    assert twice.status_code == 409
    assert twice.json()["code"] == "invalid_state"


def test_participant_reports_maintenance_to_the_operator(
    api_as, public_api, django_capture_on_commit_callbacks
):
    """003 §3.2.13: the report reaches the operator at once and is listed without the reporter."""
    world = catalog_world()
    world.tunduk_operator.email = "operator@tunduk.kg"
    world.tunduk_operator.save()
    with django_capture_on_commit_callbacks(execute=True):
        reported = api_as(world.provider_engineer).post(
            "/catalog/notices",
            {
                "participant": world.provider.pk,
                "subsystem": world.provider_subsystem.pk,
                "kind": "maintenance",
                "title": "Database upgrade",
                "description": "Births unavailable for two hours",
                "starts_at": "2030-05-01T22:00:00+06:00",
                "ends_at": "2030-05-02T00:00:00",
            },
        )
    assert reported.status_code == 201, reported.json()
    assert reported.json()["subsystem_identifier"] == "KG/GOV/70000001/births"
    # A time without an offset is local time (Asia/Bishkek).
    assert reported.json()["ends_at"].startswith("2030-05-01T18:00:00")
    assert [message.to for message in mail.outbox] == [["operator@tunduk.kg"]]

    (listed,) = public_api.get("/catalog/notices", kind="maintenance").json()["items"]
    assert listed["title"] == "Database upgrade"
    assert "reported_by" not in listed


def test_operator_suspends_and_the_participant_leaves_with_reasons(api_as):
    """003 §4: both sides give notice with reasons; the history is kept."""
    world = catalog_world()
    operator = api_as(world.tunduk_operator)
    suspended = operator.post(
        f"/catalog/participants/{world.consumer.pk}/status-changes",
        {"kind": "suspend", "reason": "Violated the agreement", "security_incident": True},
    )
    assert suspended.status_code == 201, suspended.json()
    assert suspended.json()["applied_at"] is not None
    assert suspended.json()["security_incident"] is True
    assert Participant.objects.get(pk=world.consumer.pk).status == "suspended"

    left = api_as(world.consumer_engineer).post(
        f"/catalog/participants/{world.consumer.pk}/status-changes",
        {"kind": "leave", "reason": "System under attack", "effective_at": "2099-01-01T00:00:00"},
    )
    assert left.status_code == 201, left.json()
    assert left.json()["applied_at"] is None  # notice now, effect later
    history = operator.get(f"/catalog/participants/{world.consumer.pk}").json()["status_changes"]
    assert [change["kind"] for change in history] == ["leave", "suspend", "activate"]
