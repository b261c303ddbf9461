"""Participants (X-Road members) and the history of their status (003 §3.1.1, §4)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tunduk import limits
from tunduk.catalog.choices import MemberClass, ParticipantStatus, StatusChangeKind
from tunduk.core.fields import bounded_text
from tunduk.identifiers import MemberId


class Participant(models.Model):
    """An accounting subject registered by the Tunduk operator as a member (003 §3.1.1)."""

    subject = models.OneToOneField(
        "registry.Subject",
        verbose_name=_("accounting subject"),
        on_delete=models.PROTECT,
        related_name="participant",
    )
    instance = models.CharField(_("instance"), max_length=64)
    member_class = models.CharField(_("member class"), max_length=16, choices=MemberClass.choices)
    member_code = models.CharField(_("member code"), max_length=255)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ParticipantStatus.choices,
        default=ParticipantStatus.REGISTERED,
        db_index=True,
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)
    # 003 §3.2.14: the participant lets the operator monitor its components for threats.
    monitoring_consent_at = models.DateTimeField(
        _("monitoring by the operator allowed since"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["member_class", "member_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["instance", "member_class", "member_code"], name="participant_member_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.identifier})"

    @property
    def identifier(self) -> MemberId:
        return MemberId(self.instance, self.member_class, self.member_code)

    @property
    def is_active(self) -> bool:
        return self.status == ParticipantStatus.ACTIVE


class ParticipantStatusChange(models.Model):
    """A suspension, disconnection, reinstatement or leaving, with reason and notice (003 §4)."""

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="status_changes"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=StatusChangeKind.choices)
    reason = models.TextField(_("reason"), **bounded_text(limits.LONG_TEXT))
    notice_sent_at = models.DateTimeField(_("prior notice sent"))
    effective_at = models.DateTimeField(_("takes effect"))
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    # 003 §4: the one change that may skip the prior notice, and is marked so.
    security_incident = models.BooleanField(
        _("at once, for a security incident"),
        default=False,
        help_text=_("A suspension the agreement lets the operator make at once (003 §2.4, §2.6)."),
    )
    agreement = models.ForeignKey(
        "catalog.Agreement",
        verbose_name=_("ended agreement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="status_changes",
        help_text=_("The connection agreement whose termination started this change (003 §7.2)."),
    )
    withdrawn_at = models.DateTimeField(
        _("withdrawn"),
        null=True,
        blank=True,
        help_text=_("A new connection agreement superseded the ended one first (003 §7.3)."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("participant status change")
        verbose_name_plural = _("participant status changes")
        ordering = ["-notice_sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.participant}: {self.get_kind_display()}"
