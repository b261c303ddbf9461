"""Issue 7 (7): the public pages leak nothing through exports, history or downloads."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_registered

pytestmark = pytest.mark.django_db


def streamed(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def test_csv_export_neutralises_formula_cells(client: Client, employee, operator):
    """Issue 7 (7): a registered name ``=HYPERLINK(…)`` reaches the public CSV as text, not a formula."""
    make_registered(
        employee,
        operator,
        full_name='=HYPERLINK("http://127.0.0.1/x","click")',
        short_name="+SUM(1)",
    )
    body = streamed(client.get(reverse("registry:element-export-csv")))
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0]["full_name"] == "'=HYPERLINK(\"http://127.0.0.1/x\",\"click\")"
    assert rows[0]["short_name"] == "'+SUM(1)"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())
