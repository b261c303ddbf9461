"""Infrastructure elements and the structured lists of fields 8–11 (000 §20)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tunduk import limits
from tunduk.core.fields import bounded_text
from tunduk.core.names import in_reader_language
from tunduk.core.search import searchable
from tunduk.registry.choices import ElementStatus, ElementType, FinancingSource


class Element(models.Model):
    """An element of the state e-government infrastructure and its current record.

    The element's 17 fields (000 §20) live here and in the related lists; every state
    the record has had is kept as an ``ElementVersion``. Elements are never deleted:
    decommissioning only records that operation stopped (000 §3).
    """

    subject = models.ForeignKey(
        "registry.Subject",
        verbose_name=_("accounting subject"),
        on_delete=models.PROTECT,
        related_name="elements",
    )
    registration_code = models.CharField(
        _("registration code"), max_length=32, unique=True, null=True, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=32,
        choices=ElementStatus.choices,
        default=ElementStatus.DRAFT,
        db_index=True,
    )
    # Field 1, in the state language (required) and the official language (docs/search.md)
    full_name = models.CharField(_("full name in Kyrgyz"), max_length=500)
    full_name_ru = models.CharField(_("full name in Russian"), max_length=500, blank=True)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    # Field 2: one column, so an element cannot hold two types (000 appendix §2).
    element_type = models.CharField(
        _("type"), max_length=32, choices=ElementType.choices, blank=True, db_index=True
    )
    # Field 3
    operated_by_owner = models.BooleanField(_("the owner operates the element"), default=True)
    operator_name = models.CharField(_("operator of the element"), max_length=300, blank=True)
    # Field 4
    purpose = models.TextField(
        _("purpose, main functions and area of use"), blank=True, **bounded_text(limits.LONG_TEXT)
    )
    # Field 5
    legal_acts = models.TextField(
        _("normative legal acts on creation, change and commissioning"),
        blank=True,
        **bounded_text(limits.LONG_TEXT),
    )
    # Field 6
    responsible_unit = models.CharField(
        _("responsible structural unit"), max_length=300, blank=True
    )
    responsible_officials = models.TextField(
        _("responsible officials"), blank=True, **bounded_text(limits.LONG_TEXT)
    )
    # Field 7
    architecture = models.TextField(_("architecture"), blank=True, **bounded_text(limits.LONG_TEXT))
    # Field 13
    location = models.CharField(_("location"), max_length=300, blank=True)
    location_responsible = models.CharField(
        _("responsible for keeping and updating"), max_length=300, blank=True
    )
    # Field 14
    developer = models.CharField(_("developer (supplier)"), max_length=300, blank=True)
    # Field 15
    user_count = models.PositiveIntegerField(_("number of users"), null=True, blank=True)
    # Field 16
    financing_source = models.CharField(
        _("source of financing"), max_length=32, choices=FinancingSource.choices, blank=True
    )
    financing_details = models.CharField(_("financing details"), max_length=300, blank=True)
    # Field 17 is the attached commissioning act; its reference is kept beside it.
    commissioning_act_reference = models.CharField(
        _("commissioning act number and date"), max_length=200, blank=True
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    registered_at = models.DateTimeField(_("registered"), null=True, blank=True)
    decommissioned_at = models.DateTimeField(_("decommissioned"), null=True, blank=True)
    version_number = models.PositiveIntegerField(_("version"), default=0)
    # What ``q`` searches, folded (``core.search``); kept by ``save`` (docs/search.md).
    search_text = models.TextField(_("search text"), blank=True, default="", editable=False)

    # The columns ``search_text`` is made of.
    SEARCHED = ("full_name", "full_name_ru", "short_name", "registration_code")

    # True only on the unsaved copy that shows a proposed change (``registry.proposals``);
    # a stored row is always the registered record once the element has been registered.
    is_proposal = False

    class Meta:
        verbose_name = _("infrastructure element")
        verbose_name_plural = _("infrastructure elements")
        ordering = ["full_name", "id"]
        indexes = [
            models.Index(fields=["status", "full_name"]),
            models.Index(fields=["subject", "status"]),
            models.Index(fields=["full_name", "id"]),
        ]

    def __str__(self) -> str:
        return self.short_name or self.display_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = searchable(*(getattr(self, column) for column in self.SEARCHED))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and not set(self.SEARCHED).isdisjoint(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("registry:element-detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        """The full name in the reader's language, the other one when it is missing."""
        return in_reader_language(self.full_name, self.full_name_ru)


class _ElementListItem(models.Model):
    """One row of a structured list field of an element."""

    element = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(pgettext_lazy("row order", "position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return str(getattr(self, self.label_attribute))

    label_attribute = "pk"


class SoftwareItem(_ElementListItem):
    """Field 8: software used for the element to work."""

    label_attribute = "name"

    element = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="software")
    name = models.CharField(_("software"), max_length=300)
    version = models.CharField(_("version"), max_length=100, blank=True)
    licence = models.CharField(_("licence"), max_length=200, blank=True)

    class Meta(_ElementListItem.Meta):
        verbose_name = _("software item")
        verbose_name_plural = _("software")


class InformationResource(_ElementListItem):
    """Field 9: an information resource the element contains."""

    label_attribute = "full_name"

    element = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="resources")
    full_name = models.CharField(_("full name of the information resource"), max_length=500)
    description = models.TextField(_("description"), blank=True, **bounded_text(limits.ROW_TEXT))
    contains_personal_data = models.BooleanField(_("contains personal data"), default=False)

    class Meta(_ElementListItem.Meta):
        verbose_name = _("information resource")
        verbose_name_plural = _("information resources")


class Interaction(_ElementListItem):
    """Field 10: a resource of another information system the element interacts with."""

    label_attribute = "resource_name"

    element = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="interactions")
    resource_name = models.CharField(_("full name of the resource"), max_length=500)
    system_name = models.CharField(_("information system"), max_length=500, blank=True)
    counterpart = models.ForeignKey(
        Element,
        verbose_name=_("registered counterpart"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta(_ElementListItem.Meta):
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")


class ProvidedService(_ElementListItem):
    """Field 11: an information service the element provides."""

    label_attribute = "name"

    element = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(_("service"), max_length=500)
    recipients = models.CharField(_("recipients"), max_length=300, blank=True)

    class Meta(_ElementListItem.Meta):
        verbose_name = _("provided service")
        verbose_name_plural = _("provided services")


# The concrete list rows, for code that handles any of them (the abstract base has no manager).
ElementListItem = SoftwareItem | InformationResource | Interaction | ProvidedService
