"""Issue 7 (4): the sign-in settings are read from the environment and bad values stop start-up."""

from __future__ import annotations

import pytest

from tunduk.settings.env import ConfigurationError
from tunduk.settings.login import LoginEnvironment

VARIABLES = (
    "TUNDUK_LOGIN_FAILURE_LIMIT",
    "TUNDUK_LOGIN_COOLOFF_MINUTES",
    "TUNDUK_STAFF_TWO_FACTOR",
    "TUNDUK_TRUSTED_PROXY_COUNT",
    "TUNDUK_APPLICATION_RATE",
    "TUNDUK_CACHE_BACKEND",
    "TUNDUK_CACHE_LOCATION",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)


def test_defaults():
    """Issue 7 (4): 5 failures, 15 minutes, no proxy, optional two-factor, 10 applications an hour."""
    env = LoginEnvironment.read()
    assert (env.failure_limit, env.cooloff_minutes) == (5, 15)
    assert env.trusted_proxy_count == 0
    assert env.staff_two_factor_required is False
    assert env.application_rate == "10/h"


def test_values_from_the_environment(monkeypatch):
    """Issue 7 (4): every limit can be changed by the deployment."""
    monkeypatch.setenv("TUNDUK_LOGIN_FAILURE_LIMIT", "3")
    monkeypatch.setenv("TUNDUK_LOGIN_COOLOFF_MINUTES", "60")
    monkeypatch.setenv("TUNDUK_STAFF_TWO_FACTOR", "true")
    monkeypatch.setenv("TUNDUK_TRUSTED_PROXY_COUNT", "1")
    monkeypatch.setenv("TUNDUK_APPLICATION_RATE", "30/5m")
    env = LoginEnvironment.read()
    assert (env.failure_limit, env.cooloff_minutes, env.trusted_proxy_count) == (3, 60, 1)
    assert env.staff_two_factor_required is True
    assert env.application_rate == "30/5m"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TUNDUK_LOGIN_FAILURE_LIMIT", "0"),
        ("TUNDUK_LOGIN_FAILURE_LIMIT", "five"),
        ("TUNDUK_LOGIN_COOLOFF_MINUTES", "-1"),
        ("TUNDUK_TRUSTED_PROXY_COUNT", "-1"),
        ("TUNDUK_STAFF_TWO_FACTOR", "maybe"),
        ("TUNDUK_APPLICATION_RATE", "ten per hour"),
    ],
)
def test_bad_values_stop_start_up(monkeypatch, name, value):
    """Issue 7 (4): a value that would disable or garble a limit is refused, naming the variable."""
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError, match=name):
        LoginEnvironment.read()
