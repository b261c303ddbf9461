"""Decommissioning notices (000 §27–29)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tunduk import limits
from tunduk.core.fields import bounded_text
from tunduk.registry.choices import DecommissioningStatus


class DecommissioningNotice(models.Model):
    """The subject's notice that an element stopped operation, with the decision copy (000 §28)."""

    element = models.ForeignKey(
        "registry.Element", on_delete=models.PROTECT, related_name="decommissioning_notices"
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DecommissioningStatus.choices,
        default=DecommissioningStatus.NOTIFIED,
        db_index=True,
    )
    decision_date = models.DateField(_("date of the decision to stop operation"))
    decision_reference = models.CharField(_("decision number"), max_length=200)
    decision_document = models.ForeignKey(
        "registry.Document",
        verbose_name=_("copy of the decision"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True, **bounded_text(limits.LONG_TEXT))
    notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    notified_at = models.DateTimeField(_("notified"))
    notice_due = models.DateField(_("notice due (000 §28)"))
    is_late = models.BooleanField(_("notified late"), default=False)
    # Set when the authorised body agrees: the operator's 3 working days run from then.
    record_due = models.DateField(
        _("recording due (000 §29)"), null=True, blank=True, db_index=True
    )
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agreed_at = models.DateTimeField(_("agreed"), null=True, blank=True)
    agreement_comment = models.TextField(
        _("comment of the authorised body"), blank=True, **bounded_text(limits.LONG_TEXT)
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("overdue reminder sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("decommissioning notice")
        verbose_name_plural = _("decommissioning notices")
        ordering = ["record_due", "id"]

    def __str__(self) -> str:
        return f"{self.element}: {self.get_status_display()}"
