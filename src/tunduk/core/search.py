"""Search text folded the same way in Python, SQLite and PostgreSQL (docs/search.md).

``fold`` is what a search compares: lower case, ``ё`` read as ``е`` (Russian writes
either), spaces collapsed; the Kyrgyz letters ``ө``, ``ү`` and ``ң`` stay themselves.
A stored search column holds ``fold`` of the fields it covers (``searchable``); a
column without one is folded in the query by ``Folded``, which SQLite runs through the
same Python function (registered on every connection: its own ``LOWER`` and ``LIKE``
only know ASCII) and PostgreSQL through ``LOWER`` and ``REPLACE``.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Func, TextField
from django.db.models.sql.compiler import SQLCompiler

__all__ = ["MAX_QUERY", "SQLITE_FOLD", "Folded", "fold", "register_sqlite_fold", "searchable"]

# The longest search a list accepts, in characters: longer names do not exist (a subject's
# name has at most 300) and a longer pattern only costs the database time.
MAX_QUERY = 200
# The SQLite function name of ``fold``.
SQLITE_FOLD = "tunduk_fold"


def fold(text: str | None) -> str:
    """``text`` as a search compares it: lower case, ``ё`` as ``е``, single spaces."""
    if not text:
        return ""
    return " ".join(text.lower().replace("ё", "е").split())


def searchable(*values: object) -> str:
    """The stored search column of a row: every non-empty value folded, one per line."""
    return "\n".join(fold(str(value)) for value in values if value)


def _sqlite_fold(value: object) -> str | None:
    return None if value is None else fold(str(value))


def register_sqlite_fold(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """``connection_created`` receiver: give SQLite connections ``tunduk_fold(text)``."""
    if connection.vendor != "sqlite":
        return
    raw: sqlite3.Connection = connection.connection
    raw.create_function(SQLITE_FOLD, 1, _sqlite_fold, deterministic=True)


class Folded(Func):
    """``fold`` of a column, in SQL: compare it with ``fold`` of the query."""

    function = SQLITE_FOLD
    arity = 1
    output_field = TextField()

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> Any:
        # Spaces collapse too, as ``fold`` does; LOWER follows the database's locale.
        return self.as_sql(
            compiler,
            connection,
            template="REGEXP_REPLACE(REPLACE(LOWER(%(expressions)s), 'ё', 'е'), '\\s+', ' ', 'g')",
            **extra_context,
        )
