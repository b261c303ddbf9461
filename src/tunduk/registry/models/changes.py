"""A proposed change of a registered record: what the subject entered, not yet registered.

Once an element has been registered, its ``Element`` row and list rows are the
*registered* record, and only the operator's decision changes them (000 §21, §24). What the
subject's employee enters afterwards is kept here, as a whole record in the format of
``registry.snapshot.take``, until the operator accepts it (then it becomes the registered
record) or refuses it (then it stays here, for the employee to correct and submit again,
000 §23). The public never reads this table.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProposedChange(models.Model):
    """The proposed record of a registered element while a change is open (000 §24)."""

    element = models.ForeignKey(
        "registry.Element", on_delete=models.PROTECT, related_name="proposed_changes"
    )
    record = models.JSONField(_("proposed record"))
    # Documents attached as part of this change: not in the registered record while it is
    # open. (Journaled rows are never rewritten: the document rows stay as uploaded.)
    added_documents = models.JSONField(_("documents attached with the change"), default=list)
    is_open = models.BooleanField(_("open"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposed change")
        verbose_name_plural = _("proposed changes")
        ordering = ["element", "created_at", "id"]
        constraints = [
            # One open change per element: further edits go into the same proposal.
            models.UniqueConstraint(
                fields=["element"],
                condition=models.Q(is_open=True),
                name="one_open_proposed_change_per_element",
            )
        ]

    def __str__(self) -> str:
        return f"{self.element_id}: {self.record.get('full_name', '')}"
