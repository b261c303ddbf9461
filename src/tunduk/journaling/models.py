"""Witness cosignatures of the journal's published checkpoints."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Cosignature(models.Model):
    """One witness's C2SP ``cosignature/v1`` line over one checkpoint the journal signed.

    Kept beside the checkpoint rather than written into its note, so the checkpoint rows
    stay append-only; the published cosigned checkpoint is the note plus these lines.
    """

    tree_size = models.PositiveBigIntegerField(_("tree size"), db_index=True)
    witness = models.CharField(_("witness key name"), max_length=200)
    key_id = models.PositiveBigIntegerField(_("witness key ID"))
    line = models.TextField(_("signature line"))
    signed_at = models.DateTimeField(_("cosigned"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("cosignature")
        verbose_name_plural = _("cosignatures")
        ordering = ["tree_size", "witness"]
        constraints = [
            models.UniqueConstraint(
                fields=["tree_size", "witness", "key_id"], name="journaling_one_cosignature_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.witness} @ {self.tree_size}"
