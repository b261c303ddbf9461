"""API bodies: over the size limit 413, nested too deeply 400, with the standard body (issue 7 (5))."""

from __future__ import annotations

import json

import pytest

from tunduk import limits
from tunduk.registry.models import Element

pytestmark = pytest.mark.django_db


def test_api_body_over_the_limit_is_a_413_with_the_standard_body(api_as, employee):
    """Issue 7 (5): an API body over the limit answers 413 with the standard error body."""
    client = api_as(employee)
    body = json.dumps({"full_name": "x", "purpose": "a" * limits.REQUEST_BODY_BYTES})
    response = client.client.post(
        "/api/elements", body, content_type="application/json", headers=client._headers()
    )
    assert response.status_code == 413
    assert response.json() == {
        "code": "request_too_large",
        "message": response.json()["message"],
        "field": "",
        "detail": {"limit": limits.REQUEST_BODY_BYTES},
    }
    assert "5242880 bytes" in response.json()["message"]
    assert not Element.objects.exists()


def test_deeply_nested_json_is_a_400_not_a_500(api_as, employee):
    """Issue 7 (5): a JSON body nested thousands of levels deep answers 400, not a 500."""
    client = api_as(employee)
    for depth in (900, 100_000):
        body = '{"full_name": "x", "software": ' + "[" * depth + "]" * depth + "}"
        response = client.client.post(
            "/api/elements", body, content_type="application/json", headers=client._headers()
        )
        assert response.status_code == 400
        assert response.json()["code"] == "bad_request"
        assert response.json()["detail"]["limit"] == limits.JSON_DEPTH
    assert not Element.objects.exists()


def test_nesting_within_the_limit_is_parsed(api_as, employee):
    """Issue 7 (5): brackets inside strings do not count as nesting; honest bodies pass."""
    client = api_as(employee)
    response = client.post("/elements", {"full_name": "[[[[" * 100 + "{" * 100})
    assert response.status_code == 201


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
def test_json_in_another_encoding_cannot_hide_its_nesting(api_as, employee, encoding):
    """Issue 7 (5): a UTF-16/32 body, whose brackets the depth limit cannot see, is refused unparsed."""
    client = api_as(employee)
    # In UTF-16 the escaped quote ends the string for a byte-wise scan, hiding what follows.
    body = '{"full_name": "x", "software": ["\\"", ' + "[" * 900 + "]" * 900 + '], "y": "z"}'
    response = client.client.post(
        "/api/elements",
        body.encode(encoding),
        content_type="application/json",
        headers=client._headers(),
    )
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"
    assert not Element.objects.exists()


def test_multipart_body_to_a_json_operation_is_a_415_not_a_500(api_as, employee):
    """Issue 7 (5): a multipart form sent where JSON is expected answers 415 with the standard body."""
    client = api_as(employee)
    response = client.client.post(
        "/api/elements", {"full_name": "x"}, headers=client._headers()
    )  # the test client encodes a dict as multipart/form-data
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
    assert not Element.objects.exists()
