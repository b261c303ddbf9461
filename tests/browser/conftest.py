"""Headless Chromium (Debian's, never downloaded) driven by Playwright against a live server."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.factories import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
# between browser steps are still synchronous, so Django's async guard is relaxed here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# Package scope, not session: Playwright's loop must stop when the browser tests end, or
# every asyncio test after them (the gateway's) finds a loop already running.
@pytest.fixture(scope="package")
def browser() -> Iterator[object]:
    """One Chromium for the browser tests; fails (not skips) when Chromium is missing."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), "Debian's chromium is missing: run bin/setup-browser"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open a fresh browser context (its own cookies) per role; English UI."""
    contexts = []

    def open_page():
        context = browser.new_context(locale="en-US", base_url=live_server.url)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def sign_in() -> Callable[[Any, str], None]:
    """``sign_in(page, username)``: sign in on the page with the factories' password."""
    from playwright.sync_api import expect

    def sign_in_as(page: Any, username: str) -> None:
        page.goto("/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("#login-button")
        expect(page.locator("#nav-profile")).to_be_visible()

    return sign_in_as


@pytest.fixture
def page_in(browser, live_server):
    """``page_in("ky")``: a fresh context (its own cookies) whose browser asks for that language."""
    contexts = []

    def open_page(language: str):
        context = browser.new_context(
            locale=language,
            base_url=live_server.url,
            extra_http_headers={"Accept-Language": language},
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
