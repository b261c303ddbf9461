"""Signed agreements: the connection agreement of 003 and the participants' SLAs (003 §2.5)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tunduk import limits
from tunduk.catalog.choices import AgreementKind
from tunduk.core.fields import bounded_text


def agreement_path(instance: Agreement, filename: str) -> str:
    """Store the signed copy under the agreement and its content hash, never the user's name."""
    return f"agreements/{instance.pk}/{instance.sha256}"


def in_force(now: datetime | None = None, prefix: str = "") -> Q:
    """Agreements in force at ``now``: never terminated, or terminating later (003 §7.2)."""
    moment = now or timezone.now()
    return Q(**{f"{prefix}terminated_at__isnull": True}) | Q(
        **{f"{prefix}terminated_at__gt": moment}
    )


class Agreement(models.Model):
    """A signed agreement of a participant; never deleted, a termination is recorded (003 §7.2)."""

    kind = models.CharField(_("kind"), max_length=20, choices=AgreementKind.choices)
    participant = models.ForeignKey(
        "catalog.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="agreements",
        help_text=_("The owner of the information system; for an SLA, the service's owner."),
    )
    counterparty = models.ForeignKey(
        "catalog.Participant",
        verbose_name=_("counterparty"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="counterparty_agreements",
        help_text=_("The other participant of an SLA; empty for a connection agreement."),
    )
    service = models.ForeignKey(
        "catalog.Service",
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    number = models.CharField(_("number"), max_length=100)
    signed_on = models.DateField(_("signed on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    document = models.FileField(_("signed copy"), upload_to=agreement_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    notes = models.TextField(_("notes"), blank=True, **bounded_text(limits.LONG_TEXT))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    # 003 §7.2, §4: notice of termination is given first; the agreement stays in force
    # until ``terminated_at``, which is the end of the prior notice (or the moment a new
    # agreement superseded it, 003 §7.3).
    termination_notified_at = models.DateTimeField(
        _("notice of termination given"), null=True, blank=True
    )
    terminated_at = models.DateTimeField(_("terminated"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    termination_reason = models.TextField(
        _("reason for termination"), blank=True, **bounded_text(limits.LONG_TEXT)
    )

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-signed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def is_active(self) -> bool:
        """In force now: not terminated, or its notice of termination has not run out."""
        return self.terminated_at is None or self.terminated_at > timezone.now()


def connection_agreement_in_force(participant_id: int, now: datetime | None = None) -> bool:
    """Whether the participant has a connection agreement in force (003 §2.1, §7.3)."""
    return Agreement.objects.filter(
        in_force(now), kind=AgreementKind.CONNECTION, participant_id=participant_id
    ).exists()
