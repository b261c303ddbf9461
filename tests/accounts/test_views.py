"""Sign-in pages: invitations, the login page in three languages, the profile."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, EmployeeFactory
from tunduk.accounts.models import Invitation

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(db):
    """An invitation with the plain token of its link as ``.token`` (only the e-mail has it)."""
    user = EmployeeFactory(password=None)
    invitation, invitation.token = Invitation.issue(user, user.email)
    return invitation


def test_invitation_sets_password_and_signs_in(client: Client, invitation):
    """000 §19: the invited employee sets a password and lands on the dashboard signed in."""
    url = reverse("accounts:invitation", args=[invitation.token])
    password = "Tunduk-registry-2025"
    response = client.post(url, {"password": password, "password_again": password})
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:dashboard")
    assert client.get(reverse("registry:dashboard")).status_code == 200
    invitation.user.refresh_from_db()
    assert invitation.user.check_password(password)


def test_invitation_passwords_must_match(client: Client, invitation):
    """000 §19: the two passwords must be the same."""
    url = reverse("accounts:invitation", args=[invitation.token])
    response = client.post(url, {"password": "Tunduk-registry-2025", "password_again": "other"})
    assert response.status_code == 400
    assert 'id="errors-password_again"' in response.content.decode()


def test_used_invitation_shows_the_service_error(client: Client, invitation):
    """000 §19: a used link cannot set the password again, and says so instead of the form."""
    url = reverse("accounts:invitation", args=[invitation.token])
    password = "Tunduk-registry-2025"
    client.post(url, {"password": password, "password_again": password})
    client.logout()
    response = client.post(url, {"password": password, "password_again": password})
    assert response.status_code == 400
    content = response.content.decode()
    assert 'id="invitation-unusable"' in content and 'name="password"' not in content


def test_weak_password_error_is_beside_the_field(client: Client, invitation):
    """Password rules: a short password is refused with the validator's message."""
    url = reverse("accounts:invitation", args=[invitation.token])
    response = client.post(url, {"password": "abc", "password_again": "abc"})
    assert response.status_code == 400
    assert 'id="errors-password"' in response.content.decode()


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_login_page_renders_in_each_language(client: Client, language):
    """001 art. 12: the pages are offered in Kyrgyz, Russian and English."""
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()
    assert 'id="login-form"' in response.content.decode()


def test_language_switcher_changes_the_language(client: Client):
    """The language chosen in the switcher is kept for the next pages."""
    client.post(reverse("set_language"), {"language": "ru", "next": "/"})
    response = client.get(reverse("accounts:login"))
    assert '<html lang="ru">' in response.content.decode()


def test_login_signs_in(client: Client, employee):
    """A subject employee signs in with the e-mail and password."""
    response = client.post(
        reverse("accounts:login"),
        {"username": employee.username, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:dashboard")


def test_profile_shows_role_and_subject(client: Client, employee):
    """000 §16–17: the employee sees their role and the subject they act for."""
    client.force_login(employee)
    content = client.get(reverse("accounts:profile")).content.decode()
    assert employee.subject.name in content
    assert "Authorised employee of a subject" in content
