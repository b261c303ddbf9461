"""Refusals of the Catalog API: one error shape, the field named, never a 500."""

from __future__ import annotations

import json

import pytest

from tests.factories import SHARED_FIELDS, EmployeeFactory, catalog_world, registered_system
from tests.hostile_documents import (
    BILLION_LAUGHS,
    SECRET_MARKER,
    document_with_ref,
    loopback_server,
    nested_json,
    secret_file,
)
from tunduk.catalog.models import AccessRequest, Participant
from tunduk.catalog.services import participants

pytestmark = pytest.mark.django_db


def _service_body(subsystem_id: int, **overrides: object) -> dict:
    body = {
        "subsystem": subsystem_id,
        "service_code": "population",
        "title": "Population register",
        "backend_url": "https://population.internal/api",
        "openapi_document": None,
        "shared_fields": SHARED_FIELDS,
    }
    body.update(overrides)
    return body


def test_forbidden_identifier_characters_are_a_clear_400(api_as):
    """003 §3.1.1: a code with a forbidden character is refused naming the field and the character."""
    world = catalog_world()
    operator, owner = api_as(world.tunduk_operator), api_as(world.provider_engineer)
    cases = [
        (
            operator,
            "/catalog/participants",
            {"subject": EmployeeFactory().subject_id, "member_class": "GOV", "member_code": "7/1"},
            "member_code",
        ),
        (
            owner,
            "/catalog/subsystems",
            {
                "participant": world.provider.pk,
                "subsystem_code": "civil registry",
                "name": "Civil registry",
                "element": registered_system(world.provider_engineer, "Civil registry").pk,
            },
            "subsystem_code",
        ),
        (
            owner,
            "/catalog/services",
            _service_body(world.provider_subsystem.pk, service_code="births/v2"),
            "service_code",
        ),
        (operator, "/catalog/groups", {"code": "social:all", "description": "x"}, "code"),
    ]
    for caller, path, body, field in cases:
        response = caller.post(path, body)
        assert response.status_code == 400, (path, response.json())
        assert response.json()["code"] == "invalid_input"
        assert response.json()["field"] == field
        assert "forbidden character" in response.json()["message"]


def test_duplicate_member_code_is_refused(api_as):
    """003 §3.1.1: a member code already in use is refused, naming who uses it."""
    world = catalog_world()
    other = EmployeeFactory().subject
    response = api_as(world.tunduk_operator).post(
        "/catalog/participants",
        {"subject": other.pk, "member_class": "GOV", "member_code": world.provider.member_code},
    )
    assert response.status_code == 400
    assert response.json()["field"] == "member_code"
    assert str(world.provider.subject) in response.json()["message"]
    assert not Participant.objects.filter(subject=other).exists()


def test_invalid_openapi_document_names_the_failing_part(api_as):
    """003 §3.2.2: an invalid OpenAPI document is refused with where it fails."""
    world = catalog_world()
    broken = {
        "openapi": "3.0.3",
        "info": {"title": "x", "version": "1"},
        "paths": {"/a": {"get": {}}},
    }
    response = api_as(world.provider_engineer).post(
        "/catalog/services", _service_body(world.provider_subsystem.pk, openapi_document=broken)
    )
    assert response.status_code == 400, response.json()
    assert response.json()["field"] == "openapi_document"
    assert "paths › /a › get" in response.json()["message"]

    not_yaml = api_as(world.provider_engineer).post(
        "/catalog/services",
        _service_body(world.provider_subsystem.pk, openapi_document="openapi: [3.0\n  bad"),
    )
    assert not_yaml.status_code == 400
    assert "neither valid JSON nor YAML" in not_yaml.json()["message"]


def test_shared_fields_are_required(api_as):
    """003 appendix 1: a service must list the fields it makes available to other participants."""
    world = catalog_world()
    response = api_as(world.provider_engineer).post(
        "/catalog/services", _service_body(world.provider_subsystem.pk, shared_fields=[])
    )
    assert response.status_code == 400
    assert response.json()["field"] == "shared_fields"


def test_a_service_code_is_described_once(api_as):
    """003 §3.2.2: describing an existing service code again points to the change endpoint."""
    world = catalog_world()
    response = api_as(world.provider_engineer).post(
        "/catalog/services",
        _service_body(world.provider_subsystem.pk, service_code=world.service.service_code),
    )
    assert response.status_code == 400
    assert response.json()["field"] == "service_code"
    assert f"/api/catalog/services/{world.service.pk}" in response.json()["message"]


def test_missing_objects_are_404_in_the_path_and_400_in_the_body(api_as):
    """003 §3.2.8: a grant for a service that does not exist names the field; unknown ids in paths are 404."""
    world = catalog_world()
    owner = api_as(world.provider_engineer)
    response = owner.post(
        "/catalog/grants", {"service": 999_999, "client": world.consumer_subsystem.pk}
    )
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("invalid_input", "service")
    for path, body in (
        ("/catalog/grants/999999/revoke", {"reason": "x"}),
        ("/catalog/access-requests/999999/decision", {"grant": True}),
        ("/catalog/certificates/999999/issue", None),
    ):
        missing = owner.post(path, body)
        assert missing.status_code == 404, path
        assert missing.json()["code"] == "not_found"


