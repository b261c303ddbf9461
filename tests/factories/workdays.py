"""The working-day calendar's test data: decreed day transfers."""

from __future__ import annotations

from datetime import date

import factory

from tunduk.workdays.choices import TransferKind
from tunduk.workdays.models import DayTransfer


class DayTransferFactory(factory.django.DjangoModelFactory):
    """A decreed transfer; by default a weekday in October 2026 declared a day off."""

    class Meta:
        model = DayTransfer

    date = date(2026, 10, 6)
    kind = TransferKind.DAY_OFF
    decree = factory.Sequence(lambda n: f"Government decree No. {n}")

    class Params:
        working_saturday = factory.Trait(date=date(2026, 10, 3), kind=TransferKind.WORKING_DAY)
