"""Shared fixtures and helpers: users for each role, subjects, and an API client.

``ApiClient`` calls ``/api/…`` as one user (``api_as(user)``) or as the public (``public_api``);
tests that issue a token themselves build one with ``ApiClient(raw_token)``.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from tests.factories import (
    AuthorisedBodyUserFactory,
    EmployeeFactory,
    OperatorFactory,
    SubjectFactory,
)
from tunduk.accounts.tokens import ApiToken


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def subject(db):
    return SubjectFactory()


@pytest.fixture
def employee(subject):
    return EmployeeFactory(subject=subject)


@pytest.fixture
def operator(db):
    return OperatorFactory()


@pytest.fixture
def authorised_body(db):
    return AuthorisedBodyUserFactory()


class ApiClient:
    """Calls ``/api/…`` as one user (or as the public when ``token`` is ``None``)."""

    def __init__(self, token: str | None = None) -> None:
        self.client = Client()
        self.token = token

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api{path}", params, headers=self._headers())

    def post(self, path: str, body: Any = None) -> Any:
        data = "" if body is None else json.dumps(body)
        return self.client.post(
            f"/api{path}", data, content_type="application/json", headers=self._headers()
        )

    def patch(self, path: str, body: Any) -> Any:
        return self.client.patch(
            f"/api{path}",
            json.dumps(body),
            content_type="application/json",
            headers=self._headers(),
        )

    def upload(self, path: str, fields: dict[str, Any], upload: Any) -> Any:
        """A multipart POST with form ``fields`` and the file under ``file``."""
        return self.client.post(f"/api{path}", {**fields, "file": upload}, headers=self._headers())


@pytest.fixture
def public_api() -> ApiClient:
    return ApiClient()


@pytest.fixture
def api_as(db):
    """``api_as(user)`` is a client acting with a new token of ``user``."""

    def make(user: Any) -> ApiClient:
        _token, raw = ApiToken.issue(user, name="test")
        return ApiClient(raw)

    return make
