"""Accounting subjects (000 §5)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tunduk.core.names import in_reader_language
from tunduk.registry.choices import SubjectKind


class Subject(models.Model):
    """A state body, municipality, departmental unit, institution, enterprise or organisation
    that owns infrastructure elements and must register them (000 §5)."""

    # In the state language (required) and the official language (docs/search.md).
    name = models.CharField(_("full name in Kyrgyz"), max_length=300, unique=True)
    name_ru = models.CharField(_("full name in Russian"), max_length=300, blank=True)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=SubjectKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    address = models.CharField(_("address"), max_length=300)
    head_name = models.CharField(
        _("head (responsible for the accuracy of data, 000 §31)"), max_length=200, blank=True
    )
    email = models.EmailField(_("official e-mail"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("accounting subject")
        verbose_name_plural = _("accounting subjects")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.display_name

    @property
    def display_name(self) -> str:
        """The full name in the reader's language, the other one when it is missing."""
        return in_reader_language(self.name, self.name_ru)
