"""Factories for the working-days tests."""

from __future__ import annotations

from datetime import date

import factory
from django.contrib.auth import get_user_model

from tunduk.accounts.choices import Role
from tunduk.workdays.choices import TransferKind
from tunduk.workdays.models import DayTransfer


class UserFactory(factory.django.DjangoModelFactory):
    """A signed-in person; the ``operator`` trait makes them the Registry operator."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name")
    role = Role.AUTHORISED_BODY

    class Params:
        operator = factory.Trait(role=Role.OPERATOR)


class DayTransferFactory(factory.django.DjangoModelFactory):
    """A decreed transfer; by default a weekday in October 2026 declared a day off."""

    class Meta:
        model = DayTransfer

    date = date(2026, 10, 6)
    kind = TransferKind.DAY_OFF
    decree = factory.Sequence(lambda n: f"Government decree No. {n}")

    class Params:
        working_saturday = factory.Trait(date=date(2026, 10, 3), kind=TransferKind.WORKING_DAY)
