"""Finding the objects a Catalog request names: in the path (404) or in the body (400)."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from tunduk.core.errors import InvalidInput

M = TypeVar("M", bound=Model)


def referenced(queryset: QuerySet[M], pk: int, field: str) -> M:
    """The object a body field names; a clear 400 naming the field when there is none.

    A missing object named in the body is a wrong value, not a missing resource: the
    client learns which field to fix. The service then decides whether the caller may use it.
    """
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise InvalidInput(
            _("There is no %(what)s with the id %(id)d.")
            % {"what": queryset.model._meta.verbose_name, "id": pk},
            field=field,
        )
    return found


def optional_reference(queryset: QuerySet[M], pk: int | None, field: str) -> M | None:
    """``referenced`` for a field that may be left out."""
    return None if pk is None else referenced(queryset, pk, field)


__all__ = ["optional_reference", "referenced"]
