"""Subsystems: registered information systems joined to the exchange."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tunduk import limits
from tunduk.core.fields import bounded_text
from tunduk.identifiers import SubsystemId


class SubsystemQuerySet(models.QuerySet["Subsystem"]):
    """Subsystems, with the ones still in operation one call away."""

    def in_operation(self) -> SubsystemQuerySet:
        """Subsystems whose Registry element is not decommissioned (000 §27–29)."""
        return self.filter(element__decommissioned_at__isnull=True)


class Subsystem(models.Model):
    """An information system as a subsystem of its owner (003 §3.2.2).

    It is the same identity as the Registry element of type "information system" it
    links to: declared in the Registry, exercised through the gateways.
    """

    participant = models.ForeignKey(
        "catalog.Participant", on_delete=models.PROTECT, related_name="subsystems"
    )
    subsystem_code = models.CharField(_("subsystem code"), max_length=255)
    name = models.CharField(_("name"), max_length=300)
    element = models.OneToOneField(
        "registry.Element",
        verbose_name=_("Registry element"),
        on_delete=models.PROTECT,
        related_name="subsystem",
    )
    # 003 §3.2.5: how long request logs are archived and who may read the archive, on what terms.
    log_retention_days = models.PositiveIntegerField(
        _("request logs archived for (days)"), null=True, blank=True
    )
    archive_access = models.TextField(
        _("who may access archived logs, and on what terms"),
        blank=True,
        **bounded_text(limits.LONG_TEXT),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    objects = SubsystemQuerySet.as_manager()

    class Meta:
        verbose_name = _("subsystem")
        verbose_name_plural = _("subsystems")
        ordering = ["participant", "subsystem_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "subsystem_code"], name="subsystem_code_per_member"
            )
        ]

    def __str__(self) -> str:
        return str(self.identifier)

    @property
    def identifier(self) -> SubsystemId:
        return self.participant.identifier.subsystem(self.subsystem_code)

    @property
    def decommissioned_at(self) -> datetime | None:
        """When the Registry recorded that the system stopped operating (000 §29); its
        Catalog record stays readable, but it leaves the exchange."""
        decommissioned: datetime | None = self.element.decommissioned_at
        return decommissioned

    @property
    def in_operation(self) -> bool:
        return self.decommissioned_at is None
