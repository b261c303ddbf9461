"""Published versions of the signed global configuration."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tunduk import limits
from tunduk.core.fields import bounded_text


class ConfigurationVersion(models.Model):
    """One signed global configuration document, as served to gateways."""

    version = models.PositiveBigIntegerField(_("version"), unique=True)
    generated_at = models.DateTimeField(_("generated"))
    expires_at = models.DateTimeField(_("expires"))
    content_sha256 = models.CharField(_("SHA-256 of the content"), max_length=64)
    document = models.BinaryField(_("document"))
    signature = models.BinaryField(_("signature"))
    signer_certificate_pem = models.TextField(
        _("signer certificate"), **bounded_text(limits.PEM_TEXT)
    )

    class Meta:
        verbose_name = _("global configuration version")
        verbose_name_plural = _("global configuration versions")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"v{self.version}"
