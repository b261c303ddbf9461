"""Element versions: every state of an element's record, with who, when and what changed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tunduk.registry.choices import ElementStatus


class ElementVersion(models.Model):
    """A snapshot of an element after one change of its record or status (000 §24)."""

    # Names of people inside the record (fields 6 and 13): the journal commits to them with
    # salts (tunduk.journaling.personal), in the snapshot and in the list of changes.
    journal_personal_fields = (
        "snapshot.responsible_officials",
        "snapshot.location_responsible",
        "changes.responsible_officials",
        "changes.location_responsible",
    )

    element = models.ForeignKey(
        "registry.Element", on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=32, choices=ElementStatus.choices)
    event = models.CharField(_("event"), max_length=100)
    snapshot = models.JSONField(_("record"))
    changes = models.JSONField(_("changed fields"), default=dict)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    journal_index = models.BigIntegerField(_("journal entry"), null=True, blank=True)

    class Meta:
        verbose_name = _("element version")
        verbose_name_plural = _("element versions")
        ordering = ["element", "number"]
        constraints = [
            models.UniqueConstraint(fields=["element", "number"], name="element_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.element_id} v{self.number}"
