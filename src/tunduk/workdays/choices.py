"""Choices of the working-days area."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TransferKind(models.TextChoices):
    """What a government decree does to one date."""

    DAY_OFF = "day_off", _("Day off (a working day declared a day off)")
    WORKING_DAY = "working_day", _("Working day (a weekend day declared working)")
