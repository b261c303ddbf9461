"""Services a subsystem provides, their endpoints and the fields shared (003 §2.3, appendix 1)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tunduk import limits
from tunduk.catalog.choices import HttpMethod, ServiceType
from tunduk.core.fields import bounded_text
from tunduk.core.names import in_reader_language
from tunduk.identifiers import ServiceId


class Service(models.Model):
    """A REST service described in the Catalog (003 §3.2.2)."""

    subsystem = models.ForeignKey(
        "catalog.Subsystem", on_delete=models.PROTECT, related_name="services"
    )
    service_code = models.CharField(_("service code"), max_length=255)
    service_type = models.CharField(
        _("type"), max_length=10, choices=ServiceType.choices, default=ServiceType.OPENAPI
    )
    # In the state language (required) and the official language (docs/search.md).
    title = models.CharField(_("title in Kyrgyz"), max_length=300)
    title_ru = models.CharField(_("title in Russian"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True, **bounded_text(limits.LONG_TEXT))
    backend_url = models.URLField(_("backend URL"), max_length=500)
    openapi_document = models.JSONField(_("OpenAPI document"), null=True, blank=True)
    is_enabled = models.BooleanField(_("enabled"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["subsystem", "service_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["subsystem", "service_code"], name="service_code_per_subsystem"
            )
        ]

    def __str__(self) -> str:
        return str(self.identifier)

    @property
    def display_title(self) -> str:
        """The title in the reader's language, the other one when it is missing."""
        return in_reader_language(self.title, self.title_ru)

    @property
    def identifier(self) -> ServiceId:
        return self.subsystem.identifier.service(self.service_code)


class Endpoint(models.Model):
    """A method and path of a REST service (a grant may cover only some endpoints)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="endpoints")
    method = models.CharField(_("method"), max_length=8, choices=HttpMethod.choices)
    path = models.CharField(_("path"), max_length=500)
    summary = models.CharField(_("summary"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("endpoint")
        verbose_name_plural = _("endpoints")
        ordering = ["path", "method"]
        constraints = [
            models.UniqueConstraint(fields=["service", "method", "path"], name="endpoint_unique")
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


class SharedField(models.Model):
    """A field the owner makes available to other participants (003 appendix 1)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="shared_fields")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("field"), max_length=200)
    description = models.CharField(_("description"), max_length=500, blank=True)
    personal_data = models.BooleanField(_("personal data"), default=False)

    class Meta:
        verbose_name = _("shared field")
        verbose_name_plural = _("shared fields")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name
