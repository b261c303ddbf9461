"""Gateways (security servers) and their certificates (003 §3.2.1)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tunduk import limits
from tunduk.catalog.choices import (
    CertificateProfile,
    CertificateStatus,
    GatewayStatus,
    RevocationReason,
)
from tunduk.core.fields import bounded_text
from tunduk.identifiers import ServerId


class Gateway(models.Model):
    """A participant's security server: its address and authentication certificate."""

    participant = models.ForeignKey(
        "catalog.Participant", on_delete=models.PROTECT, related_name="gateways"
    )
    server_code = models.CharField(_("server code"), max_length=255)
    address = models.CharField(_("address (host or host:port)"), max_length=255)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=GatewayStatus.choices,
        default=GatewayStatus.REQUESTED,
        db_index=True,
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("gateway")
        verbose_name_plural = _("gateways")
        ordering = ["participant", "server_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "server_code"], name="server_code_per_member"
            )
        ]

    def __str__(self) -> str:
        return str(self.identifier)

    @property
    def identifier(self) -> ServerId:
        return self.participant.identifier.server(self.server_code)


class Certificate(models.Model):
    """A participant's certificate: requested by CSR and issued (or refused, or revoked) by
    the participants' CA, or issued by an approved external CA and registered (003 §3.2.1).
    """

    participant = models.ForeignKey(
        "catalog.Participant", on_delete=models.PROTECT, related_name="certificates"
    )
    gateway = models.ForeignKey(
        Gateway, null=True, blank=True, on_delete=models.PROTECT, related_name="certificates"
    )
    profile = models.CharField(_("profile"), max_length=20, choices=CertificateProfile.choices)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CertificateStatus.choices,
        default=CertificateStatus.REQUESTED,
        db_index=True,
    )
    # Empty for a certificate an external CA issued and the participant registered directly.
    csr_pem = models.TextField(
        _("certificate signing request"), blank=True, **bounded_text(limits.PEM_TEXT)
    )
    external_ca = models.ForeignKey(
        "catalog.ExternalCertificateAuthority",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("issued by (approved external CA)"),
    )
    certificate_pem = models.TextField(
        _("certificate"), blank=True, **bounded_text(limits.PEM_TEXT)
    )
    serial_number = models.CharField(_("serial number"), max_length=64, blank=True)
    sha256 = models.CharField(
        _("SHA-256 of the certificate"), max_length=64, blank=True, db_index=True
    )
    not_after = models.DateTimeField(_("valid until"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    # A free text like every other reason: a gateway's refusal comment lands here too.
    revocation_reason = models.TextField(
        _("revocation reason"), blank=True, **bounded_text(limits.LONG_TEXT)
    )
    revocation_code = models.CharField(
        _("reason code (CRL)"),
        max_length=30,
        choices=RevocationReason.choices,
        default=RevocationReason.UNSPECIFIED,
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_profile_display()} {self.serial_number or '(requested)'}"


class GatewayStatusReport(models.Model):
    """The last state a gateway reported about itself, signed with its signing key.

    One row per gateway, replaced by each newer report (``sent_at`` only grows). It is
    operational telemetry, not a change to the Catalog: neither audited nor journaled.
    """

    gateway = models.OneToOneField(
        Gateway, on_delete=models.CASCADE, related_name="status_report", primary_key=True
    )
    sent_at = models.DateTimeField(_("sent by the gateway"))
    received_at = models.DateTimeField(_("received"))
    auth_cert_sha256 = models.CharField(_("authentication certificate (SHA-256)"), max_length=64)
    signing_certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="+", verbose_name=_("signed with")
    )
    report = models.JSONField(_("reported state"), default=dict)

    class Meta:
        verbose_name = _("gateway status report")
        verbose_name_plural = _("gateway status reports")

    def __str__(self) -> str:
        return f"{self.gateway_id} @ {self.sent_at:%Y-%m-%d %H:%M:%S}"
