"""Outages, maintenance, violations and errors reported to the operator (003 §3.2.13)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tunduk import limits
from tunduk.catalog.choices import NoticeKind
from tunduk.core.fields import bounded_text


class Notice(models.Model):
    """A participant's report to the operator, or the operator's own published notice."""

    participant = models.ForeignKey(
        "catalog.Participant",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notices",
        help_text=_("Empty for notices the operator publishes about the exchange itself."),
    )
    subsystem = models.ForeignKey(
        "catalog.Subsystem", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NoticeKind.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), **bounded_text(limits.LONG_TEXT))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    is_public = models.BooleanField(_("shown to the public"), default=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported"), auto_now_add=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return self.title
