"""Accepting an invitation (the employee sets a password); creating and revoking API tokens."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tunduk.accounts.models import Invitation, User
from tunduk.accounts.tokens import ApiToken
from tunduk.core.audit import Event, record
from tunduk.core.errors import InvalidInput


class InvitationError(Exception):
    """The invitation link cannot be used; ``field`` names what is wrong."""

    def __init__(self, message: str, field: str = "token") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@transaction.atomic
def accept_invitation(token: str, password: str) -> User:
    """Set the invited user's password and mark the link used."""
    invitation = Invitation.matching(token).select_for_update().select_related("user").first()
    if invitation is None or not invitation.is_usable:
        raise InvitationError(_("This invitation link is unknown, used or expired."))
    try:
        validate_password(password, invitation.user)
    except ValidationError as error:
        raise InvitationError(" ".join(error.messages), field="password") from error
    invitation.user.set_password(password)
    invitation.user.save(update_fields=["password"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    record(Event.INVITATION_ACCEPTED, actor=invitation.user, obj=invitation)
    return invitation.user


@transaction.atomic
def create_api_token(
    user: User, name: str, *, expires_at: datetime | None = None, read_only: bool = False
) -> tuple[ApiToken, str]:
    """Issue a token acting as ``user``; the raw secret is returned here and never again.

    ``expires_at`` (optional) must be in the future; a ``read_only`` token may only read.
    """
    if expires_at is not None and expires_at <= timezone.now():
        raise InvalidInput(_("The expiry must be in the future."), field="expires_at")
    token, raw = ApiToken.issue(user, name=name, expires_at=expires_at, read_only=read_only)
    record(
        Event.API_TOKEN_CREATED,
        actor=user,
        obj=token,
        name=name,
        expires_at=expires_at.isoformat() if expires_at else None,
        read_only=read_only,
    )
    return token, raw


@transaction.atomic
def revoke_api_token(actor: User, token: ApiToken) -> bool:
    """Stop ``token`` from working; False when it was already revoked (nothing recorded).

    Its owner revokes it from the profile page, an administrator from the admin.
    """
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is not None:
        token.revoked_at = locked.revoked_at
        return False
    locked.revoke()
    token.revoked_at = locked.revoked_at
    record(Event.API_TOKEN_REVOKED, actor=actor, obj=locked, owner_id=locked.user_id)
    return True
