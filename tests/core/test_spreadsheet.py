"""Issue 7 (7): spreadsheet cells never start a formula."""

from __future__ import annotations

import pytest

from tunduk.core.spreadsheet import safe_cell


@pytest.mark.parametrize("dangerous", ["=1+1", "+1", "-1", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_formula_leading_cells_are_quoted(dangerous: str):
    """Issue 7 (7): a cell starting with = + - @ tab or CR gets a leading single quote."""
    assert safe_cell(dangerous) == "'" + dangerous


@pytest.mark.parametrize("plain", ["Civil registry", "", "IS-00001", 42, None])
def test_plain_cells_are_unchanged(plain):
    """Issue 7 (7): ordinary text and non-text values pass through unchanged."""
    assert safe_cell(plain) == plain
