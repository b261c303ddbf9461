"""The whole life of an element in a real browser, every role in its own session (000 §15–§29)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.factories import (
    PDF_BYTES,
    AuthorisedBodyUserFactory,
    EmployeeFactory,
    OperatorFactory,
)
from tunduk.registry.models import Element

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NAME = "Unified register of social benefits"


def fill_complete_record(page: Page) -> None:
    """Fields 3–16 of 000 §20, including one row in each list of fields 8–11."""
    page.fill("textarea[name=purpose]", "Assigning and paying social benefits")
    page.fill("textarea[name=legal_acts]", "Government decree No. 200 of 11 April 2018")
    page.fill("input[name=responsible_unit]", "IT department")
    page.fill("textarea[name=responsible_officials]", "B. Bekov, head of IT")
    page.fill("textarea[name=architecture]", "Three-tier web application")
    page.fill("input[name=location]", "State data centre, Bishkek")
    page.fill("input[name=location_responsible]", "IT department")
    page.fill("input[name=developer]", "Infocom")
    page.fill("input[name=user_count]", "350")
    page.select_option("select[name=financing_source]", "republican_budget")
    page.fill("input[name=commissioning_act_reference]", "Act No. 12 of 1 March 2024")
    page.fill("input[name=software-0-name]", "PostgreSQL")
    page.click("#software-add-row")
    page.fill("input[name=software-1-name]", "Python")
    page.fill("input[name=resources-0-full_name]", "Register of benefit recipients")
    page.fill("input[name=interactions-0-resource_name]", "Population register")
    page.fill("input[name=services-0-name]", "Benefit status for state bodies")


def upload(page: Page, element: Element, kind: str, path: Path) -> None:
    page.goto(f"/elements/{element.pk}/documents/")
    page.check(f"input[name=kind][value={kind}]")
    page.fill("input[name=title]", kind)
    page.set_input_files("input[name=file]", str(path))
    page.click("#upload-button")
    expect(page.locator("#errors-file")).to_have_count(0)


def test_element_life_from_draft_to_decommissioned(new_page, sign_in, subject, tmp_path):
    """000 §20–§29: create, refuse as incomplete, complete, register, change (public only once
    accepted, 000 §21, §24), decommission; public sees it all."""
    employee = EmployeeFactory(subject=subject)
    operator, body = OperatorFactory(), AuthorisedBodyUserFactory()
    document = tmp_path / "document.pdf"
    document.write_bytes(PDF_BYTES)

    staff, officer, public = new_page(), new_page(), new_page()
    sign_in(staff, employee.username)
    sign_in(officer, operator.username)

    # The employee creates an element and submits it incomplete (000 §20).
    staff.goto("/elements/new/")
    staff.fill("input[name=full_name]", NAME)
    staff.fill("input[name=short_name]", "URSB")
    staff.check("#id_element_type_0")
    staff.click("#save-button")
    element = Element.objects.get(full_name=NAME)
    expect(staff.locator("#missing-fields li[data-field='4']")).to_be_visible()
    staff.goto(f"/elements/{element.pk}/submit/")
    expect(staff.locator("#checklist tr.checklist-item.missing").first).to_be_visible()
    staff.check("#id_allow_incomplete")
    staff.click("#submit-button")

    # The operator refuses it for incompleteness (000 §23.2).
    officer.goto("/review/")
    officer.locator("tr.queue-row", has_text=NAME).get_by_role("link").first.click()
    officer.check("input[name=ground][value=incomplete]")
    officer.fill("textarea[name=explanation]", "Fields 4 to 17 are missing.")
    officer.click("button[name=action][value=refuse]")
    element.refresh_from_db()
    assert element.status == "refused"

    # The employee completes the record, attaches both documents and resubmits.
    staff.goto(f"/elements/{element.pk}/edit/")
    fill_complete_record(staff)
    staff.click("#save-button")
    upload(staff, element, "technical", document)
    upload(staff, element, "commissioning_act", document)
    staff.goto(f"/elements/{element.pk}/submit/")
    expect(staff.locator("#checklist tr.checklist-item.missing")).to_have_count(0)
    staff.click("#submit-button")

    # The operator registers it; the code appears on the public page (000 §21–22).
    officer.goto("/review/")
    officer.locator("tr.queue-row", has_text=NAME).get_by_role("link").first.click()
    expect(officer.locator("#record-checklist tr.field-row.missing")).to_have_count(0)
    officer.click("button[name=action][value=register]")
    expect(officer.locator("#registration-code")).to_have_text(re.compile(r"IS-\d{4}-\d{6}"))
    element.refresh_from_db()
    public.goto(f"/elements/{element.pk}/")
    expect(public.locator("#registration-code")).to_have_text(element.registration_code)

    # The employee changes a field: a proposed change, not yet public (000 §21, §24).
    staff.goto(f"/elements/{element.pk}/edit/")
    staff.fill("input[name=user_count]", "420")
    staff.click("#save-button")
    public.goto(f"/elements/{element.pk}/")
    expect(public.locator("#record-field-15 dd")).to_have_text("350")
    expect(public.locator("#proposed-change")).to_have_count(0)
    staff.goto(f"/elements/{element.pk}/submit/")
    staff.click("#submit-button")

    # The operator reviews the change beside the registered record, field by field.
    officer.goto("/review/")
    officer.locator("tr.queue-row", has_text=NAME).get_by_role("link").first.click()
    compared = officer.locator("#record-comparison tr.compared-field[data-field='15']")
    expect(compared).to_have_attribute("data-changed", "true")
    expect(compared.locator("td.registered")).to_contain_text("350")
    expect(compared.locator("td.proposed")).to_contain_text("420")
    expect(officer.locator("#record-comparison tr.compared-field.changed")).to_have_count(1)
    public.goto(f"/elements/{element.pk}/")
    expect(public.locator("#record-field-15 dd")).to_have_text("350")
    officer.click("button[name=action][value=register]")

    # Accepted, the change is the public record; the history shows the difference.
    public.goto(f"/elements/{element.pk}/")
    expect(public.locator("#record-field-15 dd")).to_have_text("420")
    public.goto(f"/elements/{element.pk}/history/")
    change = public.locator("tr.diff-row[data-field='15']").first
    expect(change.locator("td.diff-old")).to_have_text("350")
    expect(change.locator("td.diff-new")).to_have_text("420")

    # The employee files the decommissioning notice with the decision copy (000 §28).
    staff.goto(f"/elements/{element.pk}/decommission/")
    staff.fill("input[name=decision_date]", date.today().isoformat())
    staff.fill("input[name=decision_reference]", "Order No. 45")
    staff.set_input_files("input[name=decision_copy]", str(document))
    staff.click("#decommission-button")
    expect(staff.locator("#decommissioning-notice")).to_be_visible()

    # The authorised body agrees (000 §27); the operator records it (000 §29).
    agreeing = new_page()
    sign_in(agreeing, body.username)
    agreeing.goto("/decommissioning/")
    agreeing.locator("button[name=action][value=agree]").first.click()
    officer.goto("/decommissioning/")
    officer.locator("button[name=action][value=record]").first.click()

    # Decommissioned, and still readable by the public (000 §3).
    public.goto(f"/elements/{element.pk}/")
    expect(public.locator("#element-status")).to_have_attribute("data-status", "decommissioned")
    expect(public.locator("#element-name")).to_contain_text(NAME)
    expect(public.locator("#registration-code")).to_have_text(element.registration_code)
