"""Finding the object a request names, and the acting user."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from tunduk.accounts.choices import Role
from tunduk.registry.api.visibility import visible_elements
from tunduk.registry.models import Element
from tunduk.registry.permissions import require_role

M = TypeVar("M", bound=Model)


def actor(request: HttpRequest) -> Any:
    """The user the request acts as: the token's user, or the anonymous public."""
    return request.auth  # type: ignore[attr-defined]  # django-ninja sets ``auth`` at run time


def get_or_404(queryset: QuerySet[M], pk: int) -> M:
    """The object with ``pk`` in ``queryset``; 404 otherwise."""
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404(_("There is no such object."))
    return found


def readable_element(request: HttpRequest, element_id: int) -> Element:
    """An element the caller may read; drafts of other subjects look like they do not exist.

    Writes look the element up here too: what the caller cannot read answers 404, never a
    403 that would confirm it exists; the service then decides (and audits) the rest.
    """
    return get_or_404(visible_elements(actor(request)), element_id)


def require_roles(request: HttpRequest, *roles: Role, obj: Any = None, action: str = "") -> Any:
    """The acting user if it holds one of ``roles``; otherwise ``NotPermitted`` (403), which the
    API's error handler audits like the services' refusals."""
    user = actor(request)
    require_role(user, *roles, obj=obj, action=action)
    return user
