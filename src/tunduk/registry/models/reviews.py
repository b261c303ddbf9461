"""Submissions to the operator, review decisions, and the registration-code counter."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tunduk import limits
from tunduk.core.fields import bounded_text
from tunduk.registry.choices import RefusalGround, SubmissionKind, SubmissionStatus


class Submission(models.Model):
    """One sending of an element's record to the operator; reviewed within 000 §21's deadline."""

    element = models.ForeignKey(
        "registry.Element", on_delete=models.PROTECT, related_name="submissions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SubmissionKind.choices)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.OPEN,
        db_index=True,
    )
    version_number = models.PositiveIntegerField(_("version submitted"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"))
    due_date = models.DateField(_("review due"), db_index=True)
    reminded_at = models.DateTimeField(_("overdue reminder sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["due_date", "submitted_at", "id"]
        constraints = [
            # One open submission per element: submitting twice is refused.
            models.UniqueConstraint(
                fields=["element"],
                condition=models.Q(status="open"),
                name="one_open_submission_per_element",
            )
        ]

    def __str__(self) -> str:
        return f"{self.element} ({self.get_kind_display()})"


class ReviewDecision(models.Model):
    """The operator's decision on a submission: registered, accepted, or refused on a ground."""

    submission = models.OneToOneField(Submission, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(_("outcome"), max_length=20, choices=SubmissionStatus.choices)
    ground = models.CharField(
        _("ground for refusal"), max_length=20, choices=RefusalGround.choices, blank=True
    )
    explanation = models.TextField(_("explanation"), blank=True, **bounded_text(limits.LONG_TEXT))
    missing_fields = models.JSONField(_("missing fields"), default=list, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"))

    class Meta:
        verbose_name = _("review decision")
        verbose_name_plural = _("review decisions")
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.submission}: {self.get_outcome_display()}"


class RegistrationCounter(models.Model):
    """The last registration number issued; codes are never reused."""

    name = models.CharField(max_length=20, unique=True)
    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("registration counter")
        verbose_name_plural = _("registration counters")

    def __str__(self) -> str:
        return f"{self.name}={self.value}"
