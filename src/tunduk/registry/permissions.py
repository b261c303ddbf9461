"""Who may do what in the Registry; refusals are recorded in the audit trail.

The role check every app shares is ``tunduk.core.permissions.require_role``; who may *see*
what is ``registry.visibility``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from tunduk.accounts.choices import Role
from tunduk.core.actors import Actor
from tunduk.core.errors import NotPermitted
from tunduk.core.permissions import require_role
from tunduk.registry.choices import ApplicationStatus
from tunduk.registry.models import AccessApplication, Element, Subject


def _deny(user: Actor, message: str, obj: Any = None, **detail: Any) -> NotPermitted:
    return NotPermitted(message, actor=user, obj=obj, **detail)


def require_subject_member(
    user: Actor, subject: Subject, *, obj: Any = None, action: str = ""
) -> None:
    """Only the subject's own authorised employees act on its elements (000 §16–17, §20)."""
    member = require_role(user, Role.SUBJECT_EMPLOYEE, obj=obj or subject, action=action)
    if member.subject_id != subject.pk:
        raise _deny(
            user,
            _("You are an authorised employee of another subject and cannot act on this one."),
            obj or subject,
            action=action,
            subject_id=subject.pk,
        )


def access_grants(user: Actor, subject: Subject | None = None) -> QuerySet[AccessApplication]:
    """The granted access applications that name ``user`` as the authorised employee."""
    if not user.is_authenticated:
        return AccessApplication.objects.none()
    grants = AccessApplication.objects.filter(status=ApplicationStatus.GRANTED, employee_id=user.pk)
    if subject is not None:
        grants = grants.filter(subject=subject)
    return grants.order_by("-decided_at", "-pk")


def covers(user: Actor, element: Element) -> bool:
    """Whether an access granted to ``user`` covers ``element`` (000 §15–19).

    It does when the application named that element, or when the element was entered
    through that access; another element of the same subject is not covered.
    """
    named = Q(applied_element__element_id=element.pk)
    if element.entered_through_id is not None:
        named |= Q(pk=element.entered_through_id)
    return access_grants(user, element.subject).filter(named).exists()


def require_grant(user: Actor, subject: Subject, *, action: str = "") -> AccessApplication:
    """The access through which ``user`` enters a new element of ``subject`` (000 §19)."""
    require_subject_member(user, subject, action=action)
    grant = access_grants(user, subject).first()
    if grant is None:
        raise _deny(
            user,
            _(
                "Your account was not granted access through an access application "
                "(000 §15–19), so you cannot enter elements."
            ),
            subject,
            action=action,
        )
    return grant


def require_element_owner(user: Actor, element: Element, *, action: str = "") -> None:
    """The user must be an authorised employee whose granted access covers ``element``."""
    require_subject_member(user, element.subject, obj=element, action=action)
    if not covers(user, element):
        raise _deny(
            user,
            _(
                "Your access was granted for another element of your subject; this element "
                "is outside it (000 §15–19). Ask for access to it with an access application."
            ),
            element,
            action=action,
            element_id=element.pk,
        )
