"""Who may do what in the Registry; refusals are recorded in the audit trail.

The role check every app shares is ``tunduk.core.permissions.require_role``; who may *see*
what is ``registry.visibility``.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from tunduk.accounts.choices import Role
from tunduk.core.actors import Actor
from tunduk.core.errors import NotPermitted
from tunduk.core.permissions import require_role
from tunduk.registry.models import Element, Subject


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
