"""Requests from the authorised body for additional information about an element (000 §10)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tunduk import limits
from tunduk.core.fields import bounded_text
from tunduk.registry.choices import InformationRequestStatus


class InformationRequest(models.Model):
    """A question the authorised body asks a subject about one element, and its answer."""

    element = models.ForeignKey(
        "registry.Element", on_delete=models.PROTECT, related_name="information_requests"
    )
    question = models.TextField(_("question"), **bounded_text(limits.LONG_TEXT))
    answer_due = models.DateField(_("answer requested by"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=InformationRequestStatus.choices,
        default=InformationRequestStatus.OPEN,
        db_index=True,
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(_("asked"), auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True, **bounded_text(limits.LONG_TEXT))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("information request")
        verbose_name_plural = _("information requests")
        ordering = ["-asked_at", "id"]

    def __str__(self) -> str:
        return f"{self.element}: {self.question[:40]}"
