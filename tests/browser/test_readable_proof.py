"""The public proof of a journal entry has a readable page; the raw C2SP text stays for tools
(issue 11, defect 10)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories import EmployeeFactory, OperatorFactory, make_registered
from tunduk.journaling.checkpoints import publish_checkpoint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["ky", "en"])
def test_history_links_to_a_readable_proof_page(page_in, language, subject) -> None:
    """A person following "proof" reads what it shows; the raw text is one link further."""
    element = make_registered(EmployeeFactory(subject=subject), OperatorFactory())
    publish_checkpoint()
    page = page_in(language)
    page.goto(f"/elements/{element.pk}/history/")
    page.locator("td.version-proof a").first.click()
    expect(page.locator("#proof-summary")).to_be_visible()
    expect(page.locator("#proof-checkpoint")).not_to_be_empty()
    assert "c2sp.org/tlog-proof" not in page.locator("h1").inner_text()
    raw = page.request.get(page.locator("#proof-raw").get_attribute("href") or "")
    assert raw.status == 200 and raw.text().startswith("c2sp.org/tlog-proof")
    # An entry no checkpoint covers yet has no proof page.
    missing = page.goto("/journal/entries/999999/proof/page")
    assert missing is not None and missing.status == 404
