"""The environment reading: production is the default, development must be asked for."""

from __future__ import annotations

import pytest

from tunduk.settings.env import PLACEHOLDER_SECRET, ConfigurationError, Environment

STRONG_SECRET = "kz7Qw2-production-like-secret-with-enough-entropy-0123456789abcdef"
SITE_URL = "https://registry.tunduk.example.kg"


@pytest.fixture
def environ(monkeypatch):
    """A process environment without any TUNDUK_* variable."""
    import os

    for name in [n for n in os.environ if n.startswith("TUNDUK_")]:
        monkeypatch.delenv(name)
    return monkeypatch


def test_debug_is_off_unless_asked_for(environ, tmp_path):
    """Issue 7 (3): with TUNDUK_DEBUG unset the deployment runs with debug off."""
    environ.setenv("TUNDUK_SECRET_KEY", STRONG_SECRET)
    environ.setenv("TUNDUK_SITE_URL", SITE_URL)
    env = Environment.read(tmp_path)
    assert env.debug is False
    assert env.hsts_seconds >= 31536000
    assert env.proxy_ssl_header == "X-Forwarded-Proto"


def test_unset_debug_refuses_to_start_without_a_secret(environ, tmp_path):
    """Issue 7 (3): forgetting every variable does not start a server with the placeholder secret."""
    with pytest.raises(ConfigurationError, match="TUNDUK_SECRET_KEY"):
        Environment.read(tmp_path)


@pytest.mark.parametrize("secret", [PLACEHOLDER_SECRET, "short-secret", "a" * 60])
def test_weak_secret_is_refused_outside_development(environ, tmp_path, secret):
    """Issue 7 (3): a placeholder, short or repetitive secret key is refused when debug is off."""
    environ.setenv("TUNDUK_SECRET_KEY", secret)
    with pytest.raises(ConfigurationError, match="TUNDUK_SECRET_KEY"):
        Environment.read(tmp_path)


def test_development_is_an_explicit_choice(environ, tmp_path):
    """Issue 7 (3): TUNDUK_DEBUG=1 (what `make run` sets) gives the development defaults."""
    environ.setenv("TUNDUK_DEBUG", "1")
    env = Environment.read(tmp_path)
    assert env.debug is True
    assert env.secret_key == PLACEHOLDER_SECRET
    assert env.hsts_seconds == 0
    assert env.proxy_ssl_header == ""


@pytest.mark.parametrize(
    "site_url", [None, "http://127.0.0.1:8000", "http://registry.tunduk.example.kg", "registry.kg"]
)
def test_production_refuses_a_site_url_gateways_and_browsers_cannot_use(
    environ, tmp_path, site_url
):
    """Issue 7 (3, 6): outside development the site URL, which names the CRL in the global
    configuration and the invitation links, must be set and https, not the development default."""
    environ.setenv("TUNDUK_SECRET_KEY", STRONG_SECRET)
    if site_url is not None:
        environ.setenv("TUNDUK_SITE_URL", site_url)
    with pytest.raises(ConfigurationError, match="TUNDUK_SITE_URL"):
        Environment.read(tmp_path)


def test_production_keeps_an_https_site_url(environ, tmp_path):
    """Issue 7 (3, 6): an https site URL is taken as given (without a trailing slash)."""
    environ.setenv("TUNDUK_SECRET_KEY", STRONG_SECRET)
    environ.setenv("TUNDUK_SITE_URL", SITE_URL + "/")
    assert Environment.read(tmp_path).site_url == SITE_URL


def test_development_links_follow_the_port_served(environ, tmp_path):
    """Issue 11 (8): `PORT=8123 make run` makes invitation links to port 8123, not 8000."""
    environ.setenv("TUNDUK_DEBUG", "1")
    environ.setenv("PORT", "8123")
    assert Environment.read(tmp_path).site_url == "http://127.0.0.1:8123"
    environ.delenv("PORT")
    assert Environment.read(tmp_path).site_url == "http://127.0.0.1:8000"
