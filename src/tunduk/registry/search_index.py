"""The substring index of the elements' ``search_text`` on each engine (docs/search.md).

SQLite: an FTS5 table with the ``trigram`` tokenizer (SQLite 3.34 or later) over the
column, kept in step by three triggers. Django rebuilds a SQLite table to alter it and
the triggers go with the old table, so ``ensure`` runs after every ``migrate`` too: it
puts back what is missing and then rebuilds the index from the table.
PostgreSQL: the ``pg_trgm`` extension and a GIN index that ``LIKE '%…%'`` uses.
Both statements are idempotent; any other engine scans the column.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

__all__ = ["FTS_AVAILABLE", "FTS_TABLE", "ensure", "ensure_after_migrate"]

FTS_TABLE = "registry_element_search"
# The trigram tokenizer came with SQLite 3.34.0; older versions scan the column instead.
FTS_AVAILABLE = sqlite3.sqlite_version_info >= (3, 34, 0)

_SQLITE_TABLE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "search_text, content='registry_element', content_rowid='id', tokenize='trigram')"
)
_DELETE_OLD = (
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text);"
)
_INSERT_NEW = f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text);"
_SQLITE_TRIGGERS = {
    f"{FTS_TABLE}_insert": f"AFTER INSERT ON registry_element BEGIN {_INSERT_NEW} END",
    f"{FTS_TABLE}_delete": f"AFTER DELETE ON registry_element BEGIN {_DELETE_OLD} END",
    f"{FTS_TABLE}_update": (
        f"AFTER UPDATE OF search_text ON registry_element BEGIN {_DELETE_OLD} {_INSERT_NEW} END"
    ),
}
_POSTGRESQL = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS registry_element_search_trgm "
    "ON registry_element USING gin (search_text gin_trgm_ops)",
)


def ensure(connection: BaseDatabaseWrapper) -> None:
    """Create the index where it is missing; on SQLite rebuild it when a trigger was."""
    if "registry_element" not in connection.introspection.table_names():
        return  # migrated back before the Registry's tables
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for statement in _POSTGRESQL:
                cursor.execute(statement)
        elif connection.vendor == "sqlite" and FTS_AVAILABLE:
            cursor.execute(_SQLITE_TABLE)
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            present = {name for (name,) in cursor.fetchall()}
            missing = [name for name in _SQLITE_TRIGGERS if name not in present]
            for name in missing:
                cursor.execute(f"CREATE TRIGGER {name} {_SQLITE_TRIGGERS[name]}")
            if missing:
                cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def ensure_after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """``post_migrate`` receiver of the Registry: ``ensure`` on the migrated database."""
    from django.db import connections

    ensure(connections[using])
