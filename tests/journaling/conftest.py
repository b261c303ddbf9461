"""Fixtures for tampering with the Registry's journal as its database owner could."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection

from tunduk.journal import drop_append_only_sql

Sql = Callable[..., None]


def _run(statement: str, *params: object) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def db_owner(db) -> Sql:
    """Run SQL as the database owner: the append-only triggers are dropped first.

    The test's transaction is rolled back afterwards, triggers included.
    """
    dialect = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    for statement in drop_append_only_sql(dialect):
        _run(statement)
    return _run
