"""Input types shared by the Registry's API schemas: safe text and bounded identifiers."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Path
from pydantic import AfterValidator, Field

from tunduk.registry.text import has_line_break

# Largest value a 64-bit primary key can hold; larger numbers are refused as invalid input.
MAX_ID = 2**63 - 1
# PositiveIntegerField is a 32-bit column on PostgreSQL.
MAX_COUNT = 2**31 - 1
# Nothing in the Registry predates the Republic's independence (31 August 1991).
EARLIEST_DATE = date(1991, 1, 1)


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


Text = Annotated[str, AfterValidator(_storable)]
OneLine = Annotated[Text, AfterValidator(_one_line)]
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
RecentDate = Annotated[date, AfterValidator(_not_ancient)]
PathId = Annotated[int, Path(ge=1, le=MAX_ID, description="Identifier.")]
