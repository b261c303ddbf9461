"""The environment reading: production is the default, development must be asked for."""

from __future__ import annotations

import pytest

from tunduk.settings.env import PLACEHOLDER_SECRET, ConfigurationError, Environment

STRONG_SECRET = "kz7Qw2-production-like-secret-with-enough-entropy-0123456789abcdef"


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
