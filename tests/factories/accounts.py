"""Users for every role: one ``UserFactory`` with a trait per role, and a named factory each."""

from __future__ import annotations

import factory

from tests.factories.registry import SubjectFactory
from tunduk.accounts.choices import Role
from tunduk.accounts.models import User

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    """A signed-in person without a role; a trait gives one (``UserFactory(operator=True)``)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}@gov.kg")
    email = factory.LazyAttribute(lambda user: user.username)
    full_name = factory.Sequence(lambda n: f"User {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    class Params:
        operator = factory.Trait(role=Role.OPERATOR)
        authorised_body = factory.Trait(role=Role.AUTHORISED_BODY)
        tunduk_operator = factory.Trait(role=Role.TUNDUK_OPERATOR)
        employee = factory.Trait(
            role=Role.SUBJECT_EMPLOYEE,
            subject=factory.SubFactory(SubjectFactory),
            position="Head of IT",
        )

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OperatorFactory(UserFactory):
    """The Registry operator."""

    operator = True


class AuthorisedBodyUserFactory(UserFactory):
    """An official of the authorised body."""

    authorised_body = True


class EmployeeFactory(UserFactory):
    """An authorised employee of a (new) accounting subject."""

    employee = True


class TundukOperatorFactory(UserFactory):
    """The Tunduk operator, who runs the Catalog."""

    tunduk_operator = True
