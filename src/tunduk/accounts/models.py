"""Users and invitations."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tunduk.accounts.choices import STAFF_ROLES, Role
from tunduk.accounts.tokens import hash_token

INVITATION_LIFETIME = timedelta(days=14)


def _new_token() -> str:
    # Only migration 0001 still names this; tokens are now made by ``Invitation.issue``.
    return secrets.token_urlsafe(32)


class User(AbstractUser):
    """A person who signs in: operator staff, authorised body staff, or a subject's employee.

    A subject employee is bound to exactly one accounting subject (000 §16–17) and may
    act only on that subject's elements.
    """

    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    position = models.CharField(pgettext_lazy("job title", "position"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, blank=True)
    subject = models.ForeignKey(
        "registry.Subject",
        verbose_name=_("accounting subject"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employees",
    )
    # The language the user last signed in with; e-mails to them are written in it
    # (empty: the site's default language).
    language = models.CharField(
        _("language of e-mails"), max_length=8, choices=settings.LANGUAGES, blank=True
    )

    # Changed by "sign out everywhere": every session signed in before it no longer matches.
    session_epoch = models.CharField(_("session generation"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="subject_employee") | models.Q(subject__isnull=False),
                name="subject_employee_has_subject",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Django's session check, with the session generation mixed in once it is set, so
        "sign out everywhere" ends every session without touching the password."""
        if not self.session_epoch:
            return str(super()._get_session_auth_hash(secret=secret))  # type: ignore[misc]
        return salted_hmac(
            "tunduk.accounts.User.session",
            f"{self.password}:{self.session_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def is_operator(self) -> bool:
        return self.role == Role.OPERATOR

    @property
    def is_authorised_body(self) -> bool:
        return self.role == Role.AUTHORISED_BODY

    @property
    def is_subject_employee(self) -> bool:
        return self.role == Role.SUBJECT_EMPLOYEE

    @property
    def is_tunduk_operator(self) -> bool:
        return self.role == Role.TUNDUK_OPERATOR

    @property
    def is_staff_member(self) -> bool:
        """A staff role, or access to the admin: the accounts two-factor sign-in is for."""
        return self.role in STAFF_ROLES or self.is_staff or self.is_superuser


class Invitation(models.Model):
    """A one-time link sent to a departmental e-mail that lets its holder set a password.

    Only the SHA-256 of the link's token is stored: the plain token is in the e-mail alone,
    so someone who reads the database cannot set the invited employee's password.
    """

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="invitations")
    email = models.EmailField(_("departmental e-mail"))
    token_hash = models.CharField(_("SHA-256 of the token"), max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return self.email

    @classmethod
    def issue(cls, user: User, email: str) -> tuple[Invitation, str]:
        """Create an invitation; the plain token is returned here (for the e-mail) and never again."""
        raw = secrets.token_urlsafe(32)
        return cls.objects.create(user=user, email=email, token_hash=hash_token(raw)), raw

    @classmethod
    def matching(cls, raw: str) -> models.QuerySet[Invitation]:
        """The invitation (if any) whose link carries the plain token ``raw``."""
        return cls.objects.filter(token_hash=hash_token(raw))

    @property
    def is_usable(self) -> bool:
        """True while the link has not been used and has not expired."""
        return self.accepted_at is None and timezone.now() < self.created_at + INVITATION_LIFETIME


from tunduk.accounts.tokens import ApiToken as ApiToken  # noqa: E402  # re-exported last so Django's app registry finds the API token model here
