"""Access applications: a subject asks for the right to enter an element's data (000 §15–19)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tunduk import limits
from tunduk.core.fields import bounded_text
from tunduk.registry.choices import ApplicationStatus, ElementType


class AccessApplication(models.Model):
    """The written notification of 000 §15 with the content 000 §16 requires."""

    # Personal data: the journal commits to these with salts (tunduk.journaling.personal).
    journal_personal_fields = ("employee_full_name", "employee_position", "employee_email")

    subject = models.ForeignKey(
        "registry.Subject",
        verbose_name=_("accounting subject"),
        on_delete=models.PROTECT,
        related_name="access_applications",
    )
    subject_address = models.CharField(_("address of the subject"), max_length=300)
    element_full_name = models.CharField(_("full name of the element"), max_length=500)
    element_short_name = models.CharField(_("short name of the element"), max_length=100)
    element_type = models.CharField(
        _("type of the element"), max_length=32, choices=ElementType.choices
    )
    employee_full_name = models.CharField(_("authorised employee's full name"), max_length=200)
    employee_position = models.CharField(_("authorised employee's position"), max_length=200)
    employee_email = models.EmailField(_("authorised employee's departmental e-mail"))
    appointment_decision = models.CharField(
        _("decision appointing the employee (000 §17)"), max_length=300
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.RECEIVED,
        db_index=True,
    )
    received_at = models.DateTimeField(_("received"))
    forward_due = models.DateField(_("forwarding due (000 §18)"), db_index=True)
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    forwarded_at = models.DateTimeField(_("forwarded"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_comment = models.TextField(_("comment"), blank=True, **bounded_text(limits.LONG_TEXT))
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account granted"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="access_applications",
    )
    reminded_at = models.DateTimeField(_("overdue reminder sent"), null=True, blank=True)
    # The applicant has no account: a reference to quote and a status page behind a secret
    # token (only its SHA-256 is stored), in the language they applied in (issue 11 item 12).
    reference = models.CharField(
        _("reference number"), max_length=20, unique=True, null=True, blank=True
    )
    status_token_hash = models.CharField(max_length=64, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)

    # The plain status token, set only on the object ``submit_application`` returns.
    issued_status_token = ""

    class Meta:
        verbose_name = _("access application")
        verbose_name_plural = _("access applications")
        ordering = ["forward_due", "id"]

    def __str__(self) -> str:
        return f"{self.subject}: {self.element_short_name or self.element_full_name}"
