"""API tokens: issued by a command, shown once, stored hashed, revocable."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import ApiClient
from tunduk.accounts.tokens import ApiToken

pytestmark = pytest.mark.django_db


def _create(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("create_api_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_command_prints_a_token_that_works(employee):
    """API: `tunduk create_api_token <username> --name` prints a usable token once."""
    raw, warning = _create(employee.username, "--name", "CI pipeline")
    assert raw.startswith("tdk_")
    assert "cannot be shown again" in warning
    token = ApiToken.objects.get(user=employee)
    assert token.name == "CI pipeline"
    assert ApiClient(raw).get("/submissions").status_code == 200


def test_only_the_hash_is_stored(employee):
    """API: the database holds the SHA-256 of the token, never the token."""
    raw, _warning = _create(employee.username)
    token = ApiToken.objects.get(user=employee)
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {str(value) for value in ApiToken.objects.values_list(flat=False).get()}


def test_use_is_recorded(employee):
    """API: a token's last use is kept so unused tokens can be found and revoked."""
    token, raw = ApiToken.issue(employee)
    assert token.last_used_at is None
    ApiClient(raw).get("/elements")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_unknown_user_is_an_error(db):
    """API: the command names an unknown user instead of failing obscurely."""
    with pytest.raises(CommandError, match="no user"):
        _create("nobody@gov.kg")


def test_an_inactive_users_token_stops_working(employee):
    """API: deactivating a user disables its tokens."""
    _token, raw = ApiToken.issue(employee)
    employee.is_active = False
    employee.save(update_fields=["is_active"])
    assert ApiClient(raw).get("/elements").status_code == 401
