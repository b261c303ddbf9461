"""Finding the object a request names, and the acting user: shared by every app's API."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet, TextChoices
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from tunduk.core.actors import Actor, Member
from tunduk.core.permissions import require_role

M = TypeVar("M", bound=Model)


def actor(request: HttpRequest) -> Actor:
    """The user the request acts as: the token's user, or the anonymous public."""
    acting: Actor = request.auth  # type: ignore[attr-defined]  # django-ninja sets ``auth`` at run time
    return acting


def get_or_404(queryset: QuerySet[M], pk: int) -> M:
    """The object with ``pk`` in ``queryset``; 404 otherwise."""
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404(_("There is no such object."))
    return found


def require_roles(
    request: HttpRequest, *roles: TextChoices, obj: Any = None, action: str = ""
) -> Member:
    """The acting user if it holds one of ``roles``; otherwise ``NotPermitted`` (403), which the
    API's error handler audits like the services' refusals."""
    return require_role(actor(request), *roles, obj=obj, action=action)
