"""The site's design in a real browser (issue 11 items 2, 6, 7, 11, 17): nothing is loaded
from another site, pages fit a 375 px phone, long words wrap, the language switcher waits
for its button (WCAG 3.2.2), error pages have the site's layout in each language, and axe-core
finds no serious or critical violation on the pages each role uses most."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Route, expect

from tests.browser._world import LONG_WORD, MOST_USED, NOT_FOUND, World, build_world
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
# axe-core from the pinned npm package (package-lock.json), injected from disk: never a CDN.
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# A Kyrgyz lower-case letter followed by a capital: two words run together.
GLUED_WORDS = re.compile(r"\S*[а-яёөүң][А-ЯЁӨҮҢ]\S*")
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
}"""


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


@pytest.fixture
def open_as(browser: Any, live_server: Any) -> Iterator[Callable[..., Page]]:
    """``open_as(role, language, viewport=..., csp=True)``: a page in its own context, the UI
    language chosen by Django's language cookie, signed in as ``role`` unless anonymous.
    Every request's host is recorded in ``page.hosts`` (and any other site's is refused)."""
    contexts = []
    site = urlsplit(live_server.url).netloc

    def open_page(
        role: str = "anonymous",
        language: str = "en",
        *,
        user: Any = None,
        viewport: dict[str, int] | None = None,
        csp: bool = True,
    ) -> Page:
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport or DESKTOP, bypass_csp=not csp
        )
        context.set_default_timeout(20_000)
        context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
        contexts.append(context)
        hosts: list[str] = []

        def record(route: Route) -> None:
            host = urlsplit(route.request.url).netloc
            hosts.append(host)
            if host == site:
                route.continue_()
            else:
                route.abort()

        context.route("**/*", record)
        page = context.new_page()
        page.hosts = hosts  # type: ignore[attr-defined]  # the test reads what was requested
        if user is not None:
            page.goto("/accounts/login/")
            page.fill("input[name=username]", user.username)
            page.fill("input[name=password]", PASSWORD)
            page.click("#login-button")
            expect(page.locator("#nav-profile")).to_be_visible()
        return page

    yield open_page
    for context in contexts:
        context.close()


