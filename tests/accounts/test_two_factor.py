"""Issue 7 (4): staff enrol an authenticator and then sign in with password and a TOTP code."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD, EmployeeFactory, OperatorFactory
from tunduk.accounts import two_factor
from tunduk.accounts.choices import Role
from tunduk.accounts.models import Invitation
from tunduk.accounts.tokens import ApiToken
from tunduk.core.audit import Event
from tunduk.core.models import AuditEvent

pytestmark = pytest.mark.django_db

ADDRESS = "192.0.2.10"


def code_for(device: TOTPDevice) -> str:
    """The code an authenticator app holding ``device``'s secret shows now."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """A well-formed code that is not the current one."""
    return f"{(int(code_for(device)) + 500_000) % 1_000_000:06d}"


def enrolled(user) -> TOTPDevice:
    """``user`` with a confirmed authenticator, enrolled through the service."""
    device = two_factor.start_enrolment(user)
    assert two_factor.confirm_enrolment(user, device, code_for(device))
    # The enrolment spent the current code; the tests sign in as if a step had passed.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    return device


def password_step(client: Client, user, next_url: str = ""):
    data = {"username": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("accounts:login"), data, REMOTE_ADDR=ADDRESS)


def code_step(client: Client, code: str):
    return client.post(reverse("accounts:login-code"), {"code": code}, REMOTE_ADDR=ADDRESS)


