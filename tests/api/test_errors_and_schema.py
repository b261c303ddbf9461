"""One error shape, validation as 422, and the OpenAPI document."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_element_type_list_is_a_clear_422(api_as, employee):
    """000 appendix §2: an element has exactly one type; a list is refused, never a 500."""
    response = api_as(employee).post(
        "/elements", {"full_name": "Two types", "element_type": ["software", "data_centre"]}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["field"] == "body.element_type"
    assert body["errors"][0]["field"] == "body.element_type"


def test_registry_errors_name_the_field(api_as, employee):
    """API: a service's InvalidInput becomes 400 with its code, message and field."""
    response = api_as(employee).post("/elements", {"full_name": "   "})
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid_input",
        "message": "Full name (field 1) is required even for a draft.",
        "field": "full_name",
        "detail": {},
    }


def test_unparseable_json_is_400(api_as, employee):
    """API: a body that is not JSON is refused with 400, not a 500."""
    client = api_as(employee)
    response = client.client.post(
        "/api/elements", "{not json", content_type="application/json", headers=client._headers()
    )
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


def test_unknown_ids_are_404(public_api):
    """API: an unknown or absurd identifier is 404 or 422, never a 500."""
    assert public_api.get("/elements/424242").json()["code"] == "not_found"
    assert public_api.get("/elements/99999999999999999999999").status_code == 422
    assert public_api.get("/elements/abc").status_code == 422


def test_nul_characters_are_refused(api_as, employee):
    """API: text that a database cannot store is refused as a 422."""
    response = api_as(employee).post("/elements", {"full_name": "Bad\u0000name"})
    assert response.status_code == 422


def test_errors_follow_the_requests_language(api_as, employee):
    """API: messages are produced in the language the client asks for (Accept-Language)."""
    client = api_as(employee)
    response = client.client.post(
        "/api/elements",
        '{"full_name": " "}',
        content_type="application/json",
        headers={**client._headers(), "Accept-Language": "ru"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_input"
    assert response["Content-Language"] == "ru"


def test_openapi_document_and_docs(public_api):
    """API: the OpenAPI 3 document is at /api/openapi.json with error responses documented."""
    document = public_api.get("/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Tunduk Registry API"
    assert document["info"]["version"] == "1"
    create = document["paths"]["/api/elements"]["post"]
    assert {"201", "400", "401", "403", "422"} <= set(create["responses"])
    assert "TokenAuth" in document["components"]["securitySchemes"]
    assert public_api.get("/docs").status_code == 200


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "The field “user_count” must be a whole number."),
        ("ru", "Поле «user_count» должно быть целым числом."),
        ("ky", "«user_count» талаасы бүтүн сан болушу керек."),
    ],
)
def test_schema_errors_are_translated_and_name_the_field(api_as, employee, language, message):
    """API: pydantic's English text is replaced by a translated message naming the field."""
    client = api_as(employee)
    response = client.client.post(
        "/api/elements",
        {"full_name": "Counted", "user_count": "many"},
        content_type="application/json",
        headers={**client._headers(), "Accept-Language": language},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "body.user_count", "message": message}]
