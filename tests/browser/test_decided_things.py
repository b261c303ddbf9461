"""Decided things offer no decision forms; dates are plausible (issue 11, defects 4 and 5)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.factories import PDF_BYTES, EmployeeFactory, OperatorFactory, TundukOperatorFactory
from tests.factories.catalog import csr_for, make_participant
from tests.factories.registry import make_registered
from tunduk.catalog.services import gateways
from tunduk.registry.choices import ElementStatus
from tunduk.registry.models import DecommissioningNotice, Element

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_notice(page: Page, element: Element, decision_date: str, document: Path) -> None:
    page.goto(f"/elements/{element.pk}/decommission/")
    page.fill("input[name=decision_date]", decision_date)
    page.fill("input[name=decision_reference]", "Order No. 7")
    page.set_input_files("input[name=decision_copy]", str(document))
    page.click("#decommission-button")


@pytest.fixture
def document(tmp_path) -> Path:
    path = tmp_path / "decision.pdf"
    path.write_bytes(PDF_BYTES)
    return path


@pytest.mark.parametrize("language", ["ky", "en"])
def test_decommissioning_refuses_1900_and_dates_before_registration(
    page_in, sign_in, subject, document, language
) -> None:
    """000 §28: a decision dated 1900, or before the element's registration, is refused by field."""
    employee = EmployeeFactory(subject=subject)
    element = make_registered(employee, OperatorFactory())
    Element.objects.filter(pk=element.pk).update(registered_at=timezone.now() - timedelta(days=30))
    page = page_in(language)
    sign_in(page, employee.username)

    fill_notice(page, element, "1900-01-01", document)
    expect(page.locator("#errors-decision_date")).to_be_visible()
    expect(page.locator("#errors-decision_date")).to_contain_text("1991")

    before = (timezone.localdate() - timedelta(days=40)).isoformat()
    fill_notice(page, element, before, document)
    expect(page.locator("#errors-decision_date")).to_be_visible()
    assert not DecommissioningNotice.objects.filter(element=element).exists()

    fill_notice(page, element, timezone.localdate().isoformat(), document)
    expect(page.locator("#errors-decision_date")).to_have_count(0)
    assert DecommissioningNotice.objects.filter(element=element).count() == 1


@pytest.mark.parametrize("language", ["ky", "en"])
def test_notified_element_offers_no_decommissioning_form_and_one_error(
    page_in, sign_in, subject, document, language
) -> None:
    """000 §28: once notified, the element's form is gone; a replayed POST shows one error."""
    employee = EmployeeFactory(subject=subject)
    element = make_registered(employee, OperatorFactory())
    page = page_in(language)
    sign_in(page, employee.username)
    fill_notice(page, element, timezone.localdate().isoformat(), document)
    element.refresh_from_db()
    assert element.status == ElementStatus.DECOMMISSIONING_NOTIFIED

    page.goto(f"/elements/{element.pk}/")
    expect(page.locator("#action-decommission")).to_have_count(0)
    page.goto(f"/elements/{element.pk}/decommission/")
    expect(page.locator("#decommissioning-form")).to_have_count(0)
    expect(page.locator("#not-allowed")).to_have_count(1)

    # A forged second notice (the old form replayed) is refused once, not twice.
    token = page.context.cookies()
    csrf = next(cookie["value"] for cookie in token if cookie["name"] == "csrftoken")
    response = page.request.post(
        f"/elements/{element.pk}/decommission/",
        multipart={
            "csrfmiddlewaretoken": csrf,
            "decision_date": timezone.localdate().isoformat(),
            "decision_reference": "Order No. 8",
            "decision_copy": {
                "name": "decision.pdf",
                "mimeType": "application/pdf",
                "buffer": PDF_BYTES,
            },
        },
        headers={"Referer": page.url},
    )
    assert response.status >= 400
    html = response.text()
    assert html.count("errorlist") == 1, html
    assert DecommissioningNotice.objects.filter(element=element).count() == 1


@pytest.mark.parametrize("language", ["ky", "en"])
def test_decided_gateway_offers_no_approve_or_refuse(page_in, sign_in, language) -> None:
    """003 §3.2: an approved gateway shows that it was decided, and no Approve or Refuse."""
    operator = TundukOperatorFactory()
    participant, engineer = make_participant(operator)
    gateway = gateways.register_gateway(
        engineer, participant, "gw1", "127.0.0.1:1", csr_for(participant, server_code="gw1")
    )
    page = page_in(language)
    sign_in(page, operator.username)
    page.goto(f"/catalog/gateways/{gateway.pk}/")
    expect(page.locator("#gateway-decision-form-approve")).to_be_visible()
    page.click("#gateway-decision-form-approve")
    expect(page.locator(".messages .message")).to_have_count(1)

    page.goto(f"/catalog/gateways/{gateway.pk}/")
    expect(page.locator("#gateway-decision-form")).to_have_count(0)
    expect(page.locator("#gateway-decision-form-refuse")).to_have_count(0)

    # Refusing another gateway: without a reason one error, with it one message.
    other = gateways.register_gateway(
        engineer, participant, "gw2", "127.0.0.1:2", csr_for(participant, server_code="gw2")
    )
    page.goto(f"/catalog/gateways/{other.pk}/")
    page.click("#gateway-decision-form-refuse")
    expect(page.locator(".errorlist li")).to_have_count(1)
    page.fill("textarea[name=comment]", "Wrong address")
    page.click("#gateway-decision-form-refuse")
    expect(page.locator(".messages .message")).to_have_count(1)