def test_suspended_participant_cannot_request_access(api_as):
    """003 §4: a suspended participant is refused with a message saying why and until when."""
    world = catalog_world()
    participants.change_status(
        world.tunduk_operator, world.consumer, "suspend", "Violation", security_incident=True
    )
    response = api_as(world.consumer_engineer).post(
        "/catalog/access-requests",
        {"client": world.consumer_subsystem.pk, "service": world.service.pk, "purpose": "Benefits"},
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert "KG/GOV/70000002 is suspended" in response.json()["message"]
    assert "reinstated" in response.json()["message"]
    assert not AccessRequest.objects.exists()


def test_only_the_owner_decides_and_only_the_operator_registers(api_as):
    """003 §3.1.1, §3.2.8: a participant cannot register members nor decide on others' services."""
    world = catalog_world()
    client = api_as(world.consumer_engineer)
    registered = client.post(
        "/catalog/participants",
        {"subject": world.consumer.subject_id, "member_class": "GOV", "member_code": "1"},
    )
    assert registered.status_code == 403
    asked = client.post(
        "/catalog/access-requests",
        {"client": world.consumer_subsystem.pk, "service": world.service.pk, "purpose": "Benefits"},
    )
    decided = client.post(
        f"/catalog/access-requests/{asked.json()['id']}/decision", {"grant": True}
    )
    assert decided.status_code == 403
    refused = api_as(world.provider_engineer).post(
        f"/catalog/access-requests/{asked.json()['id']}/decision", {"grant": False}
    )
    assert (refused.status_code, refused.json()["field"]) == (400, "comment")


def test_times_out_of_range_and_bad_bodies_are_refused_before_the_services(api_as):
    """API contract: far-off years, NUL characters and unknown kinds are a 422 naming the field."""
    world = catalog_world()
    owner = api_as(world.provider_engineer)
    notice = {
        "participant": world.provider.pk,
        "kind": "outage",
        "title": "Down",
        "description": "Down",
        "starts_at": "0001-01-01T00:00:00+14:00",
    }
    response = owner.post("/catalog/notices", notice)
    assert (response.status_code, response.json()["field"]) == (422, "body.starts_at")
    response = owner.post(
        "/catalog/notices", {**notice, "starts_at": "2030-01-01T00:00:00", "kind": "x"}
    )
    assert (response.status_code, response.json()["field"]) == (422, "body.kind")
    document = {"openapi": "3.0.3", "info": {"title": "a\u0000b", "version": "1"}, "paths": {}}
    response = owner.post(
        "/catalog/services", _service_body(world.provider_subsystem.pk, openapi_document=document)
    )
    assert response.status_code == 422
    assert response.json()["field"].startswith("body.openapi_document")


def test_openapi_file_reference_is_refused_without_the_file(api_as, tmp_path):
    """Issue 7 (1): POST with a file:// $ref is a 400 naming the rule; the file never comes back."""
    world = catalog_world()
    key = secret_file(tmp_path)
    for document in (document_with_ref(key.as_uri()), json.dumps(document_with_ref(key.as_uri()))):
        response = api_as(world.provider_engineer).post(
            "/catalog/services",
            _service_body(world.provider_subsystem.pk, openapi_document=document),
        )
        assert response.status_code == 400, response.content
        assert response.json()["field"] == "openapi_document"
        assert "only references inside the document" in response.json()["message"]
        assert SECRET_MARKER not in response.content.decode()
    assert not world.provider_subsystem.services.filter(service_code="population").exists()


def test_openapi_http_reference_is_never_fetched(api_as):
    """Issue 7 (1): POST with an http:// $ref is refused and the server makes no request."""
    world = catalog_world()
    with loopback_server() as server:
        response = api_as(world.provider_engineer).post(
            "/catalog/services",
            _service_body(
                world.provider_subsystem.pk,
                openapi_document=document_with_ref(f"{server.url}/schema.json"),
            ),
        )
        assert server.requests == []
    assert response.status_code == 400
    assert response.json()["field"] == "openapi_document"
    assert server.url not in response.content.decode()


def test_openapi_yaml_alias_bomb_is_refused(api_as):
    """Issue 7 (1): a YAML billion-laughs document sent to the API is refused, not expanded."""
    world = catalog_world()
    response = api_as(world.provider_engineer).post(
        "/catalog/services",
        _service_body(world.provider_subsystem.pk, openapi_document=BILLION_LAUGHS),
    )
    assert response.status_code == 400
    assert response.json()["field"] == "openapi_document"
    assert "anchors or aliases" in response.json()["message"]


def test_openapi_deeply_nested_object_is_refused(api_as):
    """Issue 7 (1, 5): a deeply nested OpenAPI object is refused (400) by the body's depth limit."""
    world = catalog_world()
    document = json.loads(nested_json(200))
    response = api_as(world.provider_engineer).post(
        "/catalog/services", _service_body(world.provider_subsystem.pk, openapi_document=document)
    )
    assert response.status_code == 400
    assert "deeper than 64 levels" in response.json()["message"]


def test_openapi_text_with_escaped_nul_is_a_400_not_a_500(api_as):
    """Issue 7 (1, 5): a document sent as text whose JSON escapes hold NUL is refused, nothing saved."""
    world = catalog_world()
    text = json.dumps(
        {"openapi": "3.0.3", "info": {"title": "a\u0000b", "version": "1"}, "paths": {}}
    )
    for document in (text, text.replace("u0000", "ud800")):
        response = api_as(world.provider_engineer).post(
            "/catalog/services",
            _service_body(world.provider_subsystem.pk, openapi_document=document),
        )
        assert response.status_code == 400, response.content
        assert response.json()["field"] == "openapi_document"
    assert not world.provider_subsystem.services.filter(service_code="population").exists()
