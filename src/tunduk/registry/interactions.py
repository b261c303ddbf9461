"""Field 10 links to the elements it names (issue 11, item 14).

An interaction row names a resource and the information system holding it (000 §20.10).
When the row has no explicit counterpart, the names are looked up among the Registry's
public elements — full name, short name or registration code, case ignored — so the
record page links to the other element wherever it is in the Registry.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from tunduk.registry.models import Interaction
from tunduk.registry.visibility import public_elements

__all__ = ["link_named_elements"]


def _names(row: Interaction) -> list[str]:
    return [
        name.strip().casefold() for name in (row.system_name, row.resource_name) if name.strip()
    ]


def link_named_elements(rows: Iterable[Interaction], *, exclude: int | None = None) -> None:
    """Set ``linked_element_id`` on each row: its counterpart, else the public element it names."""
    rows = list(rows)
    wanted = {name for row in rows if not row.counterpart_id for name in _names(row)}
    by_name: dict[str, int] = {}
    if wanted:
        condition = Q()
        for name in wanted:
            condition |= (
                Q(full_name__iexact=name)
                | Q(short_name__iexact=name)
                | Q(registration_code__iexact=name)
            )
        matches = public_elements().filter(condition)
        if exclude is not None:
            matches = matches.exclude(pk=exclude)
        for pk, *labels in matches.values_list(
            "pk", "full_name", "short_name", "registration_code"
        ):
            for label in labels:
                if label and label.strip().casefold() in wanted:
                    by_name.setdefault(label.strip().casefold(), pk)
    for row in rows:
        found = next((by_name[name] for name in _names(row) if name in by_name), None)
        row.linked_element_id = row.counterpart_id or found  # type: ignore[attr-defined]
