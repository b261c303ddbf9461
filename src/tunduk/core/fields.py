"""Model field helpers shared by the apps."""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxLengthValidator


def bounded_text(limit: int) -> dict[str, Any]:
    """Keyword arguments bounding a ``TextField`` to ``limit`` characters.

    ``max_length`` alone only reaches the form field; the validator makes ``full_clean``
    (and so the services' ``clean_or_raise``) refuse a longer text too.
    """
    return {"max_length": limit, "validators": [MaxLengthValidator(limit)]}
