"""Request bodies are bounded before they are read: 413 or 411, never a 500 (issue 7 (5))."""

from __future__ import annotations

import http.client
import json
import socket
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from tunduk import limits
from tunduk.registry.models import Element

pytestmark = pytest.mark.django_db


@pytest.fixture
def employee_client(client: Client, employee) -> Client:
    client.force_login(employee)
    return client


def _form(**fields: str) -> dict[str, str]:
    data = {"full_name": "Oversized system", "operated_by_owner": "on"}
    for name in ("software", "resources", "interactions", "services"):
        data.update({f"{name}-TOTAL_FORMS": "0", f"{name}-INITIAL_FORMS": "0"})
    return {**data, **fields}


def test_web_form_over_the_body_limit_is_a_413_page(employee_client: Client):
    """Issue 7 (5): a form body over the limit answers a translated 413 page; nothing is stored."""
    body = "full_name=x&purpose=" + "a" * (limits.REQUEST_BODY_BYTES + 1)
    response = employee_client.post(
        reverse("registry:element-create"), body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert 'id="request-refused-reason"' in response.content.decode()
    assert "at most 5242880 bytes" in response.content.decode()
    assert not Element.objects.exists()


def test_multipart_fields_over_the_memory_limit_are_a_413_page(employee_client: Client):
    """Issue 7 (5): multipart form fields over the in-memory limit answer 413, not 400 or 500."""
    fields = _form(purpose="a" * (limits.REQUEST_BODY_BYTES + 1))
    response = employee_client.post(reverse("registry:element-create"), fields)
    assert response.status_code == 413
    assert not Element.objects.exists()


def test_too_many_form_fields_are_a_413_page(employee_client: Client):
    """Issue 7 (5): a form with more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS answers 413."""
    fields = _form(**{f"extra-{index}": "1" for index in range(limits.REQUEST_FIELDS + 1)})
    response = employee_client.post(reverse("registry:element-create"), fields)
    assert response.status_code == 413
    assert f"at most {limits.REQUEST_FIELDS} may be sent" in response.content.decode()
    assert not Element.objects.exists()


def test_chunked_api_body_is_refused_unread(live_server):
    """Issue 7 (5): a chunked body of unknown length answers 411 with the standard body."""
    address = urlsplit(live_server.url)
    # The whole request in one write: the server answers without reading the body, and a
    # client still sending chunks would meet a closed connection.
    chunk = b'{"full_name": "x"}'
    request = (
        b"POST /api/elements HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        + f"{len(chunk):x}\r\n".encode()
        + chunk
        + b"\r\n0\r\n\r\n"
    )
    with socket.create_connection((address.hostname, address.port), timeout=30) as connection:
        connection.sendall(request)
        response = http.client.HTTPResponse(connection)
        response.begin()
        body = json.loads(response.read())
    assert response.status == 411
    assert body["code"] == "length_required"
    assert set(body) == {"code", "message", "field", "detail"}
