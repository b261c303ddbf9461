"""Users for every role: one ``UserFactory`` with a trait per role, and a named factory each."""

from __future__ import annotations

import factory
from django.utils import timezone

from tests.factories.registry import SubjectFactory
from tunduk.accounts.choices import Role
from tunduk.accounts.models import User
from tunduk.registry.choices import ApplicationStatus
from tunduk.registry.models import AccessApplication, AppliedElement, Element

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
    """An authorised employee of a (new) accounting subject, with access granted (000 §19).

    The grant is an access application for a new element of the subject, as the operator
    grants it; elements the employee enters go through it. ``granted=False`` leaves the
    employee without any grant.
    """

    employee = True

    @factory.post_generation
    def granted(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            grant_access(obj)


def grant_access(employee: User, element: Element | None = None) -> AccessApplication:
    """A granted access application naming ``employee`` (and ``element``, when given)."""
    now = timezone.now()
    application = AccessApplication.objects.create(
        subject=employee.subject,
        subject_address="Bishkek",
        element_full_name=str(element or "New element"),
        element_type="information_system",
        employee_full_name=employee.full_name,
        employee_position=employee.position or "Head of IT",
        employee_email=employee.email,
        appointment_decision="Order No. 1",
        status=ApplicationStatus.GRANTED,
        received_at=now,
        forward_due=now.date(),
        decided_at=now,
        employee=employee,
    )
    if element is not None:
        AppliedElement.objects.create(application=application, element=element)
    return application


class TundukOperatorFactory(UserFactory):
    """The Tunduk operator, who runs the Catalog."""

    tunduk_operator = True
