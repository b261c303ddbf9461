"""API tokens on the profile page: create (shown once), list, revoke; and in the admin."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import EmployeeFactory
from tunduk.accounts.tokens import ApiToken
from tunduk.core.models import AuditEvent

pytestmark = pytest.mark.django_db

SECRET = re.compile(r'id="api-token-secret" value="(tdk_[^"]+)"')


def _bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def _create(client: Client, name: str = "document flow") -> str:
    response = client.post(reverse("accounts:token-create"), {"name": name})
    assert response.status_code == 200
    match = SECRET.search(response.content.decode())
    assert match is not None
    return match.group(1)


def test_created_token_is_shown_once_and_authenticates(client: Client, employee):
    """A new token is shown with a copy-it-now notice, never again, and works as a Bearer token."""
    client.force_login(employee)
    response = client.post(reverse("accounts:token-create"), {"name": "document flow"})
    content = response.content.decode()
    assert "Copy it now" in content
    assert response["Cache-Control"] == "no-store"
    secret = SECRET.search(content)
    assert secret is not None
    raw = secret.group(1)
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "document flow" in profile
    assert raw not in profile
    assert Client().get("/api/elements", headers=_bearer(raw)).status_code == 200
    token = ApiToken.objects.get(user=employee)
    assert token.last_used_at is not None
    assert AuditEvent.objects.filter(name="accounts:api-token:created").count() == 1


def test_token_needs_a_name(client: Client, employee):
    """A token without a name is refused beside the field and nothing is created."""
    client.force_login(employee)
    response = client.post(reverse("accounts:token-create"), {"name": ""})
    assert response.status_code == 400
    assert 'id="errors-name"' in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoked_token_is_refused_by_the_api(client: Client, employee):
    """After confirming the revocation the token gets 401 and the profile shows it revoked."""
    client.force_login(employee)
    raw = _create(client)
    token = ApiToken.objects.get(user=employee)
    url = reverse("accounts:token-revoke", args=[token.pk])
    assert 'id="revoke-token-form"' in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    assert Client().get("/api/elements", headers=_bearer(raw)).status_code == 401
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(name="accounts:api-token:revoked").count() == 1


def test_another_users_token_cannot_be_revoked(client: Client, employee):
    """Someone else's token is 404 on the revoke page and keeps working."""
    other = EmployeeFactory(subject=employee.subject)
    token, raw = ApiToken.issue(other, name="theirs")
    client.force_login(employee)
    url = reverse("accounts:token-revoke", args=[token.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert Client().get("/api/elements", headers=_bearer(raw)).status_code == 200
    assert "theirs" not in client.get(reverse("accounts:profile")).content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", ["accounts:profile", "accounts:token-create"])
def test_anonymous_visitor_is_sent_to_login(client: Client, name, method):
    """The profile and token pages redirect an anonymous visitor to the login page."""
    response = getattr(client, method)(reverse(name), {"name": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not ApiToken.objects.exists()


def test_anonymous_visitor_cannot_revoke(client: Client, employee):
    """Revoking without signing in redirects to the login page and leaves the token active."""
    token, _raw = ApiToken.issue(employee, name="mine")
    response = client.post(reverse("accounts:token-revoke", args=[token.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    token.refresh_from_db()
    assert token.revoked_at is None


def test_admin_lists_tokens_without_the_hash_and_revokes(admin_client: Client, employee):
    """The admin shows tokens read-only without their hash, and its action revokes them."""
    token, raw = ApiToken.issue(employee, name="integration")
    change = admin_client.get(reverse("admin:accounts_apitoken_change", args=[token.pk]))
    assert change.status_code == 200
    assert token.key_hash not in change.content.decode()
    response = admin_client.post(
        reverse("admin:accounts_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client().get("/api/elements", headers=_bearer(raw)).status_code == 401
