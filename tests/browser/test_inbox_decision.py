"""A refusal reaches the employee's inbox and downloads as a PDF, in a real browser (000 §21)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories import EmployeeFactory, OperatorFactory, make_element
from tunduk.registry import services
from tunduk.registry.choices import RefusalGround

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_refusal_in_inbox_opens_the_decision_and_its_pdf_000_s21(new_page, sign_in, subject):
    """000 §21, §23: the employee sees the unread count, reads the ground in the inbox, opens
    the decision page and downloads its PDF; the count drops once read."""
    employee = EmployeeFactory(subject=subject)
    submission = services.submit_element(
        employee, make_element(employee, complete=False), allow_incomplete=True
    )
    services.refuse(
        OperatorFactory(), submission, RefusalGround.INCOMPLETE, "Attach the commissioning act."
    )
    page = new_page()
    sign_in(page, employee.username)
    expect(page.locator("#nav-inbox-unread")).to_have_text("1")
    page.click("#nav-inbox")
    decided = page.locator("#decided")
    expect(decided).to_contain_text("The record is incomplete (000 §23.2)")
    expect(decided).to_contain_text("Attach the commissioning act.")
    decided.locator("button.link").first.click()
    expect(page.locator("#decision-ground")).to_contain_text("000 §23.2")
    with page.expect_download() as download:
        page.click("#decision-pdf")
    assert download.value.suggested_filename.endswith(".pdf")
    page.goto("/inbox/")
    expect(page.locator("#nav-inbox-unread")).to_have_count(0)
