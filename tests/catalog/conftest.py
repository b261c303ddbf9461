"""Catalog fixtures."""

from __future__ import annotations

import pytest

from tests.factories import TundukOperatorFactory, make_participant, make_subsystem


@pytest.fixture
def tunduk_operator(db):
    return TundukOperatorFactory()


@pytest.fixture
def provider(tunduk_operator):
    """A participant with one subsystem: (participant, engineer, subsystem)."""
    participant, engineer = make_participant(tunduk_operator, "70000001")
    return participant, engineer, make_subsystem(participant, engineer, "births")


@pytest.fixture
def consumer(tunduk_operator):
    """Another participant with one subsystem."""
    participant, engineer = make_participant(tunduk_operator, "70000002")
    return participant, engineer, make_subsystem(participant, engineer, "benefits")
