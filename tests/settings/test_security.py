"""Browser protections every page carries, session lifetime and password rules (Issue 7 (3))."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(?!\s*</script>)", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def test_pages_send_a_strict_content_security_policy(client, db):
    """Issue 7 (3): scripts and styles only from our origin, no framing, no inline code allowed."""
    response = client.get(reverse("registry:element-list"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize(
    "url",
    [
        reverse("registry:element-list"),
        reverse("accounts:login"),
        reverse("registry:element-create"),
        "/api/docs",
    ],
)
def test_pages_work_without_inline_scripts(client, employee, url):
    """Issue 7 (3): the pages put no code inline, so the policy blocks nothing they need."""
    if url != reverse("accounts:login"):  # signed in, the login page only redirects
        client.force_login(employee)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    scripts = [m for m in INLINE_SCRIPT.findall(html) if "application/json" not in m]
    assert scripts == []
    assert EVENT_HANDLER.findall(html) == []
    assert "cdn." not in html  # the API docs' Swagger UI comes from our static files


def test_session_ends_after_thirty_idle_minutes(client, employee):
    """Issue 7 (3): each request renews a 30-minute session; idle longer, it has expired."""
    client.force_login(employee)
    response = client.get(reverse("registry:dashboard"))
    assert response.cookies["sessionid"]["max-age"] == 30 * 60
    assert client.session.get_expiry_age() == 30 * 60


@pytest.mark.parametrize(
    "password",
    ["Short-pass1", "839201746531", "password1234", "petrov.aidar.2025"],
)
def test_weak_passwords_are_refused(employee, password):
    """Issue 7 (3): at least 12 characters, not common, not all digits, not like the user's name."""
    employee.username = "petrov.aidar"
    with pytest.raises(ValidationError):
        validate_password(password, employee)


def test_a_long_unusual_password_is_accepted(employee):
    """Issue 7 (3): a 12+ character password unlike the user's details passes every rule."""
    validate_password("Tunduk-registry-2025", employee)


@pytest.mark.django_db
def test_postgresql_cancels_statements_that_run_too_long() -> None:
    """Issue 7 (5): on PostgreSQL no statement (so no request) holds the database past 30 s."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no statement timeout; its writes are bounded by the input limits")
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "30s"
