"""The journal's Django-side rows: witness cosignatures of its checkpoints, and the salts of its
commitments to personal data, kept beside the rows they protect."""

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


class FieldSalt(models.Model):
    """The random salt of one personal field of one journaled row, and its latest commitment.

    A journal entry carries ``SHA-256(salt ‖ value)`` for a personal field instead of a
    plain digest, so a name or e-mail cannot be guessed from the public entry. Erasing the
    salt (retention) leaves the entry and every proof intact; the field must then be
    erased too, and ``commitment`` stands in for it when the row is checked.
    """

    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    field = models.CharField(_("field"), max_length=100)
    salt = models.BinaryField(_("salt"), max_length=32, null=True)
    commitment = models.CharField(_("commitment (SHA-256, hex)"), max_length=64)
    erased_at = models.DateTimeField(_("salt erased"), null=True, blank=True)

    class Meta:
        verbose_name = _("personal field salt")
        verbose_name_plural = _("personal field salts")
        constraints = [
            models.UniqueConstraint(
                fields=["object_type", "object_id", "field"], name="journaling_one_salt_per_field"
            )
        ]

    def __str__(self) -> str:
        return f"{self.object_type} {self.object_id} {self.field}"
