"""Published versions of the signed global configuration and of the CA's CRL."""

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


class CertificateRevocationList(models.Model):
    """One signed CRL of the issuing CA (DER), as served at the configuration's ``crl_url``."""

    number = models.PositiveBigIntegerField(_("CRL number"), unique=True)
    this_update = models.DateTimeField(_("issued"))
    next_update = models.DateTimeField(_("next update"))
    content_sha256 = models.CharField(_("SHA-256 of the entries"), max_length=64)
    der = models.BinaryField(_("CRL (DER)"))

    class Meta:
        verbose_name = _("certificate revocation list")
        verbose_name_plural = _("certificate revocation lists")
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"CRL {self.number}"