def is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.AUTHORISED_BODY, Role.TUNDUK_OPERATOR])
def test_staff_enrol_an_authenticator_on_the_profile(client: Client, role):
    """Issue 7 (4): a staff role sees the secret and otpauth URI, and a right code turns it on."""
    user = OperatorFactory(role=role)
    client.force_login(user)
    assert 'id="two-factor-setup-link"' in client.get(reverse("accounts:profile")).content.decode()
    client.post(reverse("accounts:two-factor"), {"action": "start"})
    page = client.get(reverse("accounts:two-factor")).content.decode()
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    assert "otpauth://totp/Tunduk%3A" in page
    assert 'id="authenticator-secret"' in page
    assert "<svg" in page
    response = client.post(reverse("accounts:two-factor"), {"code": code_for(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(name=Event.TWO_FACTOR_ENABLED, actor=user).exists()
    assert 'id="two-factor-on"' in client.get(reverse("accounts:profile")).content.decode()


def test_enrolment_refuses_a_wrong_code(client: Client, operator):
    """Issue 7 (4): an authenticator is not turned on by a wrong code."""
    client.force_login(operator)
    client.post(reverse("accounts:two-factor"), {"action": "start"})
    device = TOTPDevice.objects.get(user=operator)
    response = client.post(reverse("accounts:two-factor"), {"code": wrong_code(device)})
    assert response.status_code == 400
    assert 'id="errors-code"' in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


def test_subject_employees_cannot_enrol(client: Client, employee):
    """Issue 7 (4): two-factor sign-in is for staff roles; an employee's profile has no section."""
    client.force_login(employee)
    assert 'id="two-factor"' not in client.get(reverse("accounts:profile")).content.decode()
    assert client.post(reverse("accounts:two-factor"), {"action": "start"}).status_code == 403
    assert not TOTPDevice.objects.exists()


def test_password_alone_does_not_sign_in_an_enrolled_user(client: Client, operator):
    """Issue 7 (4): after the right password an enrolled user is asked for the code, not signed in."""
    enrolled(operator)
    response = password_step(client, operator)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login-code")
    assert not is_signed_in(client)
    assert client.get(reverse("registry:dashboard")).status_code == 302


def test_the_right_code_signs_in(client: Client, operator):
    """Issue 7 (4): password then the current code signs in and goes where the user was headed."""
    device = enrolled(operator)
    password_step(client, operator, next_url=reverse("accounts:profile"))
    response = code_step(client, code_for(device))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    assert is_signed_in(client)
    assert AuditEvent.objects.filter(name=Event.LOGIN_SUCCEEDED, actor=operator).exists()


def test_a_wrong_code_is_refused_and_audited(client: Client, operator):
    """Issue 7 (4): a wrong code does not sign in and is audited as a failed login."""
    device = enrolled(operator)
    password_step(client, operator)
    response = code_step(client, wrong_code(device))
    assert response.status_code == 400
    assert not is_signed_in(client)
    failure = AuditEvent.objects.get(name=Event.LOGIN_FAILED)
    assert failure.detail == {"username": operator.username, "step": "code"}
    assert failure.ip_address == ADDRESS


def test_a_replayed_code_is_refused(operator):
    """Issue 7 (4): a code that already signed someone in cannot be used again."""
    device = enrolled(operator)
    first = Client()
    password_step(first, operator)
    code = code_for(device)
    assert code_step(first, code).status_code == 302
    thief = Client()
    password_step(thief, operator)
    response = code_step(thief, code)
    assert response.status_code == 400
    assert not is_signed_in(thief)


def test_the_code_page_needs_the_password_first(client: Client, operator):
    """Issue 7 (4): the code page cannot be reached, or guessed at, without the password step."""
    device = enrolled(operator)
    response = code_step(client, code_for(device))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert not is_signed_in(client)


def test_wrong_codes_count_towards_the_lockout(client: Client, operator):
    """Issue 7 (4): guessing codes locks the account like guessing passwords."""
    device = enrolled(operator)
    password_step(client, operator)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        code_step(client, wrong_code(device))
    response = password_step(Client(), operator)
    assert response.status_code == 429


def test_required_setting_makes_staff_enrol_while_signing_in(client: Client, settings, operator):
    """Issue 7 (4): with TUNDUK_STAFF_TWO_FACTOR on, staff without a device enrol before entry."""
    settings.TUNDUK_STAFF_TWO_FACTOR = True
    response = password_step(client, operator)
    assert response["Location"] == reverse("accounts:login-code")
    assert not is_signed_in(client)
    page = client.get(reverse("accounts:login-code")).content.decode()
    assert 'id="two-factor-required"' in page
    assert "otpauth://totp/" in page
    device = TOTPDevice.objects.get(user=operator)
    assert code_step(client, code_for(device)).status_code == 302
    assert is_signed_in(client)
    device.refresh_from_db()
    assert device.confirmed


def test_required_setting_leaves_subject_employees_alone(client: Client, settings):
    """Issue 7 (4): the staff requirement does not apply to subject employees."""
    settings.TUNDUK_STAFF_TWO_FACTOR = True
    response = password_step(client, EmployeeFactory())
    assert response["Location"] == reverse("registry:dashboard")
    assert is_signed_in(client)


def test_turning_off_needs_a_current_code(client: Client, operator):
    """Issue 7 (4): someone at an open session cannot remove the second factor without the app."""
    device = enrolled(operator)
    client.force_login(operator)
    client.post(reverse("accounts:two-factor-disable"), {"code": wrong_code(device)})
    assert TOTPDevice.objects.filter(user=operator, confirmed=True).exists()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    client.post(reverse("accounts:two-factor-disable"), {"code": code_for(device)})
    assert not TOTPDevice.objects.filter(user=operator).exists()
    assert AuditEvent.objects.filter(name=Event.TWO_FACTOR_DISABLED, actor=operator).exists()


def test_api_tokens_need_no_code(client: Client, operator):
    """Issue 7 (4): bearer tokens of an enrolled user keep working for the API."""
    enrolled(operator)
    _token, raw = ApiToken.issue(operator, name="integration")
    response = client.get("/api/access-applications", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200


def test_an_open_session_cannot_swap_the_authenticator(client: Client, operator):
    """Issue 7 (4): replacing an enrolled authenticator needs the old one (turn it off first)."""
    device = enrolled(operator)
    client.force_login(operator)
    client.post(reverse("accounts:two-factor"), {"action": "start"})
    assert list(TOTPDevice.objects.filter(user=operator)) == [device]
    assert client.get(reverse("accounts:two-factor")).status_code == 302


def test_accepting_an_invitation_does_not_skip_the_code(client: Client):
    """Issue 7 (4): a user with an authenticator who follows an invitation still gives the code."""
    user = OperatorFactory()
    device = enrolled(user)
    _invitation, token = Invitation.issue(user, user.email)
    password = "a-new-long-unusual-passphrase-2026"
    answer = client.post(
        reverse("accounts:invitation", args=[token]),
        {"password": password, "password_again": password},
        REMOTE_ADDR=ADDRESS,
    )
    assert answer.status_code == 302 and answer.url == reverse("accounts:login-code")
    assert not is_signed_in(client)
    code_step(client, code_for(device))
    assert is_signed_in(client)
