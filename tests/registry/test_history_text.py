"""The history reads as text: no raw ``True``/``False`` (issue 11, defect 10)."""

from __future__ import annotations

from django.utils import translation

from tunduk.registry.views.public_record import show


def test_list_rows_name_flags_instead_of_printing_false():
    """Field 9 rows: "personal data" when marked, nothing when not; never "False" or "True"."""
    with translation.override("en"):
        unmarked = show("resources", [{"full_name": "Register", "contains_personal_data": False}])
        marked = show("resources", [{"full_name": "Persons", "contains_personal_data": True}])
    assert unmarked == "Register"
    assert marked == "Persons, personal data"
    assert "False" not in unmarked + marked and "True" not in unmarked + marked
