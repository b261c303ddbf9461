"""Take the screenshots of docs/screenshots/ (a script, not a test): the main pages in Kyrgyz
and English, on a desktop (1280 px) and a phone (375 px).

    .venv/bin/python docs/screenshots/take.py after
    PYTHONPATH=/path/to/older/src .venv/bin/python docs/screenshots/take.py before

It builds the test world of tests/browser/_world.py in a throw-away SQLite database, serves
the site on 127.0.0.1 with Django's live server and drives Debian's Chromium with Playwright.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
sys.path.insert(1, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tunduk.settings.test")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.pop("DATABASE_URL", None)

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 740}}
LANGUAGES = ("ky", "en")


def main(label: str) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test.testcases import LiveServerThread, _StaticFilesHandler
    from django.test.utils import setup_test_environment
    from playwright.sync_api import sync_playwright
    from tests.browser._world import build_world
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
    from tests.factories import PASSWORD

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    world = build_world()
    server = LiveServerThread("127.0.0.1", _StaticFilesHandler, connections_override={})
    server.daemon = True
    server.start()
    server.is_ready.wait()
    base = f"http://127.0.0.1:{server.port}"
    shots = [
        ("elements", None, "/elements/"),
        ("long-name", None, f"/elements/{world.long_element.pk}/"),
        ("review-queue", "operator", "/review/"),
    ]
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for name, role, url in shots:
                for language in LANGUAGES:
                    for size, viewport in VIEWPORTS.items():
                        context = browser.new_context(base_url=base, viewport=viewport)
                        context.add_cookies(
                            [{"name": "django_language", "value": language, "url": base}]
                        )
                        page = context.new_page()
                        if role:
                            page.goto("/accounts/login/")
                            page.fill("input[name=username]", world.users[role].username)
                            page.fill("input[name=password]", PASSWORD)
                            page.click("#login-button")
                            page.wait_for_load_state("networkidle")
                        page.goto(url)
                        page.wait_for_load_state("networkidle")
                        path = OUT / f"{label}-{name}-{language}-{size}.png"
                        page.screenshot(path=str(path))
                        print(path.relative_to(ROOT), path.stat().st_size // 1024, "kB")
                        context.close()
            browser.close()
    finally:
        server.terminate()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "after")
