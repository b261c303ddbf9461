"""Inbox entries and each user's language for e-mail."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tunduk.notifications.kinds import NotificationKind, Rendered, render_kind


class Notification(models.Model):
    """One decision or request told to one user: what, about which object, when, read or not.

    The words are not stored: ``kind`` and ``params`` are rendered when read, so each reader
    sees them in their own language.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=40, choices=NotificationKind.choices)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.rendered.title

    @property
    def rendered(self) -> Rendered:
        """The title and text in the active language."""
        return render_kind(self.kind, self.params)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class MailLanguage(models.Model):
    """The language a user's e-mail is written in: the one they last signed in or chose."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_language"
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("e-mail language")
        verbose_name_plural = _("e-mail languages")

    def __str__(self) -> str:
        return f"{self.user}: {self.language}"
