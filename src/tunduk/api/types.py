"""Input types shared by every app's API schemas: safe, bounded text and identifiers.

Every text has a maximum length: ``Text`` the long-text limit of ``tunduk.limits``,
``column(model, name)`` the ``max_length`` of the model's column it is stored in.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from django.db import models
from django.utils.translation import gettext as _
from ninja import Path
from pydantic import AfterValidator, Field

from tunduk import limits
from tunduk.core.search import MAX_QUERY
from tunduk.core.text import has_line_break

# Largest value a 64-bit primary key can hold; larger numbers are refused as invalid input.
MAX_ID = 2**63 - 1
# PositiveIntegerField is a 32-bit column on PostgreSQL.
MAX_COUNT = 2**31 - 1
# Nothing the API records predates the Republic's independence (one place: tunduk.limits).
EARLIEST_DATE = limits.EARLIEST_DATE


def _storable(value: str) -> str:
    # PostgreSQL text cannot hold NUL, and lone surrogates cannot be encoded as UTF-8.
    if "\x00" in value:
        raise ValueError(_("The text contains a NUL character."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(_("The text is not valid Unicode.")) from None
    return value


def _one_line(value: str) -> str:
    # Titles become e-mail subjects and headings: a line break would inject headers.
    if has_line_break(value):
        raise ValueError(_("Write this on one line, without line breaks."))
    return value


def _not_ancient(value: date) -> date:
    if value < EARLIEST_DATE:
        raise ValueError(
            _("The date must not be before %(date)s.") % {"date": EARLIEST_DATE.isoformat()}
        )
    return value


def column(model: type[models.Model], name: str) -> int:
    """The ``max_length`` of the model's text column ``name``, for ``Field(max_length=…)``."""
    limit = getattr(model._meta.get_field(name), "max_length", None)
    assert isinstance(limit, int), f"{model.__name__}.{name} has no max_length"
    return limit


# Write a bounded text as ``Annotated[str, Field(max_length=N), STORABLE]``: nesting
# ``Annotated[Text, Field(...)]`` would keep Text's own limit and report a list's error.
STORABLE = AfterValidator(_storable)
Text = Annotated[str, Field(max_length=limits.LONG_TEXT), STORABLE]
# A list's search (``q``): a literal of at most ``MAX_QUERY`` characters (docs/search.md).
SearchText = Annotated[str, Field(max_length=MAX_QUERY), STORABLE]
PemText = Annotated[str, Field(max_length=limits.PEM_TEXT), STORABLE]
# A title or reference on one line: it becomes an e-mail subject or a document's title.
ONE_LINE = AfterValidator(_one_line)
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
RecentDate = Annotated[date, AfterValidator(_not_ancient)]
PathId = Annotated[int, Path(ge=1, le=MAX_ID, description="Identifier.")]
