"""Issue 7 (4): failed sign-ins lock the account and the address, are audited, and lift in time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, EmployeeFactory, OperatorFactory
from tunduk.core.audit import Event
from tunduk.core.models import AuditEvent

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.7"
ELSEWHERE = "198.51.100.20"


def sign_in(username: str, password: str, address: str, client: Client | None = None, **extra):
    """POST the login form as a browser at ``address`` would."""
    client = client or Client()
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **extra,
    )


def guess_wrong(username: str, address: str, times: int | None = None) -> None:
    """An attacker's run of wrong passwords, up to the configured limit."""
    for _ in range(times or settings.AXES_FAILURE_LIMIT):
        sign_in(username, "wrong-guess", address)


def signed_in(response) -> bool:
    return "_auth_user_id" in response.wsgi_request.session


def test_five_wrong_passwords_lock_the_account():
    """Issue 7 (4): after 5 wrong passwords even the right one is refused (429, lockout page)."""
    user = EmployeeFactory()
    guess_wrong(user.username, ATTACKER)
    response = sign_in(user.username, PASSWORD, ATTACKER)
    assert settings.AXES_FAILURE_LIMIT == 5
    assert response.status_code == 429
    assert not signed_in(response)
    assert 'id="locked-out"' in response.content.decode()


def test_four_wrong_passwords_do_not_lock():
    """Issue 7 (4): below the limit the right password still signs in."""
    user = EmployeeFactory()
    guess_wrong(user.username, ATTACKER, times=settings.AXES_FAILURE_LIMIT - 1)
    response = sign_in(user.username, PASSWORD, ATTACKER)
    assert response.status_code == 302
    assert signed_in(response)


def test_locked_account_stays_locked_from_another_address():
    """Issue 7 (4): the lock is per account, so changing address does not help the attacker."""
    user = EmployeeFactory()
    guess_wrong(user.username, ATTACKER)
    response = sign_in(user.username, PASSWORD, ELSEWHERE)
    assert response.status_code == 429
    assert not signed_in(response)


def test_locked_address_is_refused_for_other_accounts():
    """Issue 7 (4): the lock is per address too, so spraying other accounts from it fails."""
    first, second = EmployeeFactory(), EmployeeFactory()
    guess_wrong(first.username, ATTACKER)
    response = sign_in(second.username, PASSWORD, ATTACKER)
    assert response.status_code == 429
    assert not signed_in(response)


def test_spraying_many_accounts_from_one_address_locks_it():
    """Issue 7 (4): one wrong password each for many accounts still counts against the address."""
    victims = [EmployeeFactory() for _ in range(settings.AXES_FAILURE_LIMIT)]
    for victim in victims:
        sign_in(victim.username, "wrong-guess", ATTACKER)
    response = sign_in(EmployeeFactory().username, PASSWORD, ATTACKER)
    assert response.status_code == 429


def test_forged_forwarded_for_header_does_not_change_the_address():
    """Issue 7 (4): without a trusted proxy, X-Forwarded-For cannot dodge the address lock."""
    for number in range(settings.AXES_FAILURE_LIMIT):
        sign_in(
            f"nobody{number}@gov.kg",
            "wrong-guess",
            ATTACKER,
            HTTP_X_FORWARDED_FOR=f"10.0.0.{number}",
        )
    response = sign_in(
        EmployeeFactory().username, PASSWORD, ATTACKER, HTTP_X_FORWARDED_FOR="10.9.9.9"
    )
    assert response.status_code == 429


def test_lock_lifts_after_the_cool_off():
    """Issue 7 (4): once the cool-off (15 minutes) has passed, the right password works again."""
    user = EmployeeFactory()
    guess_wrong(user.username, ATTACKER)
    assert sign_in(user.username, PASSWORD, ATTACKER).status_code == 429
    assert timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    # Move the recorded failures back past the cool-off instead of waiting for it.
    last = AccessAttempt.objects.latest("attempt_time").attempt_time
    AccessAttempt.objects.update(attempt_time=last - settings.AXES_COOLOFF_TIME)
    response = sign_in(user.username, PASSWORD, ATTACKER)
    assert response.status_code == 302
    assert signed_in(response)


