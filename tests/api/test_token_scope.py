"""Issue 7 (7): API tokens may expire and may be read-only."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import ApiClient
from tunduk.accounts.tokens import ApiToken
from tunduk.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_expired_token_is_refused(employee):
    """Issue 7 (7): a token past its expiry answers 401 like an unknown one."""
    _token, raw = ApiToken.issue(employee, name="old", expires_at=timezone.now() - timedelta(1))
    response = ApiClient(raw).get("/submissions")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_token_works_until_it_expires(employee):
    """Issue 7 (7): a token with a future expiry works."""
    _token, raw = ApiToken.issue(employee, name="new", expires_at=timezone.now() + timedelta(1))
    assert ApiClient(raw).get("/submissions").status_code == 200


def test_read_only_token_reads_but_cannot_write(employee):
    """Issue 7 (7): a read-only token may GET; a POST is 403 with the standard error body."""
    _token, raw = ApiToken.issue(employee, name="reader", read_only=True)
    client = ApiClient(raw)
    assert client.get("/submissions").status_code == 200
    refused = client.post("/elements", {"full_name": "Sneaky system"})
    assert refused.status_code == 403
    body = refused.json()
    assert body["code"] == "permission_denied" and body["message"]
    assert set(body) >= {"code", "message", "field", "detail"}
    assert not employee.subject.elements.exists()
    assert AuditEvent.objects.filter(name="security:permission:denied").exists()


def test_tokens_page_creates_a_read_only_expiring_token(employee):
    """Issue 7 (7): the tokens page offers an expiry date and a read-only scope."""
    client = Client()
    client.force_login(employee)
    expires_on = (timezone.localdate() + timedelta(days=30)).isoformat()
    response = client.post(
        reverse("accounts:token-create"),
        {"name": "Dashboard", "expires_on": expires_on, "read_only": "on"},
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(user=employee)
    assert token.read_only
    assert token.expires_at is not None
    # It works through the whole chosen day and stops at the following midnight.
    last_moment = timezone.localtime(token.expires_at) - timedelta(microseconds=1)
    assert last_moment.date().isoformat() == expires_on


def test_tokens_page_refuses_an_expiry_in_the_past(employee):
    """Issue 7 (7): an expiry date that has passed is refused on the ``expires_on`` field."""
    client = Client()
    client.force_login(employee)
    response = client.post(
        reverse("accounts:token-create"),
        {"name": "Old", "expires_on": (timezone.localdate() - timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 400
    assert "expires_on" in response.context["token_form"].errors
    assert not ApiToken.objects.exists()


def test_command_issues_a_read_only_expiring_token(employee):
    """Issue 7 (7): ``create_api_token --read-only --expires-in-days`` sets scope and expiry."""
    out = StringIO()
    call_command(
        "create_api_token",
        employee.username,
        "--read-only",
        "--expires-in-days",
        "7",
        stdout=out,
        stderr=StringIO(),
    )
    token = ApiToken.objects.get(user=employee)
    assert token.read_only
    assert token.expires_at is not None
    assert timedelta(days=6) < token.expires_at - timezone.now() <= timedelta(days=7)
