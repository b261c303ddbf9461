"""Access requests, grants and groups: who may call which service (004 "multilateral")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tunduk import limits
from tunduk.catalog.choices import AccessRequestStatus
from tunduk.core.fields import bounded_text
from tunduk.identifiers import GlobalGroupId


class Group(models.Model):
    """A global group of subsystems; a grant to a group covers every member."""

    instance = models.CharField(_("instance"), max_length=64)
    code = models.CharField(_("group code"), max_length=255)
    description = models.CharField(_("description"), max_length=500)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["instance", "code"], name="group_code_unique")
        ]

    def __str__(self) -> str:
        return str(self.identifier)

    @property
    def identifier(self) -> GlobalGroupId:
        return GlobalGroupId(self.instance, self.code)


class GroupMembership(models.Model):
    """A subsystem's membership of a group, with its history (never deleted, only ended)."""

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="memberships")
    subsystem = models.ForeignKey(
        "catalog.Subsystem", on_delete=models.PROTECT, related_name="group_memberships"
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)

    class Meta:
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        ordering = ["group", "added_at"]

    def __str__(self) -> str:
        return f"{self.subsystem} in {self.group}"


class AccessRequest(models.Model):
    """A participant asks a service owner for access, to a service or one endpoint."""

    service = models.ForeignKey(
        "catalog.Service", on_delete=models.PROTECT, related_name="access_requests"
    )
    endpoint = models.ForeignKey(
        "catalog.Endpoint", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    client = models.ForeignKey(
        "catalog.Subsystem", on_delete=models.PROTECT, related_name="access_requests"
    )
    purpose = models.TextField(_("purpose of the access"), **bounded_text(limits.LONG_TEXT))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AccessRequestStatus.choices,
        default=AccessRequestStatus.PENDING,
        db_index=True,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True, **bounded_text(limits.LONG_TEXT))

    class Meta:
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.client} → {self.service}"


class Grant(models.Model):
    """Permission for a subsystem or a group to call a service (or one endpoint of it).

    Revoking sets ``revoked_at``; grants are never deleted, so the history stays.
    """

    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="grants")
    endpoint = models.ForeignKey(
        "catalog.Endpoint", null=True, blank=True, on_delete=models.PROTECT, related_name="grants"
    )
    client = models.ForeignKey(
        "catalog.Subsystem", null=True, blank=True, on_delete=models.PROTECT, related_name="grants"
    )
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.PROTECT, related_name="grants"
    )
    access_request = models.ForeignKey(
        AccessRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="grants"
    )
    # The appendix (shared fields, endpoints) in force when the grant was given (003 §2.3).
    appendix_version = models.ForeignKey(
        "catalog.AppendixVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grants",
        verbose_name=_("appendix version"),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revocation_reason = models.TextField(
        _("reason for revoking"), blank=True, **bounded_text(limits.LONG_TEXT)
    )

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["-granted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(client__isnull=False) & models.Q(group__isnull=True))
                | (models.Q(client__isnull=True) & models.Q(group__isnull=False)),
                name="grant_to_subsystem_or_group",
            )
        ]

    def __str__(self) -> str:
        return f"{self.client or self.group} → {self.service}"
