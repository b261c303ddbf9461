"""The signed-in ``User`` behind an ``Actor``, for the services that record who acted.

``tunduk.core.actors.Actor`` describes the signed-in user by the attributes the rules read,
because ``core`` sits below ``accounts``. A service that stores the acting user in a
foreign key (``created_by``, ``decided_by``...) needs the model itself: it calls
``signed_in_user`` after its rule has refused the anonymous public.
"""

from __future__ import annotations

from tunduk.accounts.models import User
from tunduk.core.actors import Actor

__all__ = ["signed_in_user"]


def signed_in_user(actor: Actor) -> User:
    """``actor`` as the ``User`` it is; a programming error if a rule let the public through."""
    if not isinstance(actor, User):
        raise TypeError(f"a signed-in user is required here, not {actor!r}")
    return actor
