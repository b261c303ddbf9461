"""Who acts: the one type every rule, service and audit record names for the acting user.

An ``Actor`` is either a signed-in ``Member`` (in practice ``tunduk.accounts.models.User``)
or Django's ``AnonymousUser`` (the public, or an API call without a token). ``core`` sits
below ``accounts`` in the layers, so it describes the signed-in user by the attributes the
rules read rather than importing the model. ``is_authenticated`` tells the two apart, and
type checkers narrow on it::

    if actor.is_authenticated:
        actor.role  # a Member here
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Protocol, TypeAlias

if TYPE_CHECKING:  # at run time the auth models need the app registry, which a command
    # that uses only the journal (``journal monitor``) never sets up
    from django.contrib.auth.models import AnonymousUser

__all__ = ["Actor", "Member"]


class Member(Protocol):
    """A signed-in user: what the rules read of ``accounts.User``."""

    @property
    def is_authenticated(self) -> Literal[True]:
        """Always true for a signed-in user; the anonymous public's is false."""

    @property
    def pk(self) -> int:
        """The user's primary key."""

    @property
    def role(self) -> str:
        """The ``tunduk.accounts.choices.Role`` value; empty for a user without a role."""

    @property
    def subject_id(self) -> int | None:
        """The accounting subject a subject employee acts for; ``None`` for staff."""


Actor: TypeAlias = "Member | AnonymousUser"
"""The acting user: a signed-in ``Member`` or the anonymous public."""
