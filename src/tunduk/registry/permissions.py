"""Who may do what in the Registry; refusals are recorded in the audit trail.

The role check every app shares is ``tunduk.core.permissions.require_role``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from tunduk.accounts.choices import Role
from tunduk.core.actors import Actor
from tunduk.core.errors import NotPermitted
from tunduk.core.permissions import require_role
from tunduk.registry.choices import ElementStatus
from tunduk.registry.lifecycle import PUBLIC_STATUSES
from tunduk.registry.models import Element, ElementVersion, Subject


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


def require_element_owner(user: Actor, element: Element, *, action: str = "") -> None:
    """The user must be an authorised employee of the element's subject."""
    require_subject_member(user, element.subject, obj=element, action=action)


def can_view_private(user: Actor, element: Element) -> bool:
    """Staff and the subject's own employees see non-public fields; the public does not."""
    if not user.is_authenticated:
        return False
    if user.role in (Role.OPERATOR, Role.AUTHORISED_BODY):
        return True
    return bool(user.role == Role.SUBJECT_EMPLOYEE and user.subject_id == element.subject_id)


def can_read(user: Actor, element: Element) -> bool:
    """Whether ``user`` may know the element exists: registered once, or private to them.

    Any action on an element the user cannot read answers 404, as if it did not exist,
    so that a refusal (403) never confirms another subject's unannounced draft.
    """
    return element.status in PUBLIC_STATUSES or can_view_private(user, element)


def readable_versions(user: Actor, element: Element) -> QuerySet[ElementVersion]:
    """The versions of ``element`` that ``user`` may read, in no particular order.

    Staff and the subject's employees read every version; the public reads the record
    from its first registration on, never the drafts and submissions before it, on the
    web pages and through the API alike.
    """
    versions = ElementVersion.objects.filter(element=element)
    if can_view_private(user, element):
        return versions
    first = (
        versions.filter(status=ElementStatus.REGISTERED)
        .order_by("number")
        .values_list("number", flat=True)
        .first()
    )
    return versions.filter(number__gte=first) if first else versions.none()
