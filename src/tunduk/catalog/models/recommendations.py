"""The operator's cyber-security recommendations to a participant (003 §2.6, §3.2.14–§3.2.15)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tunduk import limits
from tunduk.core.fields import bounded_text


class Recommendation(models.Model):
    """A recommendation from the operator's monitoring that the participant must carry out."""

    participant = models.ForeignKey(
        "catalog.Participant", on_delete=models.PROTECT, related_name="recommendations"
    )
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("recommendation"), **bounded_text(limits.LONG_TEXT))
    due_date = models.DateField(_("to be carried out by"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    implemented_at = models.DateTimeField(_("reported carried out"), null=True, blank=True)
    implemented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    implementation_report = models.TextField(
        _("what was done"), blank=True, **bounded_text(limits.LONG_TEXT)
    )

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["implemented_at", "due_date", "id"]

    def __str__(self) -> str:
        return self.title
