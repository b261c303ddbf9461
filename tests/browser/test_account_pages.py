"""Invitations, password reset and signing out everywhere in a real browser, ky and en
(issue 11, defect 8 and item 16)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.factories import PASSWORD, EmployeeFactory
from tunduk.accounts.models import Invitation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NEW_PASSWORD = "Another-registry-password-2026"


@pytest.mark.parametrize("language", ["ky", "en"])
def test_bogus_and_used_invitations_say_so_before_asking_for_a_password(page_in, language) -> None:
    """000 §19: a forged or used invitation link shows why, and no password form."""
    user = EmployeeFactory(password=None)
    _invitation, token = Invitation.issue(user, user.email)
    page = page_in(language)
    page.goto("/accounts/invitations/forged-token-that-matches-nothing/")
    expect(page.locator("#invitation-unusable")).to_be_visible()
    expect(page.locator("input[name=password]")).to_have_count(0)

    page.goto(f"/accounts/invitations/{token}/")
    page.fill("input[name=password]", NEW_PASSWORD)
    page.fill("input[name=password_again]", NEW_PASSWORD)
    page.click("#set-password-button")
    expect(page.locator("#nav-profile")).to_be_visible()
    other = page_in(language)
    other.goto(f"/accounts/invitations/{token}/")
    expect(other.locator("#invitation-unusable")).to_be_visible()
    expect(other.locator("input[name=password]")).to_have_count(0)


@pytest.mark.parametrize("language", ["ky", "en"])
def test_password_reset_by_e_mail_in_the_holders_language(page_in, language) -> None:
    """A reset link goes to the holder in their language; unknown addresses get the same answer."""
    user = EmployeeFactory(language=language)
    page = page_in("en" if language == "ky" else "ky")  # the page in the other language
    page.goto("/accounts/login/")
    page.click("#forgot-password")
    page.fill("input[name=email]", "nobody@example.kg")
    page.click("#password-reset-button")
    expect(page.locator("#password-reset-sent")).to_be_visible()
    unknown_answer = page.locator("#password-reset-sent").inner_text()
    assert mail.outbox == []

    page.goto("/accounts/password-reset/")
    page.fill("input[name=email]", user.email)
    page.click("#password-reset-button")
    expect(page.locator("#password-reset-sent")).to_have_text(unknown_answer)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    # The holder's language, not the page's: "Sign in" is "Кирүү" in Kyrgyz.
    assert ("Кирүү:" in message.body) == (language == "ky")
    assert ("Sign in:" in message.body) == (language == "en")
    link = re.search(r"https?://\S+/accounts/password-reset/\S+/\S+/", message.body)
    assert link is not None
    path = link.group(0).split("/accounts/", 1)[1]

    page.goto(f"/accounts/{path}")
    page.fill("input[name=new_password1]", NEW_PASSWORD)
    page.fill("input[name=new_password2]", NEW_PASSWORD)
    page.click("#set-new-password-button")
    expect(page.locator("#password-reset-complete")).to_be_visible()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    # The link works once: replayed, it says so instead of showing the form.
    page.goto(f"/accounts/{path}")
    expect(page.locator("#password-reset-link-invalid")).to_be_visible()
    expect(page.locator("input[name=new_password1]")).to_have_count(0)


def test_password_reset_requests_are_rate_limited(page_in) -> None:
    """Past five requests an hour from one address the page refuses, whatever the e-mail."""
    page = page_in("en")
    for _attempt in range(5):
        page.goto("/accounts/password-reset/")
        page.fill("input[name=email]", "someone@example.kg")
        page.click("#password-reset-button")
        expect(page.locator("#password-reset-sent")).to_be_visible()
    page.goto("/accounts/password-reset/")
    page.fill("input[name=email]", "someone@example.kg")
    page.click("#password-reset-button")
    expect(page.locator("#form-errors")).to_contain_text("Too many password resets")


@pytest.mark.parametrize("language", ["ky", "en"])
def test_sign_out_everywhere_signs_out_a_second_browser(page_in, sign_in, language) -> None:
    """Signing out everywhere ends the session of another browser too."""
    user = EmployeeFactory()
    first, second = page_in(language), page_in(language)
    sign_in(first, user.username)
    sign_in(second, user.username)
    first.goto("/accounts/profile/")
    first.click("#sign-out-everywhere")
    expect(first.locator("#nav-login")).to_be_visible()
    second.goto("/accounts/profile/")
    expect(second.locator("#nav-login")).to_be_visible()
    expect(second.locator("#nav-profile")).to_have_count(0)
    # Signing in again works, and only the new session lives.
    sign_in(second, user.username)
    second.goto("/accounts/profile/")
    expect(second.locator("#nav-profile")).to_be_visible()


@pytest.mark.parametrize(("language", "label"), [("en", "E-mail"), ("ky", None)])
def test_sign_in_asks_for_the_e_mail(page_in, language, label) -> None:
    """People type an e-mail to sign in; the field is labelled so, not "Username"."""
    page = page_in(language)
    page.goto("/accounts/login/")
    text = page.locator("label[for=id_username]").inner_text()
    assert "Username" not in text and "Колдонуучу" not in text
    if label:
        assert label in text
    assert PASSWORD
