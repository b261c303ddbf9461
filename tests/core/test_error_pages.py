"""Production error pages (issue 11 item 6): 400, 403, 404, 500 and a refused CSRF check are
the site's own pages, in the visitor's language, not Django's bare English ones."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory, override_settings
from django.urls import get_resolver
from django.utils import translation

from tunduk.core import error_pages

pytestmark = pytest.mark.django_db
LAYOUT = ('id="skip-link"', 'class="site-header"', 'id="language-select"', 'id="main-content"')


def assert_site_page(html: str, language: str) -> None:
    assert f'<html lang="{language}">' in html
    for marker in LAYOUT:
        assert marker in html, marker


@override_settings(DEBUG=False)
@pytest.mark.parametrize("language", ["ky", "en"])
def test_not_found_is_the_sites_page(language):
    """Issue 11 (6): a 404 has the site's layout and language; the address is not echoed."""
    response = Client().get("/elements/<script>nope/", HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    assert response.status_code == 404
    assert_site_page(html, language)
    assert "<script>nope" not in html
    if language == "en":
        assert "Page not found" in html


@override_settings(DEBUG=False)
@pytest.mark.parametrize("language", ["ky", "en"])
def test_refused_csrf_check_is_the_sites_page(language, employee):
    """Issue 11 (6): a form posted without its CSRF token (forged, or from an old page) gets
    the site's 403 page in the visitor's language, and nothing happens."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(employee)
    response = client.post("/elements/new/", {"full_name": "Forged"}, HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    assert response.status_code == 403
    assert_site_page(html, language)
    assert 'id="error-title"' in html
    if language == "en":
        assert "The form has expired" in html
    from tunduk.registry.models import Element

    assert not Element.objects.filter(full_name="Forged").exists()


@pytest.mark.parametrize("language", ["ky", "en"])
def test_server_error_page_is_the_sites_page(language):
    """Issue 11 (6): the 500 handler wired in the URLconf renders the site's layout, translated,
    without the request's context processors (the database may be what failed)."""
    handler = get_resolver().resolve_error_handler(500)
    assert handler is error_pages.server_error
    request = RequestFactory().get("/elements/")
    with translation.override(language):
        response = handler(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert_site_page(html, language)
    if language == "en":
        assert "Sorry, there is a problem with the service" in html


@override_settings(DEBUG=False)
@pytest.mark.parametrize("status", [400, 403, 404, 500])
def test_every_error_handler_is_the_projects(status):
    """Issue 11 (6): no status falls back to Django's bare page."""
    assert get_resolver().resolve_error_handler(status).__module__ == "tunduk.core.error_pages"


@override_settings(DEBUG=False)
def test_permission_denied_gives_the_shared_page():
    """Issue 11 (6): a PermissionDenied raised anywhere shows the shared 403 page."""
    from django.core.exceptions import PermissionDenied

    request = RequestFactory().get("/")
    with translation.override("en"):
        response = error_pages.permission_denied(request, PermissionDenied("Not yours"))
    html = response.content.decode()
    assert response.status_code == 403 and "Not yours" in html and 'id="forbidden-reason"' in html