def test_lock_holds_just_before_the_cool_off_ends():
    """Issue 7 (4): a minute before the cool-off ends the account is still locked."""
    user = EmployeeFactory()
    guess_wrong(user.username, ATTACKER)
    last = AccessAttempt.objects.latest("attempt_time").attempt_time
    AccessAttempt.objects.update(
        attempt_time=last - settings.AXES_COOLOFF_TIME + timedelta(minutes=1)
    )
    assert sign_in(user.username, PASSWORD, ELSEWHERE).status_code == 429


def test_failed_logins_are_audited():
    """Issue 7 (4): each failed sign-in is an ``accounts:login:failed`` audit event."""
    user = EmployeeFactory()
    sign_in(user.username, "wrong-guess", ATTACKER)
    sign_in("nobody@gov.kg", "wrong-guess", ATTACKER)
    failures = AuditEvent.objects.filter(name=Event.LOGIN_FAILED).order_by("id")
    assert [event.detail["username"] for event in failures] == [user.username, "nobody@gov.kg"]
    assert {event.ip_address for event in failures} == {ATTACKER}
    assert failures[0].object_id == str(user.pk)
    assert failures[0].detail["step"] == "password"
    assert "wrong-guess" not in str([event.detail for event in failures])
    assert AccessAttempt.objects.filter(username=user.username, ip_address=ATTACKER).exists()


def test_lockout_is_audited():
    """Issue 7 (4): the lockout itself is an ``accounts:login:locked-out`` audit event."""
    user = EmployeeFactory()
    guess_wrong(user.username, ATTACKER)
    lockout = AuditEvent.objects.filter(name=Event.LOGIN_LOCKED_OUT).first()
    assert lockout is not None
    assert lockout.detail["username"] == user.username
    assert lockout.ip_address == ATTACKER


def test_successful_sign_in_is_audited_and_clears_failures():
    """Issue 7 (4): a sign-in is audited and forgets the account's earlier failures."""
    user = EmployeeFactory()
    guess_wrong(user.username, ELSEWHERE, times=2)
    sign_in(user.username, PASSWORD, ELSEWHERE)
    event = AuditEvent.objects.get(name=Event.LOGIN_SUCCEEDED)
    assert event.actor == user
    assert event.ip_address == ELSEWHERE
    assert not AccessAttempt.objects.filter(username=user.username).exists()


@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "Signing in is paused"), ("ru", '<html lang="ru">'), ("ky", '<html lang="ky">')],
)
def test_lockout_page_is_in_the_site_layout(language, text):
    """Issue 7 (4): the lockout page is a translated page of the site, with Retry-After."""
    user = EmployeeFactory()
    guess_wrong(user.username, ATTACKER)
    response = sign_in(user.username, PASSWORD, ATTACKER, HTTP_ACCEPT_LANGUAGE=language)
    content = response.content.decode()
    assert response.status_code == 429
    assert text in content
    assert 'class="site-header"' in content
    assert response["Retry-After"] == str(15 * 60)


def test_admin_login_is_the_site_login():
    """Issue 7 (4): the admin's own login page, which would skip the second factor, is gone."""
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login") + "?next=/admin/"


def test_admin_password_post_does_not_sign_in():
    """Issue 7 (4): posting a password to the admin login does not open a session."""
    admin = OperatorFactory(is_staff=True, is_superuser=True)
    response = Client().post(
        "/admin/login/", {"username": admin.username, "password": PASSWORD}, REMOTE_ADDR=ATTACKER
    )
    assert not signed_in(response)


def test_attackers_own_sign_in_does_not_clear_failures_against_another_account():
    """Issue 7 (4): signing in to one's own account does not reset the guesses at another's."""
    victim, attacker = EmployeeFactory(), EmployeeFactory()
    guess_wrong(victim.username, ATTACKER, times=settings.AXES_FAILURE_LIMIT - 1)
    assert signed_in(sign_in(attacker.username, PASSWORD, ATTACKER))
    guess_wrong(victim.username, ATTACKER, times=1)
    response = sign_in(victim.username, PASSWORD, ELSEWHERE)
    assert response.status_code == 429
    assert not signed_in(response)
