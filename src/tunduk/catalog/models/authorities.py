"""Certification authorities other than the participants' CA, approved by the Tunduk operator.

003 §3.2.1: a participant obtains its certificates from a certification centre. Besides
the development CA that issues from a CSR, the operator may approve an external (national)
CA; the global configuration then lists it beside the participants' CA, and certificates
it issued can be registered in the Catalog (``Certificate.external_ca``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tunduk import limits
from tunduk.core.fields import bounded_text


class ExternalCertificateAuthority(models.Model):
    """An external CA the Tunduk operator approved; withdrawn, it leaves the configuration."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    certificate_pem = models.TextField(_("CA certificate"), **bounded_text(limits.PEM_TEXT))
    sha256 = models.CharField(_("SHA-256 of the certificate"), max_length=64, unique=True)
    subject = models.CharField(_("subject"), max_length=500)
    not_after = models.DateTimeField(_("valid until"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), auto_now_add=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawal_reason = models.TextField(
        _("reason for withdrawing"), blank=True, **bounded_text(limits.LONG_TEXT)
    )

    class Meta:
        verbose_name = _("approved external CA")
        verbose_name_plural = _("approved external CAs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_approved(self) -> bool:
        """Approved and not withdrawn."""
        return self.withdrawn_at is None
