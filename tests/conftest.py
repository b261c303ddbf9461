"""Shared fixtures: users for each role, subjects, and complete or incomplete elements."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.factories import (
    AuthorisedBodyUserFactory,
    EmployeeFactory,
    OperatorFactory,
    SubjectFactory,
)


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
