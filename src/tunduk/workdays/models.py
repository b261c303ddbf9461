"""Government-decreed day transfers that the public-holiday package does not know about."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from tunduk import limits
from tunduk.core.fields import bounded_text
from tunduk.workdays.choices import TransferKind

SATURDAY = 5


class DayTransfer(models.Model):
    """One date whose working status a government decree changed.

    The ``holidays`` package carries Kyrgyz transfers only up to 2025, so the operator
    enters each new decree here. A row wins over both the weekday and the holiday list.
    """

    date = models.DateField(
        _("date"),
        unique=True,
        error_messages={
            "unique": _(
                "A transfer for this date is already recorded. Edit that transfer instead "
                "of adding a second one."
            )
        },
    )
    kind = models.CharField(_("kind"), max_length=16, choices=TransferKind.choices)
    decree = models.CharField(
        _("government decree"),
        max_length=300,
        help_text=_("Number, date and title of the decree that declares the transfer."),
    )
    note = models.TextField(_("note"), blank=True, **bounded_text(limits.LONG_TEXT))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("day transfer")
        verbose_name_plural = _("day transfers")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()}"

    def clean(self) -> None:
        """Reject a transfer that would change nothing about the date it names."""
        # Imported here because the calendar module imports this one.
        from tunduk.workdays.calendar import is_public_holiday

        if self.date is None or not self.kind:
            return
        weekend = self.date.weekday() >= SATURDAY
        shown = date_format(self.date, "l, j E Y")
        if self.kind == TransferKind.DAY_OFF and weekend:
            raise ValidationError(
                {
                    "date": _(
                        "A day-off transfer must fall on a weekday (Monday to Friday); "
                        "%(date)s is already a day off."
                    )
                    % {"date": shown}
                }
            )
        # A weekday is accepted only when it is a listed public holiday: that is how the
        # operator corrects a holiday the package dates wrongly (e.g. an estimated Eid).
        if (
            self.kind == TransferKind.WORKING_DAY
            and not weekend
            and not is_public_holiday(self.date)
        ):
            raise ValidationError(
                {
                    "date": _(
                        "A working-day transfer must fall on a Saturday or Sunday "
                        "(or on a public holiday the decree cancels); %(date)s is "
                        "already a working day."
                    )
                    % {"date": shown}
                }
            )


class CalendarChange(models.Model):
    """One change the operator made to the working-day calendar; rows are never changed.

    The transfer table keeps only the current decrees; this history keeps every change
    (including removals), and the Registry journals each row, because a change to the
    calendar moves legal deadlines.
    """

    date = models.DateField(_("date"))
    action = models.CharField(_("action"), max_length=16)
    changes = models.JSONField(_("changes"), default=dict)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)

    class Meta:
        verbose_name = _("working-day calendar change")
        verbose_name_plural = _("working-day calendar changes")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.action}"
