"""Every role's start page shows its own work, in Kyrgyz and English (issue 11, defect 1)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.factories import (
    AuthorisedBodyUserFactory,
    EmployeeFactory,
    OperatorFactory,
    TundukOperatorFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["ky", "en"])
def test_tunduk_operator_lands_on_own_work_not_access_denied(page_in, sign_in, language) -> None:
    """A Tunduk operator signing in, and following "My work", sees the operator's page, not 403."""
    operator = TundukOperatorFactory()
    page = page_in(language)
    sign_in(page, operator.username)
    expect(page).to_have_url(re.compile(r"/catalog/operator/$"))
    expect(page.locator("#forbidden-reason")).to_have_count(0)
    page.click("#nav-dashboard")
    expect(page).to_have_url(re.compile(r"/catalog/operator/$"))
    assert page.evaluate("document.documentElement.lang") == language


@pytest.mark.parametrize(
    ("factory", "landing"),
    [
        (OperatorFactory, "/review/"),
        (AuthorisedBodyUserFactory, "/access-applications/"),
        (TundukOperatorFactory, "/catalog/operator/"),
    ],
)
def test_every_staff_role_starts_on_its_own_work(page_in, sign_in, factory, landing) -> None:
    """The "My work" link takes each staff role to its own work list."""
    user = factory()
    page = page_in("ky")
    sign_in(page, user.username)
    response = page.goto("/dashboard/")
    assert response is not None and response.status == 200
    assert page.url.endswith(landing)


def test_subject_employee_start_page_is_the_dashboard(page_in, sign_in, subject) -> None:
    """An employee's start page is the subject's own dashboard."""
    employee = EmployeeFactory(subject=subject)
    page = page_in("en")
    sign_in(page, employee.username)
    response = page.goto("/dashboard/")
    assert response is not None and response.status == 200
    assert page.url.endswith("/dashboard/")
