"""Cells written to CSV files that people open in spreadsheets.

A spreadsheet treats a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some
programs, a tab or carriage return) as a formula: a registered name such as
``=HYPERLINK(…)`` would run in the reader's spreadsheet. Every CSV writer passes its
cells through :func:`safe_cell`, which keeps such text as text.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FORMULA_PREFIXES", "safe_cell"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` with a leading single quote if it is text that would start a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
