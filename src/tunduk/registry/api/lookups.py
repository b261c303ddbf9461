"""Finding the element a Registry request names, as the caller may see it."""

from __future__ import annotations

from django.http import HttpRequest

from tunduk.api.lookups import actor, get_or_404
from tunduk.registry.models import Element
from tunduk.registry.visibility import visible_elements


def readable_element(request: HttpRequest, element_id: int) -> Element:
    """An element the caller may read; drafts of other subjects look like they do not exist.

    Writes look the element up here too: what the caller cannot read answers 404, never a
    403 that would confirm it exists; the service then decides (and audits) the rest.
    """
    return get_or_404(visible_elements(actor(request)), element_id)