def horizontal_overflow(page: Page) -> int:
    """How many pixels the page is wider than the window (0 when it fits)."""
    return int(
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


@pytest.mark.parametrize("language", ["ky", "en"])
def test_no_page_requests_anything_outside_the_site(open_as, world, live_server, language):
    """Issue 11 (2): every asset, the API docs' Swagger UI included, comes from the site itself."""
    site = urlsplit(live_server.url).netloc
    page = open_as("operator", language, user=world.users["operator"])
    for url in [*world.pages["operator"][:6], "/api/docs"]:
        page.goto(url)
        page.wait_for_load_state("networkidle")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Tunduk Registry API")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    assert page.hosts and set(page.hosts) == {site}, sorted(set(page.hosts))
    css = [h for h in page.hosts if h == site]
    assert css, "the pages loaded their styles and scripts from the site"


def test_other_site_requests_are_caught(open_as, world, live_server):
    """The recorder above can fail: a page that asks another site for a file is seen."""
    page = open_as("anonymous", csp=False)  # the site's CSP would stop the fetch before the net
    page.goto("/elements/")
    page.evaluate("fetch('http://127.0.0.2:9/outside.js').catch(() => null)")
    page.wait_for_timeout(300)
    assert "127.0.0.2:9" in page.hosts


@pytest.mark.parametrize("language", ["ky", "en"])
def test_main_lists_fit_a_375px_phone(open_as, world, language):
    """Issue 11 (7): at 375 px the lists become cards, nothing is wider than the screen."""
    page = open_as("operator", language, user=world.users["operator"], viewport=PHONE)
    for url in ["/elements/", "/catalog/", "/review/", "/dashboard/", "/working-days/"]:
        page.goto(url)
        assert horizontal_overflow(page) == 0, url
    page.goto("/elements/")
    first_cell = page.locator("table tbody tr td").first
    expect(first_cell).to_have_attribute(
        "data-label", page.locator("table thead th").first.inner_text()
    )
    assert page.locator("table thead").first.bounding_box() is None or (
        page.locator("table thead").first.bounding_box()["height"] <= 1
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_a_500_character_word_wraps(open_as, world, viewport):
    """Issue 11 (7), 000 §20 field 1: a 500-character name wraps; the page neither widens nor
    grows to the 11,823 px it reached before."""
    page = open_as("anonymous", "en", viewport=viewport)
    page.goto(f"/elements/{world.long_element.pk}/")
    expect(page.locator("h1")).to_contain_text(world.long_element.full_name[:40])
    assert horizontal_overflow(page) == 0
    assert page.evaluate("document.documentElement.scrollHeight") < 8000
    page.goto("/elements/")
    assert horizontal_overflow(page) == 0


@pytest.mark.parametrize(("start", "target"), [("ky", "en"), ("en", "ky")])
def test_language_switcher_waits_for_its_button(open_as, world, start, target):
    """Issue 11 (17), WCAG 3.2.2: choosing a language changes nothing until the button is pressed."""
    page = open_as("anonymous", start)
    page.goto("/elements/?q=register")
    expect(page.locator("html")).to_have_attribute("lang", start)
    page.select_option("#language-select", target)
    page.wait_for_timeout(700)
    expect(page.locator("html")).to_have_attribute("lang", start)
    button = page.locator("form.language-switcher button[type=submit]")
    expect(button).to_be_visible()
    button.click()
    expect(page.locator("html")).to_have_attribute("lang", target)
    assert page.url.endswith("/elements/?q=register")


@pytest.mark.parametrize("language", ["ky", "en"])
def test_skip_link_is_first_and_moves_focus_to_the_content(open_as, world, language):
    """Issue 11 (17), WCAG 2.4.1: the first Tab reaches the skip link, which jumps to the content."""
    page = open_as("anonymous", language)
    page.goto("/elements/")
    page.keyboard.press("Tab")
    expect(page.locator("#skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()


@pytest.mark.parametrize("language", ["ky", "en"])
def test_field_errors_are_linked_to_their_inputs(open_as, world, language):
    """Issue 11 (17), WCAG 3.3.1: an error is announced with its field (aria-describedby), the
    summary at the top links to the field."""
    page = open_as("employee", language, user=world.users["employee"])
    page.goto("/elements/new/")
    page.fill("input[name=full_name]", "")
    page.locator("form:has(input[name=full_name]) button[type=submit]").first.click()
    error = page.locator("#errors-full_name")
    expect(error).to_be_visible()
    field = page.locator("input[name=full_name]")
    expect(field).to_have_attribute("aria-invalid", "true")
    assert "errors-full_name" in (field.get_attribute("aria-describedby") or "").split()
    summary_link = page.locator(".govuk-error-summary a[href='#id_full_name']")
    expect(summary_link).to_be_visible()
    summary_link.click()
    expect(field).to_be_focused()


@pytest.mark.parametrize(("language", "title"), [("en", "Page not found"), ("ky", None)])
def test_not_found_page_has_the_site_layout(open_as, world, language, title):
    """Issue 11 (6): a 404 is the site's page in the visitor's language, not Django's bare one."""
    page = open_as("anonymous", language)
    response = page.goto("/elements/999999/")
    assert response is not None and response.status == 404
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("#skip-link")).to_have_count(1)
    expect(page.locator("#language-select")).to_be_visible()
    expect(page.locator("#error-title")).to_be_visible()
    if title:
        expect(page.locator("#error-title")).to_have_text(title)


@pytest.mark.parametrize("language", ["ky", "en"])
def test_a_page_number_that_is_not_a_number_shows_page_one(open_as, world, language):
    """Issue 11 (6): ``?page=abc`` is page 1, not a 404."""
    page = open_as("anonymous", language)
    response = page.goto("/elements/?page=abc")
    assert response is not None and response.status == 200
    expect(page.locator("table tbody tr").first).to_be_visible()


@pytest.mark.parametrize(
    "role", ["anonymous", "employee", "operator", "authorised_body", "tunduk_operator"]
)
@pytest.mark.parametrize("language", ["ky", "en"])
def test_most_used_pages_have_no_serious_accessibility_violation(
    open_as, world, live_server, role, language
):
    """Issue 11 (17): axe-core (served from node_modules) finds no serious or critical
    violation on the 20 (or more) distinct pages each role uses most, each answering 200
    without a redirect, in Kyrgyz and English; and no two Kyrgyz words run together
    ("СезГичТүү", two translations glued by a template)."""
    assert AXE.exists(), "axe-core is missing: run bin/setup (npm ci)"
    page = open_as(role, language, user=world.users.get(role), csp=False)
    failures, answered, glued = {}, set(), {}
    for url in world.pages[role]:
        response = page.goto(url)
        status = response.status if response is not None else None
        if url == NOT_FOUND:
            assert status == 404, (url, status)
        else:
            assert status == 200 and page.url == live_server.url + url, (url, status, page.url)
            answered.add(url)
        page.wait_for_load_state("networkidle")  # the API docs draw themselves by script
        if language == "ky":
            text = page.evaluate("document.body.innerText").replace(LONG_WORD[:500], "")
            if words := GLUED_WORDS.findall(text):
                glued[url] = words
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(RUN_AXE)
        if violations:
            failures[url] = violations
    assert len(answered) >= MOST_USED, sorted(answered)
    assert not failures, failures
    assert not glued, glued


@pytest.mark.parametrize("language", ["ky", "en"])
def test_api_docs_stay_accessible_when_an_operation_is_tried(open_as, world, language):
    """Issue 11 (17): the API docs draw more by script once used; an operation of each method
    opened, "Try it out" pressed and the Authorize dialog open, axe-core still finds no
    serious or critical violation."""
    page = open_as("anonymous", language, csp=False)
    page.goto("/api/docs")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    for method in ["get", "post", "put", "patch", "delete"]:
        page.locator(f".opblock-{method} .opblock-summary-control").first.click()
    page.locator(".try-out__btn").first.click()
    page.locator("button.authorize").first.click()
    expect(page.locator(".modal-ux")).to_be_visible()
    close = {"ky": "Терезени жабуу", "en": "Close the dialogue"}[language]
    expect(page.locator(".modal-ux button.close-modal")).to_have_attribute("aria-label", close)
    expect(page.locator(".opblock.is-open .parameters-container").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.add_script_tag(path=str(AXE))
    assert page.evaluate(RUN_AXE) == []


def test_axe_finds_a_serious_violation_when_there_is_one(open_as, world):
    """The accessibility check can fail: an input without a label is reported."""
    page = open_as("anonymous", "en", csp=False)
    page.goto("/elements/")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=text>')"
    )
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(RUN_AXE)
    assert any(v["id"] == "label" for v in violations), violations
